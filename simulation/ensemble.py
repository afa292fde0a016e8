"""Ensembles: many seeded runs of one scenario, in parallel, streamed to disk, resumable.

The runner has the seams of the EMA Workbench's evaluators: a scenario and a number
of runs in, an executor of the user's choice (in-process, local processes, a Dask
cluster), results streamed out as they complete.

- **Seeds.** Run ``i`` takes its seed from child ``i`` of
  ``numpy.random.SeedSequence(seed).spawn(runs)``, so it has the same seed in every
  scenario: two ensembles with one root seed are paired (common random numbers).
- **Chunks.** Runs go to the executor in chunks of consecutive run numbers (up to
  :data:`MAX_CHUNK` runs), since a task costs far more to dispatch than a run's
  arguments; the scenario itself reaches each worker once, not with every chunk.
- **Streaming.** Each finished chunk is written at once under ``DIR/parts/``: one
  Parquet file per table and an ``.npz`` of the monthly arrays, each under a temporary
  name then renamed, the summary part last: a chunk whose summary part exists is
  complete, whatever happened next.
- **Resume.** A resumed ensemble keeps the complete chunks of the directory (after
  checking that its manifest describes the same ensemble), discards the rest and
  simulates only the missing runs.
- **Consolidation.** The parts are concatenated in run order into one file per table,
  in row groups of a fixed size, so the files do not depend on how the runs were
  chunked, on the executor or on the order in which chunks finished. The per-month
  quantiles are exact, computed over every run's arrays at the end.

All results depend only on (scenario, seed, runs, mode): one worker, K workers and a
Dask cluster write identical tables.
"""

from __future__ import annotations

import gc
import json
import math
import multiprocessing
import os
import re
import shutil
import sys
import threading
import time
from collections.abc import Iterator, Sequence
from concurrent.futures import (
    FIRST_COMPLETED,
    Future,
    ProcessPoolExecutor,
    ThreadPoolExecutor,
    wait,
)
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Protocol

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

from simulation.model import Mode, PartyModel
from simulation.outcomes import (
    EVENT_SCHEMA,
    MEASURES,
    TENURE_SCHEMA,
    TRAJECTORY_SCHEMA,
    VOTE_SCHEMA,
    RunOutcome,
    outcome_tables,
    run_outcome,
    summary_schema,
)
from simulation.output import package_versions, write_atomically, write_text
from simulation.scenario import Scenario, scenario_hash

if TYPE_CHECKING:
    from simulation.experiments.assessment.parameter_draws import ParameterDraws

MAX_CHUNK = 50
"""Most runs in one task: dozens, so that dispatch costs little beside the runs."""
ROW_GROUP_ROWS = 65_536
"""Rows per Parquet row group in the consolidated files."""
QUANTILES = (0.05, 0.25, 0.5, 0.75, 0.95)
QUANTILE_COLUMNS = ("q05", "q25", "q50", "q75", "q95")
QUANTILE_MEMORY = 64 * 2**20
"""Bytes of run values held at once while computing quantiles."""
TABLES = ("summary", "tenures", "events", "votes")
"""The tables of every ensemble; ``trajectories`` is kept on request."""


def chunk_tables(trajectories: bool) -> tuple[str, ...]:
    """The tables written for each chunk (summary first; it is written last)."""
    return TABLES + ("trajectories",) * trajectories


MATCHING_KEYS = ("scenario_sha256", "seed", "runs", "mode")
"""What a directory's manifest must share with an ensemble for the two to be mixed."""
VERSIONED_EXTRAS = ("pyarrow", "distributed", "tqdm")
_PART = re.compile(r"^(?P<table>[a-z]+)-(?P<first>\d{7})-(?P<last>\d{7})\.(?P<ext>parquet|npz)$")


class EnsembleError(Exception):
    """An ensemble that cannot run as asked; ``status`` is the exit status to end with."""

    def __init__(self, message: str, status: int = 2):
        super().__init__(message)
        self.status = status


# --- what an ensemble is -----------------------------------------------------------


def run_seeds(seed: int, runs: int) -> list[int]:
    """The seed of each run: an int drawn from child ``i`` of ``SeedSequence(seed)``.

    Args:
        seed: the root seed (any non-negative int, 0 included).
        runs: how many runs.
    """
    children = np.random.SeedSequence(seed).spawn(runs)
    return [int(child.generate_state(1)[0]) for child in children]


