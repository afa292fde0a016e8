"""Run free-mode ensembles of a scenario and score them against the patterns.

Calibration and its validation go through here, so a parameter set is judged
the same way in a fit and after it.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from calibration.pattern_logs import pattern_logs
from calibration.pattern_scores import PatternScore, score_run
from calibration.patterns import TIMED, Pattern
from simulation.experiments.runs import run_models
from simulation.model import Mode
from simulation.scenario import Scenario

UNTIMED_ERROR = 12.0
"""The month error counted for a run in which no timed pattern could be timed."""


def with_parameters(scenario: Scenario, values: dict[str, float]) -> Scenario:
    """The scenario with some parameters replaced (validated by the schema)."""
    parameters = scenario.parameters.model_validate({**scenario.parameters.model_dump(), **values})
    return scenario.model_copy(update={"parameters": parameters})


def score_ensemble(
    scenario: Scenario,
    patterns: Sequence[Pattern],
    seeds: Sequence[int],
    mode: Mode = Mode.FREE,
) -> list[dict[str, PatternScore]]:
    """Run one model per seed and score each run against the patterns."""
    models = run_models(scenario, range(len(seeds)), seeds, mode)
    return [score_run(patterns, pattern_logs(model)) for model in models]


def summary_statistics(
    run_scores: list[dict[str, PatternScore]], patterns: Sequence[Pattern]
) -> dict[str, float]:
    """What ABC compares: the share of runs hitting each pattern, and the month errors.

    ``timing`` is the median over runs of the mean month error of the timed
    patterns (offices, removals, factions; :data:`UNTIMED_ERROR` for a run in
    which none could be timed).
    """
    stats = {
        f"hit:{pattern.id}": float(np.mean([run[pattern.id].hit for run in run_scores]))
        for pattern in patterns
    }
    timed = [pattern.id for pattern in patterns if isinstance(pattern, TIMED)]
    per_run = []
    for run in run_scores:
        errors = [run[p].error for p in timed if np.isfinite(run[p].error)]
        per_run.append(float(np.mean(errors)) if errors else UNTIMED_ERROR)
    stats["timing"] = float(np.median(per_run)) if per_run else UNTIMED_ERROR
    return stats


def distance(simulated: dict[str, float], observed: dict[str, float]) -> float:
    """Distance of an ensemble's statistics to history.

    The mean share of runs missing each fitted pattern plus the timed patterns'
    month error in years / 4. History hits every pattern at no error, so
    ``observed`` holds 1 for every ``hit:`` key and 0 for ``timing``. The timing
    term is continuous, so distances rarely tie, which would leave pyabc's
    perturbation kernel degenerate.
    """
    misses = [observed[key] - simulated[key] for key in observed if key.startswith("hit:")]
    return float(np.mean(misses)) + simulated["timing"] / 48.0
