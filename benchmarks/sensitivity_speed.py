"""Sensitivity study speed: Morris (20 trajectories, K = 8) and Sobol (N = 1024, K = 4).

Runs ``run_study`` end to end on the baseline (sampling, every run through the
ensemble runner with its Parquet parts and consolidation, SALib's analysis, the
figure and summary) over every fitted parameter and the default outcomes, and
prints wall time, runs/s and the peak resident memory of this process and of its
worker processes (the largest single worker, from ``getrusage``).

Targets (issue 12): Morris with 20 trajectories and K = 8 under a minute; Sobol
with N = 1024 and K = 4 (about 80,000 runs) under 10 minutes and 2 GB.

Usage: ``python benchmarks/sensitivity_speed.py [--method morris|sobol|both]
[--trajectories 20] [--samples 1024] [--morris-k 8] [--sobol-k 4] [--workers 2]
[--mode free]``. The first run on a machine compiles the model (about a minute);
run once beforehand so that the timing does not include it.
"""

from __future__ import annotations

import argparse
import resource
import tempfile
import time
from pathlib import Path

from simulation.experiments.ensemble import make_executor
from simulation.experiments.sensitivity import Study, run_study
from simulation.model import Mode
from simulation.model.parameters import free_parameters
from simulation.scenario import load_scenario

BASELINE = Path(__file__).parents[1] / "scenarios" / "baseline_1922.yaml"


def measure(study: Study, workers: int) -> None:
    """Run one study in a temporary directory and print its time and memory."""
    with tempfile.TemporaryDirectory() as folder:
        started = time.perf_counter()
        report = run_study(study, Path(folder) / "study", make_executor(workers=workers))
        seconds = time.perf_counter() - started
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    workers_peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    print(
        f"{study.method}: size {study.size}, K = {study.runs_per_point}, "
        f"{report.runs} runs in {seconds:.1f} s ({report.runs / seconds:.0f} runs/s); "
        f"peak RSS {own:.0f} MB in the parent, {workers_peak:.0f} MB in the largest worker"
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
    args = parser.parse_args()
    scenario = load_scenario(BASELINE)
    print(f"{len(free_parameters())} fitted parameters, {args.workers} workers, {args.mode} mode")
    if args.method in ("morris", "both"):
        measure(
            Study(scenario, "morris", args.trajectories, args.morris_k, mode=Mode(args.mode)),
            args.workers,
        )
    if args.method in ("sobol", "both"):
        measure(
            Study(scenario, "sobol", args.samples, args.sobol_k, mode=Mode(args.mode)),
            args.workers,
        )


if __name__ == "__main__":
    main()