@dataclass(frozen=True)
class Ensemble:
    """Runs ``0 .. runs-1`` of a scenario, each seeded by :func:`run_seeds`.

    Args:
        scenario: the validated scenario (overrides already applied).
        runs: number of runs, at least 1.
        seed: root seed of the run seeds.
        mode: how the scenario's decisions are treated.
        keep_trajectories: also keep every run's monthly trajectories.
        scenario_file: where the scenario was read from, for the manifest.
        overrides: the overrides applied to the file, for the manifest.
        parameters: each run's parameters drawn from a posterior or the priors by its
            seed (None: every run uses the scenario's own, point, parameters).
    """

    scenario: Scenario
    runs: int
    seed: int = 1
    mode: Mode = Mode.FREE
    keep_trajectories: bool = False
    scenario_file: str = ""
    overrides: tuple[str, ...] = ()
    parameters: ParameterDraws | None = None

    def __post_init__(self) -> None:
        if self.runs < 1:
            raise EnsembleError(f"--runs must be at least 1, got {self.runs}")
        if self.seed < 0:
            raise EnsembleError(f"--seed must be a non-negative integer, got {self.seed}")

    @property
    def tables(self) -> tuple[str, ...]:
        """The tables written for each chunk (summary first; it is written last)."""
        return chunk_tables(self.keep_trajectories)

    def identity(self) -> dict[str, object]:
        """What makes two ensembles the same (see :data:`MATCHING_KEYS`)."""
        return {
            "scenario_sha256": scenario_hash(self.scenario),
            "seed": self.seed,
            "runs": self.runs,
            "mode": self.mode.value,
            "parameters": self.parameters.label if self.parameters else "point",
        }


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
    parts: Path | None = None
    parameters: ParameterDraws | None = None

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

    Each model is stepped until it stops; its tidy frames are never built.
    """
    outcomes: list[RunOutcome] = []
    for run, seed in zip(runs, seeds, strict=True):
        scenario = (
            job.parameters.scenario_for(job.scenario, seed) if job.parameters else job.scenario
        )
        model = PartyModel(scenario, seed=seed, mode=job.mode, run=run)
        while model.running:
            model.step()
        outcomes.append(run_outcome(model))
    tables = outcome_tables(job.scenario, outcomes, trajectories=job.trajectories)
    arrays = {
        measure: np.stack([getattr(outcome, measure) for outcome in outcomes])
        for measure in MEASURES
    }
    arrays["run"] = np.asarray(runs, dtype=np.int64)
    return ChunkResult(runs[0], runs[-1], tables, arrays)


# --- executors ---------------------------------------------------------------------


class ChunkExecutor(Protocol):
    """Where chunks run: started once with the job, then fed run numbers and seeds."""

    description: str
    workers: int
    writes_parts: bool
    """Whether its workers write their chunks' parts (see :class:`Job`)."""

    def start(self, job: Job) -> None:
        """Make the job available to every worker."""

    def submit(self, runs: list[int], seeds: list[int]) -> Future:
        """Start a chunk; its future gives a :class:`ChunkResult` (or :class:`ChunkWritten`)."""

    def wait(self, pending: set[Future]) -> tuple[set[Future], set[Future]]:
        """Block until at least one pending chunk is done; return (done, still pending)."""

    def close(self) -> None:
        """Stop the workers, abandoning chunks not started."""


class SerialExecutor:
    """Every chunk in this process, at submission."""

    workers = 1
    writes_parts = False
    description = "serial, in-process"

    def start(self, job: Job) -> None:
        """Keep the job."""
        self._job = job

    def submit(self, runs: list[int], seeds: list[int]) -> Future:
        """Run the chunk now."""
        future: Future = Future()
        try:
            future.set_result(simulate_chunk(self._job, runs, seeds))
        except Exception as error:  # the caller's .result() re-raises it
            future.set_exception(error)
        return future

    def wait(self, pending: set[Future]) -> tuple[set[Future], set[Future]]:
        """Everything submitted is already done."""
        return set(pending), set()

    def close(self) -> None:
        """Nothing to stop."""


_worker_job: Job | None = None


def _freeze_long_lived_objects() -> None:
    """Exempt what the process holds now (libraries, the job) from garbage collection.

    Each model is a small reference cycle (the model and its agents), so the
    collector runs every few hundred models; without this, every full pass
    walks all of pandas, pyarrow and numba again (a few percent of an
    ensemble's time here). Garbage is collected first so that none is kept.
    """
    gc.collect()
    gc.freeze()


