"""The progress bar of an ensemble on stderr: runs done, runs per second, time left."""

from __future__ import annotations

import sys

from tqdm.auto import tqdm


def progress_bar(total: int, done: int, enabled: bool) -> tqdm:
    """A bar counting runs from ``done`` to ``total`` (silent unless ``enabled``)."""

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
