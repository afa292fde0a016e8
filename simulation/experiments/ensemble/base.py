"""What an ensemble is: runs ``0 .. runs-1`` of one scenario, seeded from one root seed.

Everything an ensemble writes depends only on its identity (scenario, seed, runs,
mode, parameters, and the model's code): one worker, K workers and a Dask cluster
write identical tables, and a directory may be resumed only by an ensemble of the
same identity.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass

import numpy as np

from simulation.experiments.parameter_draws import PosteriorDraws, posterior_of
from simulation.experiments.runs import ParameterSource
from simulation.experiments.seeds import SeedError, check_seed, run_seeds
from simulation.model import Mode
from simulation.model.code_version import model_digest
from simulation.scenario import Scenario, scenario_hash

TABLES = ("summary", "tenures", "events", "votes", "parameters")
"""The tables of every ensemble; ``trajectories`` is kept on request."""
MATCHING_KEYS = (
    "scenario_sha256",
    "seed",
    "runs",
    "mode",
    "parameters",
    "posterior_sha256",
    "model_sha256",
)
"""What a directory's manifest must share with an ensemble for the two to be mixed."""


class EnsembleError(Exception):
    """An ensemble that cannot run as asked; ``status`` is the exit status to end with."""

    def __init__(self, message: str, status: int = 2):
        super().__init__(message)
        self.status = status


def chunk_tables(trajectories: bool) -> tuple[str, ...]:
    """The tables written for each chunk (summary first; it is written last)."""
    return TABLES + ("trajectories",) * trajectories


@dataclass(frozen=True)
class Ensemble:
    """Runs ``0 .. runs-1`` of a scenario, each seeded by its child of the root ``seed``.

    Args:
        scenario: the validated scenario (overrides already applied).
        runs: number of runs, at least 1.
        seed: root seed of the run seeds.
        mode: how the scenario's decisions are treated.
        keep_trajectories: also keep every run's monthly trajectories.
        scenario_file: where the scenario was read from, for the manifest.
        overrides: the overrides applied to the file, for the manifest.
        parameters: each run's parameters drawn by its seed from a posterior or the
            priors (None: every run uses the scenario's own, point, parameters).
        paired: if set, runs come in blocks of this many that share their seeds: run
            ``r`` takes the seed of run ``r % paired`` (common random numbers across a
            sensitivity design's sample points); None gives every run its own seed.
        parameters_note: why the point estimate stands in for the posterior, if it
            does (no sample found, or none of some parameters' columns), for the manifest.
        quantiles: compute the per-month quantiles over all runs at the end (a
            sensitivity or discovery design, whose runs each have other parameters,
            has no use for them, and over 80,000 runs they take minutes).
    """

    scenario: Scenario
    runs: int
    seed: int = 1
    mode: Mode = Mode.FREE
    keep_trajectories: bool = False
    scenario_file: str = ""
    overrides: tuple[str, ...] = ()
    parameters: ParameterSource | None = None
    paired: int | None = None
    quantiles: bool = True
    parameters_note: str = ""

    def __post_init__(self) -> None:
        if isinstance(self.runs, bool) or not isinstance(self.runs, int | np.integer):
            raise EnsembleError(f"runs must be a whole number, got {self.runs!r}")
        if self.runs < 1:
            raise EnsembleError(f"--runs must be at least 1, got {self.runs}")
        try:
            # Frozen: "free" is made Mode.FREE in place, or the runs would replay history.
            object.__setattr__(self, "mode", Mode(self.mode))
        except ValueError as error:
            raise EnsembleError(str(error)) from None
        if self.paired is not None and self.paired < 1:
            raise EnsembleError(f"runs per point must be at least 1, got {self.paired}")
        try:
            check_seed(self.seed)
        except SeedError as error:
            raise EnsembleError(str(error)) from None

    @property
    def tables(self) -> tuple[str, ...]:
        """The tables written for each chunk (summary first; it is written last)."""
        return chunk_tables(self.keep_trajectories)

    @property
    def posterior(self) -> PosteriorDraws | None:
        """The posterior sample the runs draw from (None: point, or another design)."""
        return posterior_of(self.parameters)

    def run_seeds(self) -> list[int]:
        """The seed of each run (see :attr:`paired`)."""
        if self.paired is None:
            return run_seeds(self.seed, self.runs)
        block = run_seeds(self.seed, min(self.paired, self.runs))
        return [block[run % self.paired] for run in range(self.runs)]

    def key(self) -> str:
        """A short digest of :meth:`identity` that marks this ensemble's parts."""
        text = json.dumps(self.identity(), sort_keys=True)
        return hashlib.sha256(text.encode()).hexdigest()[:16]

    def identity(self) -> dict[str, object]:
        """What makes two ensembles the same (see :data:`MATCHING_KEYS`)."""
        identity: dict[str, object] = {
            "scenario_sha256": scenario_hash(self.scenario),
            "seed": self.seed,
            "runs": self.runs,
            "mode": self.mode.value,
            "parameters": self.parameters.label if self.parameters else "point",
            "model_sha256": model_digest(),
        }
        if self.posterior is not None:  # absent otherwise, so older directories still resume
            identity["posterior_sha256"] = self.posterior.sha256
        if self.paired is not None:  # absent otherwise, so older directories still resume
            identity["paired"] = self.paired
        return identity
