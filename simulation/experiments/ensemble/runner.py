"""The ensemble runner: simulate the missing runs of an ensemble, stream them, consolidate.

The runner has the seams of the EMA Workbench's evaluators: an :class:`Ensemble` in,
an executor of the user's choice (:mod:`.executors`), results streamed into the
directory as they complete (:mod:`.store`), per-month quantiles at the end
(:mod:`.quantiles`). All results depend only on (scenario, seed, runs, mode): one
worker, K workers and a Dask cluster write identical tables.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from concurrent.futures import Future
from dataclasses import dataclass, field
from pathlib import Path

from simulation.experiments.ensemble.base import Ensemble, EnsembleError
from simulation.experiments.ensemble.chunks import (
    ChunkResult,
    ChunkWritten,
    Job,
    chunk_size_for,
    chunks,
)
from simulation.experiments.ensemble.executors import (
    ChunkExecutor,
    available_cores,
    freeze_long_lived_objects,
    make_executor,
)
from simulation.experiments.ensemble.progress import progress_bar
from simulation.experiments.ensemble.store import (
    check_directory,
    clear_outputs,
    complete_chunks,
    consolidate,
    ensemble_manifest,
    read_manifest,
    write_chunk,
    write_manifest,
)
from simulation.experiments.seeds import run_seeds


@dataclass
class EnsembleReport:
    """What an ensemble did: runs simulated now and found done, time, files."""

    out_dir: Path
    runs: int
    simulated: int
    already_done: int
    seconds: float
    executor: str
    files: list[Path] = field(default_factory=list)

    @property
    def runs_per_second(self) -> float:
        """Runs simulated in this session per second of wall time."""
        return self.simulated / self.seconds if self.seconds > 0 else float("nan")


def _stream(
    executor: ChunkExecutor, work: list[list[int]], seeds: list[int]
) -> Iterator[ChunkResult | ChunkWritten]:
    """Yield chunk results as they finish, keeping a bounded number in flight."""
    queue = iter(work)
    window = 2 * executor.workers + 2
    pending: set[Future] = set()

    def fill() -> None:
        for runs in queue:
            pending.add(executor.submit(runs, [seeds[run] for run in runs]))
            if len(pending) >= window:
                break

    fill()
    while pending:
        done, still = executor.wait(pending)
        pending.clear()
        pending.update(still)
        for future in done:
            yield future.result()
        fill()


def run_ensemble(
    ensemble: Ensemble,
    out_dir: Path,
    executor: ChunkExecutor | None = None,
    *,
    resume: bool = False,
    progress: bool = False,
    chunk_size: int | None = None,
) -> EnsembleReport:
    """Simulate an ensemble into ``out_dir``, streaming parts, then consolidate them.

    Args:
        ensemble: what to simulate.
        out_dir: the ensemble's directory (created if missing).
        executor: where the chunks run (default: local processes on every core).
        resume: keep the complete chunks already in ``out_dir`` and simulate the rest;
            without it, an earlier ensemble of the same identity is started afresh.
        progress: show a progress bar (runs done, runs/s, ETA) on stderr.
        chunk_size: runs per chunk (default :func:`chunk_size_for`).

    The executor is closed at the end, whatever happens.

    Raises:
        EnsembleError: ``out_dir`` holds something else, or a parameter is out of range.
    """
    if executor is None:
        executor = make_executor()
    freeze_long_lived_objects()
    try:
        return _run(ensemble, out_dir, executor, resume, progress, chunk_size)
    finally:
        executor.close()


def _run(
    ensemble: Ensemble,
    out_dir: Path,
    executor: ChunkExecutor,
    resume: bool,
    progress: bool,
    chunk_size: int | None,
) -> EnsembleReport:
    check_directory(out_dir, ensemble, resume)
    size = chunk_size or chunk_size_for(ensemble.runs, executor.workers)
    if size < 1:
        raise EnsembleError(f"--chunk-size must be at least 1, got {size}")
    previous = read_manifest(out_dir) if resume else None
    if not resume:
        clear_outputs(out_dir)
    parts = out_dir / "parts"
    parts.mkdir(parents=True, exist_ok=True)
    done_spans = complete_chunks(parts, ensemble) if resume else []
    present = {run for first, last in done_spans for run in range(first, last + 1)}
    missing = [run for run in range(ensemble.runs) if run not in present]
    sessions = list(previous.get("sessions", [])) if previous else []
    session = {"executor": executor.description, "runs_simulated": 0, "seconds": 0.0}
    sessions.append(session)
    write_manifest(out_dir, ensemble_manifest(ensemble, sessions, "running", size))

    started = time.perf_counter()
    seeds = run_seeds(ensemble.seed, ensemble.runs)
    simulated = 0
    if missing:
        job = Job(
            ensemble.scenario,
            ensemble.mode,
            ensemble.keep_trajectories,
            parts if executor.writes_parts else None,
        )
        executor.start(job)
        try:
            with progress_bar(ensemble.runs, len(present), progress) as bar:
                for result in _stream(executor, chunks(missing, size), seeds):
                    if isinstance(result, ChunkResult):
                        write_chunk(parts, job.tables, result)
                    count = result.last - result.first + 1
                    simulated += count
                    bar.update(count)
        finally:
            executor.close()
            session["runs_simulated"] = simulated
            session["seconds"] = round(time.perf_counter() - started, 3)
            write_manifest(out_dir, ensemble_manifest(ensemble, sessions, "running", size))
    files = consolidate(out_dir, ensemble, available_cores())
    seconds = time.perf_counter() - started
    session["seconds"] = round(seconds, 3)
    write_manifest(out_dir, ensemble_manifest(ensemble, sessions, "complete", size))
    return EnsembleReport(
        out_dir=out_dir,
        runs=ensemble.runs,
        simulated=simulated,
        already_done=len(present),
        seconds=seconds,
        executor=executor.description,
        files=files + [out_dir / "manifest.json"],
    )
