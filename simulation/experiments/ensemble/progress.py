"""The progress bar of long work on stderr: items done, items per second, time left.

An ensemble counts its runs; a calibration counts the particles it keeps.
"""

from __future__ import annotations

import sys

from tqdm.auto import tqdm


def progress_bar(
    total: int, done: int, enabled: bool, unit: str = "run", desc: str = "ensemble"
) -> tqdm:
    """A bar counting ``unit``s from ``done`` to ``total`` (silent unless ``enabled``)."""

    class Bar(tqdm):
        # No monitor thread: workers are forked after the bar starts, from a
        # parent that should have a single thread.
        monitor_interval = 0

    return Bar(
        total=total,
        initial=done,
        unit=unit,
        desc=desc,
        disable=not enabled,
        file=sys.stderr,
        smoothing=0.1,
        dynamic_ncols=True,
    )
