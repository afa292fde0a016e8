"""Time and memory of a command and its worker processes, as a user waits for them.

Shared by the benchmarks that run an ``interregnum`` command as a child process
(``compare_speed.py``, ``sensitivity_speed.py``): its wall time, the largest single
process of its tree (``getrusage``), and, with ``psutil``, the whole tree's memory
sampled while it runs, as resident set size (RSS: pages shared after fork counted in
every process, an upper bound) and proportional set size (PSS: shared pages split
between the processes sharing them).
"""

from __future__ import annotations

import resource
import subprocess
import sys
import time

MB = 2**20


def largest_child_mb() -> float:
    """Peak resident memory (MB) of the largest finished descendant waited for."""
    to_mb = 1 / 1024 if sys.platform != "darwin" else 1 / MB
    return resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss * to_mb


def tree_memory(process) -> tuple[float, float]:
    """Summed RSS and PSS (MB) of a psutil process and its descendants, now."""
    import psutil

    rss = pss = 0
    for member in [process, *process.children(recursive=True)]:
        try:
            info = member.memory_full_info()
        except (psutil.NoSuchProcess, psutil.AccessDenied):
            continue
        rss += info.rss
        pss += getattr(info, "pss", info.rss)
    return rss / MB, pss / MB


def timed_command(command: list[str], interval: float) -> tuple[float, str, float, float]:
    """Run a command; return its wall time, stdout and peak tree RSS and PSS (MB, or NaN)."""
    try:
        import psutil
    except ImportError:  # the tree's memory is then not sampled
        psutil = None
    started = time.perf_counter()
    child = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    peak_rss = peak_pss = float("nan") if psutil is None else 0.0
    if psutil is not None:
        watched = psutil.Process(child.pid)
        while child.poll() is None:
            try:
                rss, pss = tree_memory(watched)
            except psutil.NoSuchProcess:
                break
            peak_rss, peak_pss = max(peak_rss, rss), max(peak_pss, pss)
            time.sleep(interval)
    stdout, stderr = child.communicate()
    wall = time.perf_counter() - started
    if child.returncode != 0:
        raise SystemExit(f"{' '.join(command)} failed ({child.returncode}):\n{stderr}")
    return wall, stdout, peak_rss, peak_pss
