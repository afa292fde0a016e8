"""The ensemble runner: simulate the missing runs of an ensemble, stream them, consolidate.

The runner has the seams of the EMA Workbench's evaluators: an :class:`Ensemble` in,
an executor of the user's choice (:mod:`.executors`), results streamed into the
directory as they complete (:mod:`.store`), per-month quantiles at the end
(:mod:`.quantiles`). All results depend only on (scenario, seed, runs, mode): one
worker, K workers and a Dask cluster write identical tables.
"""

from __future__ import annotations

import sys
import time
from collections.abc import Callable, Iterator
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
    WorkerLost,
    available_cores,
    freeze_long_lived_objects,
    make_executor,
)
from simulation.experiments.ensemble.parts import complete_chunks, runs_recorded, write_chunk
from simulation.experiments.ensemble.progress import progress_bar
from simulation.experiments.ensemble.store import (
    check_directory,
    check_space,
    clear_outputs,
    consolidate,
    ensemble_manifest,
    held,
    read_manifest,
    write_manifest,
)

WORKER_RETRIES = 2
"""Times the workers are restarted after one dies, before the ensemble stops."""


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
    simulating: float = 0.0
    """Seconds of :attr:`seconds` spent simulating, before the tables were written."""

    @property
    def runs_per_second(self) -> float:
        """Runs simulated in this session per second of simulating (tables not counted).

        Writing the tables of 100,000 runs takes minutes of its own, which made the rate
        of the runs look a quarter slower than it was.
        """
        spent = self.simulating or self.seconds
        return self.simulated / spent if spent > 0 else float("nan")


def _stream(
    executor: ChunkExecutor, work: list[list[int]], seeds: list[int]
) -> Iterator[ChunkResult | ChunkWritten]:
    """Yield chunk results as they finish, keeping a bounded number in flight.

    Raises:
        WorkerLost: a worker died (its chunk, and those in flight, are not done).
    """
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
            yield executor.result(future)
        fill()


def _simulate(
    executor: ChunkExecutor,
    job: Job,
    work: list[list[int]],
    seeds: list[int],
    parts: Path,
    done: Callable[[int], None],
) -> None:
    """Simulate the chunks, writing their parts; restart the workers if one dies.

    A worker killed while running (by the out-of-memory killer, say) loses only the
    chunks in flight: the pool is started afresh and they are run again, up to
    :data:`WORKER_RETRIES` times; then the ensemble stops, its finished chunks kept.
    ``done`` is called with the number of runs of each chunk written.

    Raises:
        EnsembleError: workers kept dying (status 1); ``--resume`` continues.
    """
    remaining = {runs[0]: runs for runs in work}
    for attempt in range(WORKER_RETRIES + 1):
        executor.start(job)
        try:
            for result in _stream(executor, list(remaining.values()), seeds):
                if isinstance(result, ChunkResult):
                    write_chunk(parts, job.tables, result, job.ensemble)
                del remaining[result.first]
                done(result.last - result.first + 1)
            return
        except WorkerLost as error:
            executor.close()
            lost = sum(len(runs) for runs in remaining.values())
            if attempt == WORKER_RETRIES:
                raise EnsembleError(
                    f"{error}; it happened {WORKER_RETRIES + 1} times, so the ensemble stops "
                    f"with {lost} runs not done (the finished ones are kept: run again with "
                    "--resume, with fewer --workers if memory is short)",
                    status=1,
                ) from None
            print(f"interregnum: {error}; simulating its {lost} runs again", file=sys.stderr)


def _accounted(sessions: list[dict], done_runs: int) -> list[dict]:
    """The earlier sessions, a killed one's runs counted from the parts it left.

    A session ended by SIGKILL (or a power cut) never wrote how many runs it made: its
    record said 0 while its parts were on disk, and the sessions added up to fewer runs
    than the ensemble holds. The runs found on disk beyond those recorded are the last
    session's, which is called killed unless it said how it ended. (An interrupted session
    counts what its workers wrote once they have stopped; this keeps its word should that
    count ever fall short.)
    """
    recorded = sum(session.get("runs_simulated", 0) for session in sessions)
    if sessions and done_runs > recorded:
        ended = sessions[-1].get("ended", "killed")
        sessions[-1] = {
            **sessions[-1],
            "runs_simulated": sessions[-1].get("runs_simulated", 0) + done_runs - recorded,
            "ended": f"{ended}: its runs counted from the parts it left",
        }
    return sessions


def run_ensemble(
    ensemble: Ensemble,
    out_dir: Path | str,
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
        with held(Path(out_dir)):
            return _run(ensemble, Path(out_dir), executor, resume, progress, chunk_size)
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
    done_spans = (
        complete_chunks(parts, ensemble.tables, ensemble.runs, ensemble.key()) if resume else []
    )
    done_runs = sum(last - first + 1 for first, last in done_spans)
    check_space(out_dir, ensemble, ensemble.runs - done_runs)  # before any list of runs
    present = {run for first, last in done_spans for run in range(first, last + 1)}
    missing = [run for run in range(ensemble.runs) if run not in present]
    sessions = _accounted(list(previous.get("sessions", [])) if previous else [], done_runs)
    session = {
        "executor": executor.description,
        "chunk_size": size,
        "runs_simulated": 0,
        "seconds": 0.0,
    }
    sessions.append(session)
    # The manifest comes first: a directory holding parts/ always says whose they are.
    write_manifest(out_dir, ensemble_manifest(ensemble, sessions, "running", size))
    parts.mkdir(exist_ok=True)

    started = time.perf_counter()
    seeds = ensemble.run_seeds()
    simulated = 0
    if missing:
        job = Job(
            ensemble.scenario,
            ensemble.mode,
            ensemble.keep_trajectories,
            ensemble.key(),
            parts if executor.writes_parts else None,
            ensemble.parameters,
        )
        try:
            with progress_bar(ensemble.runs, len(present), progress) as bar:

                def done(count: int) -> None:
                    nonlocal simulated
                    simulated += count
                    bar.update(count)

                _simulate(executor, job, chunks(missing, size), seeds, parts, done)
        except BaseException:  # Ctrl-C, SIGTERM, a worker lost for good: said, not killed
            session["ended"] = "interrupted"
            raise
        finally:
            executor.close()  # its workers have stopped: what they wrote is on disk
            if "ended" in session:  # stopped: chunks written but not yet reported count too
                simulated = max(simulated, runs_recorded(parts) - len(present))
            session["runs_simulated"] = simulated
            session["seconds"] = round(time.perf_counter() - started, 3)
            write_manifest(out_dir, ensemble_manifest(ensemble, sessions, "running", size))
    simulating = time.perf_counter() - started
    if progress:  # the bar has reached its end; the tables of many runs take a while
        print(
            f"interregnum: writing the tables and quantiles of {ensemble.runs} runs",
            file=sys.stderr,
        )
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
        simulating=simulating,
    )