def _start_worker(job: Job, parent: int) -> None:
    """Keep the job in the worker, and end the worker if its parent dies (a SIGKILL)."""
    global _worker_job
    _worker_job = job
    _freeze_long_lived_objects()

    def watch_parent() -> None:
        while os.getppid() == parent:
            time.sleep(1.0)
        os._exit(1)

    threading.Thread(target=watch_parent, name="parent-watch", daemon=True).start()


def _simulate_in_worker(runs: list[int], seeds: list[int]) -> ChunkResult | ChunkWritten:
    assert _worker_job is not None, "worker started without its job"
    result = simulate_chunk(_worker_job, runs, seeds)
    if _worker_job.parts is None:
        return result
    write_chunk(_worker_job.parts, _worker_job.tables, result)
    return ChunkWritten(result.first, result.last)


class LocalProcessExecutor:
    """A pool of local processes, forked where the platform can fork (else forkserver, spawn).

    Forked workers inherit the job from the parent's memory; elsewhere (spawn,
    forkserver) it is pickled once per worker by the pool's initializer.
    """

    writes_parts = True

    def __init__(self, workers: int):
        self.workers = workers
        available = multiprocessing.get_all_start_methods()
        method = next(m for m in ("fork", "forkserver", "spawn") if m in available)
        self._context = multiprocessing.get_context(method)
        self.description = (
            f"local processes: {workers} workers ({self._context.get_start_method()})"
        )
        self._pool: ProcessPoolExecutor | None = None

    def start(self, job: Job) -> None:
        """Create the pool; its workers start on the first submission."""
        self._pool = ProcessPoolExecutor(
            max_workers=self.workers,
            mp_context=self._context,
            initializer=_start_worker,
            initargs=(job, os.getpid()),
        )

    def submit(self, runs: list[int], seeds: list[int]) -> Future:
        """Queue the chunk for the pool."""
        assert self._pool is not None, "start() first"
        return self._pool.submit(_simulate_in_worker, runs, seeds)

    def wait(self, pending: set[Future]) -> tuple[set[Future], set[Future]]:
        """Wait for the first chunk to finish."""
        done, not_done = wait(pending, return_when=FIRST_COMPLETED)
        return set(done), set(not_done)

    def close(self) -> None:
        """Shut the pool down, cancelling chunks not started."""
        if self._pool is not None:
            self._pool.shutdown(wait=True, cancel_futures=True)
            self._pool = None


class DaskExecutor:
    """A Dask distributed cluster reached through its scheduler's address.

    The job is scattered to every worker once (``broadcast=True``); each chunk is one
    task. Workers must be able to import this package; they may run on other
    machines, so they send their results back to be written here.
    """

    writes_parts = False

    def __init__(self, address: str, timeout: float = 10.0):
        try:
            from distributed import Client
        except ImportError:  # pragma: no cover - a declared dependency
            raise EnsembleError("--scheduler needs the 'distributed' package") from None
        try:
            self._client = Client(address, timeout=timeout)
        except (OSError, TimeoutError) as error:
            raise EnsembleError(
                f"cannot reach the Dask scheduler at {address}: {error}", status=1
            ) from None
        threads = self._client.nthreads()
        self.workers = max(1, sum(threads.values()))
        self.description = (
            f"dask.distributed scheduler {address}: {len(threads)} workers, {self.workers} threads"
        )
        self._job = None

    def start(self, job: Job) -> None:
        """Send the job to every worker."""
        self._job = self._client.scatter(job, broadcast=True)

    def submit(self, runs: list[int], seeds: list[int]) -> Future:
        """Submit the chunk as one task."""
        return self._client.submit(simulate_chunk, self._job, runs, seeds, pure=False)

    def wait(self, pending: set[Future]) -> tuple[set[Future], set[Future]]:
        """Wait for the first chunk to finish."""
        from distributed import wait as dask_wait

        done, not_done = dask_wait(list(pending), return_when="FIRST_COMPLETED")
        return set(done), set(not_done)

    def close(self) -> None:
        """Cancel what is left and disconnect (the cluster keeps running)."""
        if self._client.status != "closed":
            self._client.close()


