"""Score many seeded runs of a scenario against the patterns, on local processes or Dask.

Unlike an ensemble, which keeps each run's tables on disk, the assessment needs
of a run only its score per pattern and its path, but it needs affinities and
factions, which an ensemble does not keep; so each worker runs its chunk of models
and returns their scores, a few numbers per pattern, and their paths. Run i is
seeded as in an ensemble (:func:`simulation.experiments.seeds.run_seeds`) and draws
its parameters from its seed, so the same run gets the same draw whatever the
executor.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable, Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass

import pandas as pd

from calibration.pattern_logs import pattern_logs
from calibration.pattern_scores import score_frame, score_run
from calibration.patterns import Pattern
from simulation.experiments.ensemble.executors import end_with_parent, process_context
from simulation.experiments.ensemble.progress import progress_bar
from simulation.experiments.ensemble.scheduler import CONNECT_TIMEOUT, check_scheduler
from simulation.experiments.outcomes import dominant_leader
from simulation.experiments.parameter_draws import ParameterDraws
from simulation.experiments.paths import ORDERS, PathReader
from simulation.model import Mode, PartyModel
from simulation.scenario import Scenario

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


@dataclass(frozen=True)
class Scored:
    """A set of runs scored: each run against each pattern, and each run's path.

    Attributes:
        scores: the long table of :func:`calibration.pattern_scores.score_frame`.
        paths: each run's orders of factions and verdicts and its dominant leader
            (:func:`simulation.experiments.paths.run_paths`).
    """

    scores: pd.DataFrame
    paths: pd.DataFrame


def _score_chunk(chunk: _Chunk) -> Scored:
    """Run each model of the chunk to its end, score it and read its path."""
    scores, dominant, paths = [], [], []
    reader = PathReader(chunk.scenario)
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
        dominant.append(dominant_leader(model))
        paths.append(reader.of_model(model))
    frame = score_frame(chunk.patterns, scores)
    frame["run"] = [chunk.runs[i] for i in frame["run"]]
    orders = {name: [path[name] for path in paths] for name in ORDERS}
    return Scored(frame, pd.DataFrame({"run": list(chunk.runs), **orders, "dominant": dominant}))


Mapper = Callable[[Callable[[_Chunk], Scored], list[_Chunk]], list[Scored]]


def make_mapper(workers: int = 1, scheduler: str | None = None, progress: bool = False) -> Mapper:
    """How chunks are run: in this process, on ``workers`` local processes, or on Dask.

    Args:
        workers: local processes (1: in this process).
        scheduler: address of a Dask distributed scheduler (overrides ``workers``).
        progress: a bar on stderr counting the runs scored, chunk by chunk as they
            come back in order (an assessment of 1,000 runs a set takes a minute or
            more on two cores).

    Raises:
        EnsembleError: ``scheduler`` is malformed (status 2), or no Dask scheduler
            answers there (status 1), found out in seconds as for an ensemble
            (:func:`.scheduler.check_scheduler`).
    """
    if scheduler is not None:
        check_scheduler(scheduler)
        # distributed takes ~2 s to import, which assessments on local processes need not pay
        from distributed import Client

        def on_dask(function, chunks):
            with Client(scheduler, timeout=CONNECT_TIMEOUT) as client:
                futures = client.map(function, chunks, pure=False)
                return _counted((future.result() for future in futures), chunks, progress)

        return on_dask
    if workers <= 1:
        return lambda function, chunks: _counted(map(function, chunks), chunks, progress)

    def on_processes(function, chunks):
        with ProcessPoolExecutor(
            max_workers=workers,
            mp_context=process_context(),
            initializer=end_with_parent,
            initargs=(os.getpid(),),
        ) as pool:
            return _counted(pool.map(function, chunks), chunks, progress)

    return on_processes


def _counted(results: Iterable[Scored], chunks: list[_Chunk], progress: bool) -> list[Scored]:
    """The chunks' results in order, each counted on the bar as it arrives."""
    done = []
    with progress_bar(sum(len(c.runs) for c in chunks), 0, progress, desc="assess") as bar:
        for chunk, result in zip(chunks, results, strict=True):
            done.append(result)
            bar.update(len(chunk.runs))
    return done


def score_variants(
    variants: Sequence[Variant],
    patterns: Sequence[Pattern],
    seeds: Sequence[int],
    mapper: Mapper,
    mode: Mode = Mode.FREE,
) -> dict[str, Scored]:
    """Score every variant on the same seeds, and read each run's path.

    All variants' chunks go to the executor together, so the processes stay busy.

    Returns:
        Per variant, its long table of scores (run, pattern, hit, error, value) and its
        runs' paths, in run order.
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
    scored = mapper(_score_chunk, chunks)
    per_variant = len(scored) // max(len(variants), 1)
    results = {}
    for index, variant in enumerate(variants):
        own = scored[index * per_variant : (index + 1) * per_variant]
        results[variant.name] = Scored(
            pd.concat([chunk.scores for chunk in own], ignore_index=True),
            pd.concat([chunk.paths for chunk in own], ignore_index=True),
        )
    return results
