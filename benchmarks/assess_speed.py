"""Speed of ``interregnum assess``: 1,000 runs per parameter set and both null models.

The target of issue 10: "``assess`` with 1,000 runs and both null models finishes in
under a minute on 2 cores".

Runs ``interregnum assess BASELINE --runs N --workers K`` as a child process into a
fresh directory, and prints the wall time of the whole command (start-up, the run
sets of N runs each: posterior, point and prior predictive, the hold-out fit and the
hindsight audit's variants; the null models; tables, report and figure),
the command's own time for the runs, and the runs per second it implies. The load
average before and after says how busy the machine was, which on a shared machine
matters as much as the code.

Usage: ``python benchmarks/assess_speed.py [--runs 1000] [--workers 2] [--out DIR]``.
The figures depend on the model's cost per run, which changes as the model does.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BASELINE = ROOT / "scenarios" / "baseline_1922.yaml"
NULL_MODELS = 2
"""Columns of the assessment's ``joint.csv`` that are null models, scored once, not run."""


def main() -> int:
    """Time one assessment and print the figures."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=1000, help="runs per parameter set")
    parser.add_argument("--workers", type=int, default=2, help="local worker processes")
    parser.add_argument("--out", type=Path, help="assessment directory (default: a temporary one)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as temporary:
        out = args.out or Path(temporary) / "assessment"
        command = [
            sys.executable,
            "-m",
            "simulation.cli",
            "assess",
            str(BASELINE),
            "--runs",
            str(args.runs),
            "--workers",
            str(args.workers),
            "--out",
            str(out),
            "--quiet",
        ]
        load_before = os.getloadavg()[0]
        started = time.perf_counter()
        subprocess.run(command, check=True, cwd=ROOT, stdout=subprocess.DEVNULL)
        wall = time.perf_counter() - started
        load_after = os.getloadavg()[0]
        inside = json.loads((out / "manifest.json").read_text())["seconds"]
        # The run sets the assessment ran (the parameter sets and the hindsight audit's
        # variants), read off its table: their number grows with the audit.
        columns = (out / "joint.csv").read_text().splitlines()[0].split(",")
        run_sets = len(columns) - 1 - NULL_MODELS
    total = run_sets * args.runs
    print(
        f"assess {BASELINE.name}: {args.runs} runs x {run_sets} run sets + 2 null models, "
        f"{args.workers} workers"
    )
    print(f"  wall time of the command: {wall:.1f} s (target: under 60 s)")
    print(f"  runs and scoring inside it: {inside:.1f} s, {total / inside:.0f} runs/s")
    print(f"  load average (1 min) before {load_before:.1f}, after {load_after:.1f}")
    return 0 if wall < 60 else 1


if __name__ == "__main__":
    sys.exit(main())