def available_cores() -> int:
    """Cores this process may use."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # pragma: no cover - not on Linux
        return os.cpu_count() or 1


def make_executor(workers: int | None = None, scheduler: str | None = None) -> ChunkExecutor:
    """The executor the command line asks for.

    Args:
        workers: local processes; ``1`` runs in this process, ``None`` uses every core.
        scheduler: address of a Dask scheduler (``tcp://host:port``); excludes ``workers``.
    """
    if scheduler is not None:
        return DaskExecutor(scheduler)
    workers = available_cores() if workers is None else workers
    if workers < 1:
        raise EnsembleError(f"--workers must be at least 1, got {workers}")
    return SerialExecutor() if workers == 1 else LocalProcessExecutor(workers)


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


# --- the directory -----------------------------------------------------------------


def part_path(parts: Path, table: str, first: int, last: int) -> Path:
    """Where a chunk's part of a table is written."""
    extension = "npz" if table == "arrays" else "parquet"
    return parts / f"{table}-{first:07d}-{last:07d}.{extension}"


def complete_chunks(parts: Path, ensemble: Ensemble) -> list[tuple[int, int]]:
    """Runs ranges ``(first, last)`` of the complete chunks under ``parts``, in run order.

    A chunk is complete when its summary part and every other part this ensemble
    needs exist. Parts of incomplete chunks, chunks that overlap an earlier one and
    temporary files are deleted, so that they are simulated again.
    """
    if not parts.is_dir():
        return []
    found: dict[tuple[int, int], set[str]] = {}
    for path in parts.iterdir():
        match = _PART.match(path.name)
        if match is None:
            if path.name.startswith(".") and path.name.endswith(".tmp"):
                path.unlink(missing_ok=True)
            continue
        span = (int(match["first"]), int(match["last"]))
        found.setdefault(span, set()).add(match["table"])
    needed = set(ensemble.tables) | {"arrays"}
    kept: list[tuple[int, int]] = []
    for first, last in sorted(found):
        inside = 0 <= first <= last < ensemble.runs
        overlaps = bool(kept) and first <= kept[-1][1]
        if inside and not overlaps and needed <= found[(first, last)]:
            kept.append((first, last))
            continue
        for table in found[(first, last)]:
            part_path(parts, table, first, last).unlink(missing_ok=True)
    return kept


def _read_manifest(out_dir: Path) -> dict | None:
    path = out_dir / "manifest.json"
    if not path.is_file():
        return None
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as error:
        raise EnsembleError(f"{path}: cannot read the ensemble manifest: {error}") from None


def _check_directory(out_dir: Path, ensemble: Ensemble, resume: bool) -> None:
    """Refuse a directory that holds something else than this ensemble."""
    if out_dir.exists() and not out_dir.is_dir():
        raise EnsembleError(f"--out {out_dir} exists and is not a directory")
    if not out_dir.exists() or not any(out_dir.iterdir()):
        return
    manifest = _read_manifest(out_dir)
    if manifest is None:
        raise EnsembleError(
            f"--out {out_dir} is not empty and holds no ensemble manifest.json; "
            "choose a new or empty directory"
        )
    ours = ensemble.identity()
    differences = [
        f"{key} {manifest.get(key)!r} there, {ours[key]!r} here"
        for key in MATCHING_KEYS
        if manifest.get(key) != ours[key]
    ]
    if differences:
        action = "resume it" if resume else "write into it"
        raise EnsembleError(
            f"--out {out_dir} holds a different ensemble ({'; '.join(differences)}); "
            f"will not {action}: choose another --out or remove the directory"
        )


def _clear_outputs(out_dir: Path) -> None:
    """Remove an earlier ensemble's parts and consolidated files before starting afresh."""
    shutil.rmtree(out_dir / "parts", ignore_errors=True)
    for name in OUTPUT_FILES:
        (out_dir / name).unlink(missing_ok=True)


OUTPUT_FILES = tuple(f"{table}.parquet" for table in TABLES) + (
    "trajectories.parquet",
    "quantiles.parquet",
    "fan.png",
)


def _write_parquet(path: Path, table: pa.Table) -> None:
    write_atomically(path, lambda temporary: pq.write_table(table, temporary))


def _write_arrays(path: Path, arrays: dict[str, np.ndarray]) -> None:
    def write(temporary: Path) -> None:
        with temporary.open("wb") as handle:
            np.savez(handle, **arrays)

    write_atomically(path, write)


def write_chunk(parts: Path, tables: tuple[str, ...], result: ChunkResult) -> None:
    """Write a chunk's parts, the summary last (it marks the chunk complete)."""
    for table in tables[1:]:
        _write_parquet(part_path(parts, table, result.first, result.last), result.tables[table])
    _write_arrays(part_path(parts, "arrays", result.first, result.last), result.arrays)
    _write_parquet(part_path(parts, "summary", result.first, result.last), result.tables["summary"])


# --- consolidation -----------------------------------------------------------------


def _concatenate(paths: list[Path], schema: pa.Schema, target: Path) -> None:
    """Stream parts into one Parquet file in fixed-size row groups."""

    def write(temporary: Path) -> None:
        with pq.ParquetWriter(temporary, schema) as writer:
            buffered: list[pa.Table] = []
            rows = 0
            for path in paths:
                table = pq.read_table(path, schema=schema)
                buffered.append(table)
                rows += table.num_rows
                while rows >= ROW_GROUP_ROWS:
                    combined = pa.concat_tables(buffered)
                    writer.write_table(combined.slice(0, ROW_GROUP_ROWS))
                    buffered = [combined.slice(ROW_GROUP_ROWS)]
                    rows -= ROW_GROUP_ROWS
            if rows or not paths:
                writer.write_table(pa.concat_tables(buffered) if buffered else schema.empty_table())

    write_atomically(target, write)


def _schemas(ensemble: Ensemble) -> dict[str, pa.Schema]:
    return {
        "summary": summary_schema(ensemble.scenario),
        "tenures": TENURE_SCHEMA,
        "events": EVENT_SCHEMA,
        "votes": VOTE_SCHEMA,
        "trajectories": TRAJECTORY_SCHEMA,
    }


def quantile_frame(
    scenario: Scenario, array_parts: list[Path], runs: int, memory: int = QUANTILE_MEMORY
) -> pd.DataFrame:
    """Exact per-month quantiles over all runs of each leader's influence, apparatus, power.

    The runs' arrays are read from their parts a block of months at a time, so that at
    most ``memory`` bytes of values are held at once.

    Returns:
        Columns scenario, date, leader, measure, q05, q25, q50, q75, q95; rows by
        measure, month and leader (in scenario order).
    """
    leader_ids = [leader.id for leader in scenario.leaders]
    months = scenario.end.months_since(scenario.start) + 1
    dates = [str(scenario.start.plus(k)) for k in range(months)]
    n = len(leader_ids)
    block = max(1, min(months, memory // (8 * n * runs)))
    frames = []
    for measure in MEASURES:
        values = np.empty((len(QUANTILES), months, n))
        for start in range(0, months, block):
            stop = min(months, start + block)
            gathered = np.empty((runs, stop - start, n))
            filled = 0
            for path in array_parts:
                with np.load(path) as part:
                    chunk = part[measure]
                    gathered[filled : filled + len(chunk)] = chunk[:, start:stop]
                    filled += len(chunk)
            if filled != runs:
                raise EnsembleError(f"the array parts hold {filled} runs, expected {runs}")
            values[:, start:stop] = np.quantile(gathered, QUANTILES, axis=0, overwrite_input=True)
        frame = pd.DataFrame(
            {
                "scenario": scenario.name,
                "date": np.repeat(dates, n),
                "leader": np.tile(leader_ids, months),
                "measure": measure,
            }
        )
        for q, column in enumerate(QUANTILE_COLUMNS):
            frame[column] = values[q].ravel()
        frames.append(frame)
    return pd.concat(frames, ignore_index=True)


def consolidate(out_dir: Path, ensemble: Ensemble) -> list[Path]:
    """Concatenate the parts in run order and compute the quantiles; return the files.

    Raises:
        EnsembleError: if the parts do not hold every run exactly once.
    """
    parts = out_dir / "parts"
    spans = complete_chunks(parts, ensemble)
    covered = [run for first, last in spans for run in range(first, last + 1)]
    if covered != list(range(ensemble.runs)):
        raise EnsembleError(
            f"{parts} holds {len(covered)} of {ensemble.runs} runs; run again with --resume"
        )
    schemas = _schemas(ensemble)
    array_parts = [part_path(parts, "arrays", first, last) for first, last in spans]
    written = [out_dir / f"{table}.parquet" for table in ensemble.tables]
    # Each file is independent, and pyarrow and numpy work outside the GIL: threads put
    # the cores the workers have just left to use on this last, otherwise serial, step.
    with ThreadPoolExecutor(max_workers=available_cores()) as pool:
        quantiles = pool.submit(quantile_frame, ensemble.scenario, array_parts, ensemble.runs)
        tables = [
            pool.submit(
                _concatenate,
                [part_path(parts, table, first, last) for first, last in spans],
                schemas[table],
                target,
            )
            for table, target in zip(ensemble.tables, written, strict=True)
        ]
        frame = quantiles.result()
        for table in tables:
            table.result()
    target = out_dir / "quantiles.parquet"
    table = pa.Table.from_pandas(frame, preserve_index=False).replace_schema_metadata(None)
    _write_parquet(target, table)
    return [*written, target]


# --- running -----------------------------------------------------------------------


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


def _manifest(ensemble: Ensemble, sessions: list[dict], status: str, chunk: int) -> dict:
    return {
        "scenario": ensemble.scenario.name,
        "scenario_file": ensemble.scenario_file,
        **ensemble.identity(),
        "overrides": list(ensemble.overrides),
        "run_seeds": "run i: numpy.random.SeedSequence(seed).spawn(runs)[i].generate_state(1)[0]",
        "keep_trajectories": ensemble.keep_trajectories,
        "chunk_size": chunk,
        "executor": sessions[-1]["executor"],
        "sessions": sessions,
        "status": status,
        "files": [f"{table}.parquet" for table in ensemble.tables]
        + ["quantiles.parquet", "parts/"],
        "versions": package_versions(VERSIONED_EXTRAS),
    }


def _write_manifest(out_dir: Path, manifest: dict) -> None:
    write_text(out_dir / "manifest.json", json.dumps(manifest, indent=2, sort_keys=True) + "\n")


def _progress_bar(total: int, done: int, enabled: bool):
    from tqdm.auto import tqdm

    class Bar(tqdm):
        # No monitor thread: workers are forked after the bar starts, from a
        # parent that should have a single thread.
        monitor_interval = 0

    return Bar(
        total=total,
        initial=done,
        unit="run",
        desc="ensemble",
        disable=not enabled,
        file=sys.stderr,
        smoothing=0.1,
        dynamic_ncols=True,
    )


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
    _freeze_long_lived_objects()
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
    _check_directory(out_dir, ensemble, resume)
    size = chunk_size or chunk_size_for(ensemble.runs, executor.workers)
    if size < 1:
        raise EnsembleError(f"--chunk-size must be at least 1, got {size}")
    previous = _read_manifest(out_dir) if resume else None
    if not resume:
        _clear_outputs(out_dir)
    parts = out_dir / "parts"
    parts.mkdir(parents=True, exist_ok=True)
    done_spans = complete_chunks(parts, ensemble) if resume else []
    present = {run for first, last in done_spans for run in range(first, last + 1)}
    missing = [run for run in range(ensemble.runs) if run not in present]
    sessions = list(previous.get("sessions", [])) if previous else []
    session = {"executor": executor.description, "runs_simulated": 0, "seconds": 0.0}
    sessions.append(session)
    _write_manifest(out_dir, _manifest(ensemble, sessions, "running", size))

    started = time.perf_counter()
    seeds = run_seeds(ensemble.seed, ensemble.runs)
    simulated = 0
    if missing:
        job = Job(
            ensemble.scenario,
            ensemble.mode,
            ensemble.keep_trajectories,
            parts if executor.writes_parts else None,
            ensemble.parameters,
        )
        executor.start(job)
        try:
            with _progress_bar(ensemble.runs, len(present), progress) as bar:
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
            _write_manifest(out_dir, _manifest(ensemble, sessions, "running", size))
    files = consolidate(out_dir, ensemble)
    seconds = time.perf_counter() - started
    session["seconds"] = round(seconds, 3)
    _write_manifest(out_dir, _manifest(ensemble, sessions, "complete", size))
    return EnsembleReport(
        out_dir=out_dir,
        runs=ensemble.runs,
        simulated=simulated,
        already_done=len(present),
        seconds=seconds,
        executor=executor.description,
        files=files + [out_dir / "manifest.json"],
    )


def read_table(out_dir: Path, table: str) -> pd.DataFrame:
    """A consolidated table of an ensemble directory as a DataFrame."""
    return pq.read_table(out_dir / f"{table}.parquet").to_pandas()
