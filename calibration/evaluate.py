"""Run free-mode ensembles of a scenario and score them against targets.

Calibration, the ``score`` of a fitted point and the tests all go through
here, so a parameter set is judged the same way everywhere.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from calibration.logs import logs_from_model
from calibration.score import TargetScore, ensemble_table, score_run
from calibration.targets import HoldsThroughout, Order, Target
from simulation.calendar import Month
from simulation.experiments.runs import run_models
from simulation.experiments.seeds import run_seeds as run_seeds  # calibration.fit imports it here
from simulation.model import Mode
from simulation.scenario import Scenario

REMOVAL_KINDS = ("leaves_post", "succeeds", "purged")
"""Targets whose timing error counts as the timing of removals and appointments."""


def with_parameters(scenario: Scenario, values: dict[str, float]) -> Scenario:
    """The scenario with some parameters replaced (validated by the schema)."""
    parameters = scenario.parameters.model_validate({**scenario.parameters.model_dump(), **values})
    return scenario.model_copy(update={"parameters": parameters})


def score_ensemble(
    scenario: Scenario,
    targets: Sequence[Target],
    seeds: Sequence[int],
    mode: Mode = Mode.FREE,
) -> list[dict[str, TargetScore]]:
    """Run one model per seed and score each run against the targets."""
    models = run_models(scenario, range(len(seeds)), seeds, mode)
    return [score_run(targets, logs_from_model(model)) for model in models]


def summary_statistics(
    run_scores: list[dict[str, TargetScore]], targets: Sequence[Target]
) -> dict[str, float]:
    """What ABC compares: the share of runs meeting each target, and the removals' timing.

    ``timing`` is the median over runs of the mean timing error of the removal
    and appointment targets (months; 12 for a run where none could be timed).
    """
    table = ensemble_table(run_scores)
    stats = {f"met:{row.target}": row.met for row in table.itertuples() if row.target != "ALL"}
    timed = [target.id for target in targets if target.kind in REMOVAL_KINDS]
    per_run = []
    for run in run_scores:
        errors = [run[t].timing_error for t in timed if np.isfinite(run[t].timing_error)]
        per_run.append(float(np.mean(errors)) if errors else 12.0)
    stats["timing"] = float(np.median(per_run)) if per_run else 12.0
    share_errors = [
        score.share_error
        for run in run_scores
        for score in run.values()
        if np.isfinite(score.share_error)
    ]
    stats["vote_share"] = float(np.mean(share_errors)) if share_errors else 0.0
    return stats


def distance(simulated: dict[str, float], observed: dict[str, float]) -> float:
    """Distance of an ensemble's statistics to history.

    The mean share of runs missing each target, plus the removals' timing
    error in years / 4, plus a quarter of the mean vote-share error. History
    is met by every run at no error, so ``observed`` holds 1 for every
    ``met:`` key and 0 for ``timing`` and ``vote_share``. The vote-share term
    is continuous, so distances rarely tie at exactly zero, which would leave
    pyabc's perturbation kernel degenerate.
    """
    misses = [observed[key] - simulated[key] for key in observed if key.startswith("met:")]
    return (
        float(np.mean(misses)) + simulated["timing"] / 48.0 + simulated.get("vote_share", 0.0) / 4
    )


def target_date(target: Target, scenario: Scenario) -> Month:
    """The month a target concerns: targets spanning the period count at its end."""
    if isinstance(target, HoldsThroughout | Order):
        return scenario.end
    return target.date


def split_targets(
    targets: Sequence[Target], scenario: Scenario, fit_until: Month | None
) -> tuple[list[Target], list[Target]]:
    """Targets up to ``fit_until`` (fitted) and after it (held out for the out-of-sample check)."""
    if fit_until is None:
        return list(targets), []
    inside = [t for t in targets if target_date(t, scenario) <= fit_until]
    outside = [t for t in targets if target_date(t, scenario) > fit_until]
    return inside, outside
