"""Sensitivity study speed: Morris (20 trajectories, K = 8) and Sobol (N = 1024, K = 4).

Runs ``interregnum sensitivity`` on the baseline as a child process into a fresh
directory, as a user would (start-up, sampling, every run through the ensemble runner
with its Parquet parts and consolidation, SALib's analysis, the figure and summary),
over every fitted parameter and the default outcomes, and prints wall time, runs/s and
peak memory: the largest single process so far (``getrusage`` over every child waited for,
so with ``both`` Sobol's figure holds Morris's too) and the whole tree's, sampled while it
runs, as PSS and RSS (see ``process_tree.py``).

Targets (issue 12): Morris with 20 trajectories and K = 8 under a minute; Sobol
with N = 1024 and K = 4 (about 120,000 runs with 27 parameters) under 10 minutes and
2 GB.

Usage: ``python benchmarks/sensitivity_speed.py [--method morris|sobol|both]
[--trajectories 20] [--samples 1024] [--morris-k 8] [--sobol-k 4] [--workers 2]
[--mode free] [--interval 0.5]``. The first run on a machine compiles the model (about a
minute); run once beforehand so that the timing does not include it.
"""

from __future__ import annotations

import argparse
import re
import sys
import tempfile
from pathlib import Path

from process_tree import largest_child_mb, timed_command

BASELINE = Path(__file__).resolve().parents[1] / "scenarios" / "baseline_1922.yaml"


def measure(method: str, size: int, runs_per_point: int, args: argparse.Namespace) -> None:
    """Run one study in a temporary directory and print its time and memory."""
    size_option = "--trajectories" if method == "morris" else "--samples"
    with tempfile.TemporaryDirectory(prefix="sensitivity-bench-") as folder:
        command = [
            sys.executable,
            "-m",
            "simulation.cli",
            "sensitivity",
            str(BASELINE),
            "--method",
            method,
            size_option,
            str(size),
            "--runs-per-point",
            str(runs_per_point),
            "--workers",
            str(args.workers),
            "--mode",
            args.mode,
            "--out",
            str(Path(folder) / "study"),
            "--quiet",
        ]
        wall, stdout, rss, pss = timed_command(command, args.interval)
    counted = re.search(rf"^{method}: (\d+) runs", stdout, re.M)
    if counted is None:
        raise SystemExit(f"the command did not say how many runs it made:\n{stdout}")
    runs = int(counted.group(1))
    print(
        f"{method}: size {size}, K = {runs_per_point}, {runs} runs in {wall:.1f} s "
        f"({runs / wall:.0f} runs/s); peak memory: largest process {largest_child_mb():.0f} MB, "
        f"whole tree {pss:.0f} MB PSS, {rss:.0f} MB RSS (sampled every {args.interval} s)"
    )


def main() -> None:
    """Parse the options and time the chosen studies."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--method", choices=["morris", "sobol", "both"], default="both")
    parser.add_argument("--trajectories", type=int, default=20)
    parser.add_argument("--samples", type=int, default=1024)
    parser.add_argument("--morris-k", type=int, default=8)
    parser.add_argument("--sobol-k", type=int, default=4)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--mode", choices=["free", "replay"], default="free")
    parser.add_argument("--interval", type=float, default=0.5, help="memory sampling (s)")
    args = parser.parse_args()
    print(f"Python {sys.version.split()[0]}; {args.workers} workers, {args.mode} mode")
    if args.method in ("morris", "both"):
        measure("morris", args.trajectories, args.morris_k, args)
    if args.method in ("sobol", "both"):
        measure("sobol", args.samples, args.sobol_k, args)


if __name__ == "__main__":
    main()
