"""Chunks: the unit of work sent to an executor, and what a worker does with one.

Runs go to the executor in chunks of consecutive run numbers (up to :data:`MAX_CHUNK`
runs), since a task costs far more to dispatch than a run's arguments; the scenario
itself reaches each worker once, in the :class:`Job`, not with every chunk.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pyarrow as pa

from simulation.experiments.ensemble.base import chunk_tables
from simulation.experiments.outcomes import MEASURES, outcome_tables, run_outcome
from simulation.experiments.runs import ParameterSource, run_models
from simulation.model import Mode
from simulation.scenario import Scenario

MAX_CHUNK = 50
"""Most runs in one task: dozens, so that dispatch costs little beside the runs."""


@dataclass(frozen=True)
class Job:
    """What a worker needs besides run numbers and seeds; sent once per worker.

    ``parts`` is set for workers that share this machine's disk: they write
    their chunks' parts themselves, so that the parent, which would otherwise
    unpickle and write every table while they compute, leaves both cores to them.
    """

    scenario: Scenario
    mode: Mode
    trajectories: bool
    ensemble: str
    """The ensemble's key, stamped on each chunk's record."""
    parts: Path | None = None
    parameters: ParameterSource | None = None
    """Where each run's parameters come from (None: the scenario's own)."""

    @property
    def tables(self) -> tuple[str, ...]:
        """The tables written for each chunk (summary first; it is written last)."""
        return chunk_tables(self.trajectories)


@dataclass(frozen=True)
class ChunkWritten:
    """Consecutive runs ``first .. last`` whose parts a worker has written."""

    first: int
    last: int


@dataclass
class ChunkResult:
    """The outcomes of consecutive runs ``first .. last``, ready to write."""

    first: int
    last: int
    tables: dict[str, pa.Table]
    arrays: dict[str, np.ndarray]


def simulate_chunk(job: Job, runs: Sequence[int], seeds: Sequence[int]) -> ChunkResult:
    """Simulate runs (consecutive numbers) and gather their outcomes.

    Each model's tidy frames are never built: the outcomes are read from its arrays.
    """
    models = run_models(job.scenario, runs, seeds, job.mode, job.parameters)
    outcomes = [run_outcome(model) for model in models]
    tables = outcome_tables(job.scenario, outcomes, trajectories=job.trajectories)
    arrays = {
        measure: np.stack([getattr(outcome, measure) for outcome in outcomes])
        for measure in MEASURES
    }
    arrays["run"] = np.asarray(runs, dtype=np.int64)
    return ChunkResult(runs[0], runs[-1], tables, arrays)


def chunk_size_for(runs: int, workers: int) -> int:
    """Runs per chunk: about four chunks per worker, at most :data:`MAX_CHUNK`."""
    return max(1, min(MAX_CHUNK, math.ceil(runs / (4 * workers))))


def chunks(missing: Sequence[int], size: int) -> list[list[int]]:
    """Split sorted run numbers into chunks of consecutive runs, at most ``size`` each."""
    result: list[list[int]] = []
    for run in missing:
        if result and run == result[-1][-1] + 1 and len(result[-1]) < size:
            result[-1].append(run)
        else:
            result.append([run])
    return result
