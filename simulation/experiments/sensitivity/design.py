"""The sample of a sensitivity study: which parameters vary, within which bounds, at which points.

The bounds come from the parameter registry (:mod:`simulation.model.parameters`): a
fitted parameter varies over its calibration prior, any other named one over its
valid range. SALib's ``ProblemSpec`` draws the points (Morris trajectories or
Saltelli's Sobol sample); each point is run K times with the same K seeds, so two
points differ by their parameters and not by chance (common random numbers).
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from SALib import ProblemSpec

from calibration.evaluate import with_parameters
from simulation.model.parameters import free_parameters, parameter_ranges
from simulation.scenario import Scenario
from simulation.scenario.messages import unknown

METHODS = ("morris", "sobol")
"""The methods a study may use: Morris elementary effects, Sobol variance indices."""
MORRIS_LEVELS = 4
"""Grid levels of a Morris trajectory (SALib's default; Saltelli et al. 2008 advise 4)."""


class SensitivityError(ValueError):
    """A study that cannot run as asked; each problem names the flag and what was expected.

    ``problems`` keeps them apart, so that the command prints one line for each.
    """

    def __init__(self, *problems: str):
        super().__init__("; ".join(problems))
        self.problems = list(problems)


_PARAMETER_SET = {
    name: f"{name!r} is a parameter set of the other commands; here --parameters names the "
    "parameters to vary (A,B,C), and the study varies them over their bounds itself"
    for name in ("posterior", "point", "prior")
}
"""What a user who took ``--parameters`` for the other commands' flag is told."""


def bounds_for(names: Sequence[str] | None) -> dict[str, tuple[float, float]]:
    """The bounds each varied parameter takes, by name (default: every fitted parameter).

    Raises:
        SensitivityError: a name the registry does not know, or bounds with low >= high.
    """
    ranges, priors = parameter_ranges(), free_parameters()
    chosen = list(priors) if not names else list(names)
    problems = [
        f"--parameters: {_PARAMETER_SET.get(name) or unknown('parameter', name, ranges)}"
        for name in chosen
        if name not in ranges
    ]
    if problems:
        raise SensitivityError(*problems)
    if len(set(chosen)) != len(chosen):
        raise SensitivityError("--parameters names a parameter twice")
    bounds = {name: priors.get(name, ranges[name]) for name in chosen}
    for name, (low, high) in bounds.items():
        if not low < high:
            raise SensitivityError(
                f"parameter {name!r}: bounds must have low < high, got {low}, {high}"
            )
    return bounds


def problem(bounds: dict[str, tuple[float, float]]) -> ProblemSpec:
    """SALib's problem over the varied parameters."""
    return ProblemSpec(
        {
            "names": list(bounds),
            "bounds": [list(pair) for pair in bounds.values()],
            "num_vars": len(bounds),
        }
    )


def sample(spec: ProblemSpec, method: str, size: int, seed: int) -> np.ndarray:
    """The sample points (one row per point) of a study.

    Args:
        spec: the problem.
        method: ``morris`` (``size`` trajectories) or ``sobol`` (``size`` base points
            of Saltelli's scheme, a power of two; first and total order only).
        size: trajectories or base points.
        seed: seed of the sampler.

    Raises:
        SensitivityError: an unknown method or a size the sampler cannot take.
    """
    if (problem := size_problem(method, size)) is not None:
        raise SensitivityError(problem)
    if method == "morris":
        spec.sample_morris(size, num_levels=MORRIS_LEVELS, seed=seed)
    else:
        spec.sample_sobol(size, calc_second_order=False, scramble=True, seed=seed)
    return np.asarray(spec.samples, dtype=float)


def size_problem(method: str, size: int) -> str | None:
    """Why the sampler cannot take this method and size, or None; asked before any run."""
    if method not in METHODS:
        return f"--method must be one of {', '.join(METHODS)}, got {method!r}"
    if method == "morris" and size < 2:
        return f"--trajectories must be at least 2, got {size}"
    if method == "sobol" and (size < 2 or size & (size - 1)):
        return f"--samples must be a power of two (at least 2), got {size}"
    return None


MAX_STUDY_RUNS = 10_000_000
"""The most runs a study takes: over five hours on two cores (``benchmarks/README.md``:
Sobol's 118,784 runs in 228 s, 521 a second). SALib builds the whole sample first, so a
size beyond it would hang building it, or exhaust the memory, before the first run."""


def runs_problem(method: str, size: int, parameters: int, runs_per_point: int) -> str | None:
    """Why the study would be too large, or None; asked before SALib builds the sample.

    Its runs are its points (Morris: ``r(k + 1)``; Sobol without second-order indices:
    ``N(k + 2)``) times the runs per point.
    """
    points = size * (parameters + (1 if method == "morris" else 2))
    runs = points * runs_per_point
    if runs <= MAX_STUDY_RUNS:
        return None
    flag = "--trajectories" if method == "morris" else "--samples"
    return (
        f"{flag} {size:,} with {parameters} parameters and {runs_per_point} runs a point makes "
        f"{runs:,} runs; a study takes at most {MAX_STUDY_RUNS:,}"
    )


def count_problem(names: Sequence[str], method: str) -> str | None:
    """Why too few parameters vary for the method, or None.

    Both methods apportion an outcome's change among the parameters: with one,
    every effect is that parameter's by construction (Sobol's S1 = ST = 1 whatever
    the model does, a Morris ranking of one), and SALib refuses to analyse it, which
    it would only say after every run. The refusal points to ``discover``, whose
    ``parameter:`` lever shows how one parameter moves an outcome.
    """
    if len(names) >= 2:
        return None
    given = f"only {names[0]!r}" if names else "none"
    return (
        f"--parameters: {method} needs at least two parameters to apportion the outcomes "
        f"among, got {given} (to see how one parameter moves an outcome, run `interregnum "
        "discover` with a `parameter:` lever)"
    )


@dataclass
class SamplePoints:
    """Each run's parameters, by its sample point: run ``r`` is run ``r % K`` of point ``r // K``.

    A :class:`simulation.experiments.runs.ParameterSource` for the ensemble runner.
    ``label`` digests the points, so a directory resumes only with the same sample.
    """

    names: list[str]
    points: np.ndarray
    runs_per_point: int

    def __post_init__(self) -> None:
        digest = hashlib.sha256(np.ascontiguousarray(self.points).tobytes())
        digest.update(",".join(self.names).encode())
        self.label = f"sample {digest.hexdigest()[:16]} x {self.runs_per_point}"
        self._cache: tuple[int, Scenario, Scenario] | None = None

    def __getstate__(self) -> dict:
        """Pickle the points, not the scenario built last (workers build their own)."""
        return {**vars(self), "_cache": None}

    @property
    def runs(self) -> int:
        """Runs in the study: points x runs per point."""
        return len(self.points) * self.runs_per_point

    def scenario_for(self, scenario: Scenario, seed: int, run: int = 0) -> Scenario:
        """The scenario with the parameters of the run's sample point.

        Consecutive runs of one point reuse one scenario, so the model builds its
        initial state once per point and chunk.
        """
        point = run // self.runs_per_point
        if self._cache and self._cache[0] == point and self._cache[1] is scenario:
            return self._cache[2]
        values = dict(zip(self.names, self.points[point].tolist(), strict=True))
        drawn = with_parameters(scenario, values)
        self._cache = (point, scenario, drawn)
        return drawn
