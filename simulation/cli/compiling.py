"""While the model compiles on first use, say how long it has taken so far.

Compiling the month takes from half a minute to several minutes, by the machine
(``benchmarks/first_run.py``); one line at the start and then silence looks like a
hang on a slow classroom machine. A thread beside the command watches numba's cache
and says every so often how long the compiling has run, and once when it is done.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from typing import TextIO

EVERY = 30.0
"""Seconds between two lines while compiling."""


class CompilingClock:
    """Say every ``every`` seconds how long compiling has run, until ``done()`` or the end.

    Used as a context manager around the command: leaving it stops the clock, whether
    the command compiled, failed before it had to, or was interrupted.

    Args:
        done: whether the machine code is on disk (the cache numba writes once compiled).
        stream: where the lines go (stderr).
        every: seconds between two lines.
        poll: seconds between two looks at ``done``.
    """

    def __init__(
        self,
        done: Callable[[], bool],
        stream: TextIO,
        every: float = EVERY,
        poll: float = 1.0,
    ):
        self.done, self.stream, self.every, self.poll = done, stream, every, poll
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._watch, name="compiling-clock", daemon=True)

    def __enter__(self) -> CompilingClock:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()

    def _watch(self) -> None:
        start = time.monotonic()
        said = 0
        while not self._stop.wait(self.poll):
            elapsed = time.monotonic() - start
            if self.done():
                print(f"interregnum: compiled in {elapsed:.0f} s", file=self.stream, flush=True)
                return
            if elapsed >= (said + 1) * self.every:
                said += 1
                print(
                    f"interregnum: still compiling ({elapsed:.0f} s so far)",
                    file=self.stream,
                    flush=True,
                )
