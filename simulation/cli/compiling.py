"""While the model compiles on first use, say so, and how long it has taken so far.

Compiling the month takes from half a minute to several minutes, by the machine
(``benchmarks/first_run.py``); one line at the start and then silence looks like a
hang on a slow classroom machine. A thread beside the command watches numba's cache
and says every so often how long the compiling has run, and once when it is done.

The first line says only once compiling has begun: a command refused for bad input
never compiles, and a notice before its refusal would send a new user looking for a
problem in the compiler. In this process numba says when it begins (its
``numba:compile`` event, raised only when no machine code is found on disk); the
processes of an ensemble's workers do not tell this one, so a command still running
after ``grace`` seconds without the machine code is taken to be compiling there.
"""

from __future__ import annotations

import os
import threading
import time
from collections.abc import Callable
from typing import TextIO

from numba.core import event as numba_events

EVERY = 30.0
"""Seconds between two lines while compiling."""

GRACE = 5.0
"""Seconds a command runs before it is taken to compile in its workers: longer than a
refusal takes here (at most 3 s, most of it importing numba, mesa and matplotlib)."""


SETTLE = 2.0
"""Seconds without compiling in this process after which it has ended: between two
functions a model's building compiles, a few milliseconds pass."""


class _CompilingHere(numba_events.Listener):
    """Says when numba begins compiling in this process, not in a forked worker, and ends.

    ``begun`` is set when it begins. A function's compiling compiles those it calls, each
    an event of its own inside it, and building a model compiles one function after
    another: the compiling has ended once none has been under way for ``settle`` seconds.
    """

    def __init__(self, begun: threading.Event, settle: float):
        self.begun, self.settle, self.process = begun, settle, os.getpid()
        self._depth = 0
        self._quiet_from: float | None = None

    def on_start(self, event: numba_events.Event) -> None:
        if os.getpid() == self.process:
            self._depth += 1
            self._quiet_from = None
            self.begun.set()

    def on_end(self, event: numba_events.Event) -> None:
        if os.getpid() == self.process:
            self._depth -= 1
            if self._depth == 0:
                self._quiet_from = time.monotonic()

    def ended_at(self) -> float | None:
        """When the compiling ended, once it has been quiet for ``settle`` seconds."""
        quiet = self._quiet_from
        if quiet is None or time.monotonic() - quiet < self.settle:
            return None
        return quiet


class CompilingClock:
    """Say ``notice`` once compiling has begun, then every ``every`` seconds how long it has run.

    Used as a context manager around the command: leaving it stops the clock, whether
    the command compiled, failed before it had to, or was interrupted.

    Args:
        done: whether the machine code is on disk (the cache numba writes once compiled);
            compiling in this process ends also when numba says so.
        stream: where the lines go (stderr).
        notice: the first line, said when compiling begins.
        every: seconds between two lines.
        poll: seconds between two looks at ``done``.
        grace: seconds after which a command still without the machine code is taken to
            be compiling in other processes (``math.inf``: only in this one); by default
            :data:`GRACE`.
        settle: seconds without compiling in this process after which it has ended.
    """

    def __init__(
        self,
        done: Callable[[], bool],
        stream: TextIO,
        notice: str,
        every: float = EVERY,
        poll: float = 1.0,
        grace: float | None = None,
        settle: float = SETTLE,
    ):
        self.done, self.stream, self.notice = done, stream, notice
        self.every, self.poll = every, poll
        self.grace = GRACE if grace is None else grace
        self._begun = threading.Event()
        self._listener = _CompilingHere(self._begun, settle)
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._watch, name="compiling-clock", daemon=True)

    def __enter__(self) -> CompilingClock:
        numba_events.register("numba:compile", self._listener)
        if self.grace <= 0:  # taken to compile from the start: said before the command
            self._say(self.notice)
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._begun.set()  # wakes the watch, which finds the command over
        self._thread.join()
        numba_events.unregister("numba:compile", self._listener)

    def _say(self, line: str) -> None:
        print(f"interregnum: {line}", file=self.stream, flush=True)

    def _watch(self) -> None:
        start = time.monotonic()
        if self.grace > 0:
            start = self._compiling_since(start)
            if start is None:
                return
            self._say(self.notice)
        said = 0
        while not self._stop.wait(self.poll):
            elapsed = time.monotonic() - start
            ended = self._listener.ended_at()
            if ended is not None or self.done():
                self._say(f"compiled in {(ended or time.monotonic()) - start:.0f} s")
                return
            if elapsed >= (said + 1) * self.every:
                said += 1
                self._say(f"still compiling ({elapsed:.0f} s so far)")

    def _compiling_since(self, start: float) -> float | None:
        """When compiling began, or ``None`` if the command ended or found the code first.

        Here and now if numba said so; in the workers since ``start`` once the grace is over.
        """
        while not self._begun.wait(min(self.poll, self.grace)):
            if self.done():
                return None
            if time.monotonic() - start >= self.grace:
                return start
        return None if self._stop.is_set() else time.monotonic()
