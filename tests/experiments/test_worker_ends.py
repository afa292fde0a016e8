"""Worker processes end with the command that started them, however it ends."""

import json
import os
import signal
import subprocess
import sys
import textwrap
import time

from conftest import BASELINE, ROOT

PARENT = textwrap.dedent(
    """
    import os, sys, time
    from types import SimpleNamespace
    from simulation.experiments.assessment.runs import make_mapper

    def report_and_wait(chunk):
        # One write of the whole line: the two workers share the pipe, and print makes two
        # (the pid, then the newline) where output is unbuffered (PYTHONUNBUFFERED, -u).
        os.write(1, f"{os.getpid()}\\n".encode())
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
    """Killed by a SIGTERM it does not catch, assess left its two workers running."""
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


def test_a_terminated_ensemble_ends_its_workers_and_says_so(tmp_path):
    """A SIGTERM (a batch system's time limit) ended the command where it stood."""
    out = tmp_path / "ensemble"
    command = [sys.executable, "-m", "simulation.cli", "ensemble", str(BASELINE), "--runs"]
    command += ["20000", "--workers", "2", "--out", str(out), "--quiet"]
    ensemble = subprocess.Popen(command, cwd=ROOT, stderr=subprocess.PIPE, text=True)
    deadline = time.monotonic() + 300  # a fresh clone compiles the model first
    while not list(out.glob("parts/chunk-*.json")) and time.monotonic() < deadline:
        time.sleep(0.2)
    ensemble.send_signal(signal.SIGTERM)
    _, error = ensemble.communicate(timeout=60)
    assert (ensemble.returncode, error) == (143, "interregnum: terminated\n")
    time.sleep(2)  # a worker ends within a second of its parent
    workers = subprocess.run(["pgrep", "-f", str(out)], capture_output=True, text=True).stdout
    workers = workers.split()
    assert not workers, f"workers {workers} outlived the ensemble"
    manifest = json.loads((out / "manifest.json").read_text())
    assert manifest["status"] == "running" and manifest["sessions"][-1]["runs_simulated"] > 0
    assert manifest["sessions"][-1]["ended"] == "interrupted"  # once called killed
