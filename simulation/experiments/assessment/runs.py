"""Score many seeded runs of a scenario against the patterns, on local processes or Dask.

Unlike an ensemble, which keeps each run's tables on disk, the assessment needs
of a run only its score per pattern, but it needs affinities and factions,
which an ensemble does not keep; so each worker runs its chunk of models and
returns their scores, a few numbers per pattern. Run i is seeded as in an
ensemble (:func:`simulation.experiments.seeds.run_seeds`) and draws its parameters from
its seed, so the same run gets the same draw whatever the executor.
"""

from __future__ import annotations

import multiprocessing
from collections.abc import Callable, Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass

import pandas as pd

from calibration.pattern_logs import pattern_logs
from calibration.pattern_scores import score_frame, score_run
from calibration.patterns import Pattern
from simulation.experiments.parameter_draws import ParameterDraws
from simulation.model import Mode, PartyModel
from simulation.scenario import Scenario

DASK_TIMEOUT = 10.0
"""Seconds to wait for a Dask scheduler before giving up."""
CHUNK = 250
"""Runs per task: enough that sending the scenario costs little against the runs, and that
runs drawing the same posterior particle share its initial state."""


@dataclass(frozen=True)
class Variant:
    """One set of runs the assessment scores: a scenario and where its parameters come from.

    Attributes:
        name: the column the report gives it (``posterior``, ``point``, ``prior``, ...).
        scenario: the scenario the runs start from.
        parameters: per-run draws, or None for the scenario's own (point) parameters.
        description: one line for the report.
    """

    name: str
    scenario: Scenario
    parameters: ParameterDraws | None
    description: str


@dataclass(frozen=True)
class _Chunk:
    scenario: Scenario
    parameters: ParameterDraws | None
    patterns: tuple[Pattern, ...]
    mode: Mode
    runs: tuple[int, ...]
    seeds: tuple[int, ...]


def _score_chunk(chunk: _Chunk) -> pd.DataFrame:
    """Run each model of the chunk to its end and score it."""
    scores = []
    for run, seed in zip(chunk.runs, chunk.seeds, strict=True):
        scenario = (
            chunk.parameters.scenario_for(chunk.scenario, seed)
            if chunk.parameters
            else chunk.scenario
        )
        model = PartyModel(scenario, seed=seed, mode=chunk.mode, run=run)
        while model.running:
            model.step()
        scores.append(score_run(chunk.patterns, pattern_logs(model)))
    frame = score_frame(chunk.patterns, scores)
    frame["run"] = [chunk.runs[i] for i in frame["run"]]
    return frame


Mapper = Callable[[Callable[[_Chunk], pd.DataFrame], list[_Chunk]], list[pd.DataFrame]]


def make_mapper(workers: int = 1, scheduler: str | None = None) -> Mapper:
    """How chunks are run: in this process, on ``workers`` local processes, or on Dask.

    Args:
        workers: local processes (1: in this process).
        scheduler: address of a Dask distributed scheduler (overrides ``workers``).
    """
    if scheduler is not None:
        from distributed import Client  # optional dependency, loaded only when asked

        def on_dask(function, chunks):
            with Client(scheduler, timeout=DASK_TIMEOUT) as client:
                return client.gather(client.map(function, chunks, pure=False))

        return on_dask
    if workers <= 1:
        return lambda function, chunks: [function(chunk) for chunk in chunks]

    def on_processes(function, chunks):
        available = multiprocessing.get_all_start_methods()
        method = next(m for m in ("fork", "forkserver", "spawn") if m in available)
        context = multiprocessing.get_context(method)
        with ProcessPoolExecutor(max_workers=workers, mp_context=context) as pool:
            return list(pool.map(function, chunks))

    return on_processes


def score_variants(
    variants: Sequence[Variant],
    patterns: Sequence[Pattern],
    seeds: Sequence[int],
    mapper: Mapper,
    mode: Mode = Mode.FREE,
) -> dict[str, pd.DataFrame]:
    """Score every variant on the same seeds; one long table (run, pattern, hit, error, value) each.

    All variants' chunks go to the executor together, so the processes stay busy.
    """
    chunks = []
    for variant in variants:
        for first in range(0, len(seeds), CHUNK):
            runs = tuple(range(first, min(first + CHUNK, len(seeds))))
            chunks.append(
                _Chunk(
                    variant.scenario,
                    variant.parameters,
                    tuple(patterns),
                    mode,
                    runs,
                    tuple(seeds[run] for run in runs),
                )
            )
    frames = mapper(_score_chunk, chunks)
    per_variant = len(frames) // max(len(variants), 1)
    return {
        variant.name: pd.concat(
            frames[index * per_variant : (index + 1) * per_variant], ignore_index=True
        )
        for index, variant in enumerate(variants)
    }
