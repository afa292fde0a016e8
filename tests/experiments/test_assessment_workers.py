"""An assessment's worker processes end with it, however it ends."""

import os
import signal
import subprocess
import sys
import textwrap
import time

from conftest import ROOT

PARENT = textwrap.dedent(
    """
    import os, sys, time
    from types import SimpleNamespace
    from simulation.experiments.assessment.runs import make_mapper

    def report_and_wait(chunk):
        print(os.getpid(), flush=True)
        time.sleep(60)

    make_mapper(workers=2)(report_and_wait, [SimpleNamespace(runs=[k]) for k in range(2)])
    """
)


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    return True


def test_workers_end_when_the_assessment_is_killed_outright():
    """Killed by a SIGTERM it does not catch, assess left two workers of 345 MB running."""
    parent = subprocess.Popen(
        [sys.executable, "-c", PARENT], cwd=ROOT, stdout=subprocess.PIPE, text=True
    )
    workers = [int(parent.stdout.readline()) for _ in range(2)]
    parent.send_signal(signal.SIGKILL)
    parent.wait()
    deadline = time.monotonic() + 10
    while any(map(_alive, workers)) and time.monotonic() < deadline:
        time.sleep(0.2)
    left = [pid for pid in workers if _alive(pid)]
    for pid in left:
        os.kill(pid, signal.SIGKILL)
    assert not left, f"workers {left} outlived their parent"
