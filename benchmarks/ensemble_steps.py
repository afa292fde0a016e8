"""Time and peak memory of a large ensemble's last steps: its paths and its quantiles.

After the bar of ``interregnum ensemble`` is full, the command writes the tables, the
quantiles and ``paths.csv``. At 100,000 runs an audit measured the paths at 2.7 GB
(every run's log rows read at once as Python rows) and the quantiles at 89 s (57 passes
over 2,000 parts, 64 MB of values a pass). This reads an ensemble already on disk and
times each step in a child process of its own, so that each peak is its step's alone:

- ``paths``: :func:`simulation.experiments.paths.read_run_paths`, ``--block`` runs at a
  time (default the module's :data:`~simulation.experiments.paths.PATH_BLOCK`; pass a
  number larger than the runs to read them all at once, as before);
- ``quantiles``: :func:`simulation.experiments.ensemble.quantiles.quantile_frame` over
  the ensemble's array parts with ``--memory`` MB of values a pass (default the module's).

Usage: ``python benchmarks/ensemble_steps.py DIR [--scenario FILE] [--block N]
[--memory MB]``, DIR an ensemble's folder (``interregnum ensemble ... --out DIR``).
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BASELINE = ROOT / "scenarios" / "baseline_1922.yaml"

STEP = """
import json, resource, sys, time
from pathlib import Path
from simulation.scenario import load_scenario

step, folder, scenario, setting = sys.argv[1], Path(sys.argv[2]), sys.argv[3], int(sys.argv[4])
scenario = load_scenario(scenario)
started = time.perf_counter()
if step == "paths":
    import simulation.experiments.paths as paths
    if setting:
        paths.PATH_BLOCK = setting
    rows = len(paths.read_run_paths(folder, scenario))
else:
    from simulation.experiments.ensemble import quantiles
    parts = sorted((folder / "parts").glob("arrays-*.npz"))
    runs = json.loads((folder / "manifest.json").read_text())["runs"]
    memory = setting * 2**20 if setting else quantiles.QUANTILE_MEMORY
    rows = len(quantiles.quantile_frame(scenario, parts, runs, memory))
seconds = time.perf_counter() - started
peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
print(json.dumps({"seconds": seconds, "peak_mb": peak, "rows": rows}))
"""


def measure(step: str, folder: Path, scenario: Path, setting: int) -> dict:
    """One step in a fresh interpreter: its seconds, its process's peak RSS, rows made."""
    done = subprocess.run(
        [sys.executable, "-c", STEP, step, str(folder), str(scenario), str(setting)],
        capture_output=True,
        text=True,
        check=True,
        cwd=ROOT,
    )
    return json.loads(done.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("folder", type=Path, help="an ensemble's folder")
    parser.add_argument("--scenario", type=Path, default=BASELINE, help="its scenario file")
    parser.add_argument("--block", type=int, default=0, help="runs read at once (paths)")
    parser.add_argument("--memory", type=int, default=0, help="MB of values a pass (quantiles)")
    args = parser.parse_args()
    runs = json.loads((args.folder / "manifest.json").read_text())["runs"]
    print(f"{args.folder}: {runs} runs")
    for step, setting in (("paths", args.block), ("quantiles", args.memory)):
        figures = measure(step, args.folder, args.scenario, setting)
        print(
            f"{step}: {figures['seconds']:.1f} s, peak {figures['peak_mb']:.0f} MB RSS "
            f"({figures['rows']} rows)"
        )


if __name__ == "__main__":
    main()
