"""Speed and memory of ``interregnum compare``: a paired 2 x N comparison, then its rerun.

The target of issue 4: "A 2 x 5,000-run comparison finishes in under a minute here,
with peak memory under 1 GB".

Runs ``interregnum compare BASELINE ALTERNATIVE --runs N`` as a child process into a
fresh directory and measures:

- the wall time of the whole command (start-up, both ensembles, statistics with
  ``--bootstrap`` resamples, report, plot), with the ensembles' own lines;
- peak memory: the largest single process of the command's tree (the command or one
  of its workers) from ``resource.getrusage(RUSAGE_CHILDREN)``, and, with ``psutil``,
  the peak over samples every ``--interval`` seconds of the whole tree's memory summed,
  as resident set size (RSS: pages shared after fork counted in every process, an upper
  bound) and as proportional set size (PSS: shared pages split between the processes
  sharing them);
- the wall time of the same command run again, which reuses both ensembles: the cost of
  the comparison itself (reading the summaries, bootstrap, report, plot).

Usage: ``python benchmarks/compare_speed.py [--runs 5000] [--workers K] [--bootstrap 2000]
[--alternative FILE] [--mode free] [--out DIR]``. The figures depend on the model's cost
per run, which changes as the model does.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

from process_tree import largest_child_mb, timed_command

ROOT = Path(__file__).resolve().parent.parent
BASELINE = ROOT / "scenarios" / "baseline_1922.yaml"
NO_ENROLMENT = ROOT / "scenarios" / "counterfactuals" / "no_lenin_enrolment.yaml"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5000, help="runs per scenario")
    parser.add_argument("--workers", type=int, default=None, help="default: every core")
    parser.add_argument("--bootstrap", type=int, default=2000, help="bootstrap resamples")
    parser.add_argument("--alternative", type=Path, default=NO_ENROLMENT)
    parser.add_argument("--mode", choices=["free", "replay"], default="free")
    parser.add_argument("--out", type=Path, default=None, help="keep the outputs here")
    parser.add_argument("--interval", type=float, default=0.1, help="memory sampling (s)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="compare-bench-") as directory:
        out = args.out or Path(directory) / "compare"
        if out.exists() and any(out.iterdir()):
            raise SystemExit(f"{out} is not empty: the first comparison must simulate")
        command = [
            sys.executable,
            "-m",
            "simulation.cli",
            "compare",
            str(BASELINE),
            str(args.alternative),
            "--runs",
            str(args.runs),
            "--mode",
            args.mode,
            "--bootstrap",
            str(args.bootstrap),
            "--out",
            str(out),
            "--quiet",
        ] + (["--workers", str(args.workers)] if args.workers else [])
        print(f"Python {sys.version.split()[0]}; {' '.join(command[3:])}")
        wall, stdout, rss, pss = timed_command(command, args.interval)
        largest = largest_child_mb()
        for line in stdout.splitlines():
            if "simulated" in line:
                print(f"    {line}")
        print(
            f"(a) 2 x {args.runs} runs, fresh: {wall:.1f} s wall (target < 60 s), "
            f"{2 * args.runs / wall:.0f} runs/s overall"
        )
        print(
            f"    peak memory: largest process {largest:.0f} MB (getrusage); whole tree "
            f"{pss:.0f} MB PSS, {rss:.0f} MB RSS (sampled every {args.interval} s; "
            "target < 1024 MB)"
        )
        again, stdout, rss, pss = timed_command(command, args.interval)
        reused = sum("reusing" in line for line in stdout.splitlines())
        print(
            f"(b) the same again, {reused} ensembles reused: {again:.1f} s wall "
            f"(read, {args.bootstrap} bootstrap resamples, report, plot); whole tree "
            f"{pss:.0f} MB PSS"
        )


if __name__ == "__main__":
    main()
