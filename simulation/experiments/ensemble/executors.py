"""Executors: where chunks run (this process, local processes, a Dask cluster).

Each has the seams of the EMA Workbench's evaluators: started once with the
:class:`~simulation.experiments.ensemble.chunks.Job`, then fed chunks of run numbers
and seeds; results come back as futures, in any order.
"""

from __future__ import annotations

import gc
import multiprocessing
import os
import signal
import threading
import time
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool
from typing import Protocol

from simulation.experiments.ensemble.base import EnsembleError
from simulation.experiments.ensemble.chunks import ChunkResult, ChunkWritten, Job, simulate_chunk
from simulation.experiments.ensemble.parts import write_chunk
from simulation.experiments.ensemble.scheduler import CONNECT_TIMEOUT, check_scheduler


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

    def result(self, future: Future) -> ChunkResult | ChunkWritten:
        """A finished chunk's result; :class:`WorkerLost` if its worker died."""

    def close(self) -> None:
        """Stop the workers, abandoning chunks not started."""


class WorkerLost(Exception):
    """A worker process died while running a chunk (killed by the system, say)."""


_DIED = "a worker process died (killed by the system? out of memory?)"


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

    def result(self, future: Future) -> ChunkResult | ChunkWritten:
        """The chunk's result (this process cannot lose a worker and go on)."""
        return future.result()

    def close(self) -> None:
        """Nothing to stop."""


_worker_job: Job | None = None


def freeze_long_lived_objects() -> None:
    """Exempt what the process holds now (libraries, the job) from garbage collection.

    Each model is a small reference cycle (the model and its agents), so the
    collector runs every few hundred models; without this, every full pass
    walks all of pandas, pyarrow and numba again (a few percent of an
    ensemble's time here). Garbage is collected first so that none is kept.
    """
    gc.collect()
    gc.freeze()


def end_with_parent(parent: int) -> None:
    """End this worker process within a second of its parent's death, and at once on SIGTERM.

    A parent killed outright (SIGKILL) cannot shut its pool down: its workers, blocked
    on the pool's queue, would run on as orphans, holding their memory. A SIGTERM, which
    the command line turns into an interrupt in the parent (to end its pool), ends a
    worker as it did before, without a traceback. A pool's initializer.
    """
    signal.signal(signal.SIGTERM, signal.SIG_DFL)

    def watch_parent() -> None:
        while os.getppid() == parent:
            time.sleep(1.0)
        os._exit(1)

    threading.Thread(target=watch_parent, name="parent-watch", daemon=True).start()


def _start_worker(job: Job, parent: int) -> None:
    """Keep the job in the worker, and end the worker if its parent dies (a SIGKILL)."""
    global _worker_job
    _worker_job = job
    freeze_long_lived_objects()
    end_with_parent(parent)


def _simulate_in_worker(runs: list[int], seeds: list[int]) -> ChunkResult | ChunkWritten:
    assert _worker_job is not None, "worker started without its job"
    result = simulate_chunk(_worker_job, runs, seeds)
    if _worker_job.parts is None:
        return result
    write_chunk(_worker_job.parts, _worker_job.tables, result, _worker_job.ensemble)
    return ChunkWritten(result.first, result.last)


def process_context() -> multiprocessing.context.BaseContext:
    """Local processes forked where the platform can fork, else by forkserver or spawn.

    Forked workers inherit the parent's imports and compiled code, and start at once.
    """
    available = multiprocessing.get_all_start_methods()
    return multiprocessing.get_context(
        next(m for m in ("fork", "forkserver", "spawn") if m in available)
    )


class LocalProcessExecutor:
    """A pool of local processes, forked where the platform can fork (else forkserver, spawn).

    Forked workers inherit the job from the parent's memory; elsewhere (spawn,
    forkserver) it is pickled once per worker by the pool's initializer.
    """

    writes_parts = True

    def __init__(self, workers: int):
        self.workers = workers
        self._context = process_context()
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
        """Queue the chunk for the pool (:class:`WorkerLost` if a worker has died)."""
        assert self._pool is not None, "start() first"
        try:
            return self._pool.submit(_simulate_in_worker, runs, seeds)
        except BrokenProcessPool:
            raise WorkerLost(_DIED) from None

    def wait(self, pending: set[Future]) -> tuple[set[Future], set[Future]]:
        """Wait for the first chunk to finish."""
        done, not_done = wait(pending, return_when=FIRST_COMPLETED)
        return set(done), set(not_done)

    def result(self, future: Future) -> ChunkResult | ChunkWritten:
        """The chunk's result; a dead worker breaks the pool, which is :class:`WorkerLost`."""
        try:
            return future.result()
        except BrokenProcessPool:
            raise WorkerLost(_DIED) from None

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

    def __init__(self, address: str, timeout: float = CONNECT_TIMEOUT):
        check_scheduler(address, timeout)
        # distributed is imported only here and in the methods below: it takes ~2 s to
        # import, which every ensemble on local processes would otherwise pay.
        from distributed import Client

        try:
            self._client = Client(address, timeout=timeout)
        except (OSError, TimeoutError, ValueError) as error:
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
        from distributed import wait as dask_wait  # see __init__

        done, not_done = dask_wait(list(pending), return_when="FIRST_COMPLETED")
        return set(done), set(not_done)

    def result(self, future: Future) -> ChunkResult | ChunkWritten:
        """The chunk's result; Dask has already retried a chunk whose workers died."""
        from distributed import KilledWorker  # see __init__

        try:
            return future.result()
        except KilledWorker as error:
            raise WorkerLost(f"Dask workers died running a chunk ({error})") from None

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

    Local workers are capped at the cores this process may use: results do not depend
    on the number of workers (run ``i`` has the same seed whoever runs it), so more
    processes than cores would only add memory (each holds the compiled model) and
    contention. The caller can tell by comparing ``workers`` with what it asked.

    Args:
        workers: local processes; ``1`` runs in this process, ``None`` uses every core.
        scheduler: address of a Dask scheduler (``tcp://host:port``); excludes ``workers``.
    """
    if scheduler is not None:
        return DaskExecutor(scheduler)
    cores = available_cores()
    workers = cores if workers is None else workers
    if workers < 1:
        raise EnsembleError(f"--workers must be at least 1, got {workers}")
    workers = min(workers, cores)
    return SerialExecutor() if workers == 1 else LocalProcessExecutor(workers)
