"""Where a free run's time goes, and how much the leadership decides in it.

Times building the model, the compiled months (those that log decisions apart from
the others) and logging the decisions, and counts the months that log decisions and
the rows they log, as medians per run. A change of the model's rules can make runs
slower by making the leaders decide more, not by slower code: comparing two trees'
counts here tells the two apart.

    .venv/bin/python benchmarks/run_parts.py [--runs 300]
    .venv/bin/python benchmarks/run_parts.py --scenario OTHER_TREE/scenarios/baseline_1922.yaml

The second reads another tree's scenario and fitted parameters (its ``parameters_from``)
with this tree's code. ``PYTHONPATH`` does not bring in another tree's code: the
editable install of ``simulation`` comes first (and mixing the trees gave other counts).

The timers add their own cost (about 0.1 us a month): compare parts, not totals
with ``model_speed.py``.
"""

from __future__ import annotations

import argparse
import statistics
import time

from simulation.model import Mode, PartyModel, party_model
from simulation.scenario import load_scenario

PARTS = ("build", "quiet months", "months with decisions", "logging", "whole run")
COUNTS = ("quiet months", "months with decisions", "decision rows")


def timed_run(scenario, seed: int) -> tuple[dict[str, float], dict[str, int]]:
    """One free run: each part's seconds, and each count."""
    spent, counts = dict.fromkeys(PARTS, 0.0), dict.fromkeys(COUNTS, 0)
    clock = time.perf_counter
    log = party_model.log_decisions

    def logging(model, rows):
        start = clock()
        log(model, rows)
        spent["logging"] += clock() - start
        counts["decision rows"] += rows

    party_model.log_decisions = logging
    try:
        start = clock()
        model = PartyModel(scenario, seed=seed, mode=Mode.FREE)
        month = model._simulate_month

        def simulate(*arguments):
            began = clock()
            rows = month(*arguments)
            part = "months with decisions" if rows else "quiet months"
            spent[part] += clock() - began
            counts[part] += 1
            return rows

        model._simulate_month = simulate
        spent["build"] = clock() - start
        while model.running:
            model.step()
        spent["whole run"] = clock() - start
    finally:
        party_model.log_decisions = log
    return spent, counts


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=300)
    parser.add_argument("--scenario", default="scenarios/baseline_1922.yaml")
    args = parser.parse_args()
    scenario = load_scenario(args.scenario)
    runs = [timed_run(scenario, seed) for seed in range(args.runs)]
    for part in PARTS:
        median = statistics.median(spent[part] for spent, _ in runs)
        print(f"{part:>22}: {median * 1e6:8.1f} us (median)")
    for count in COUNTS:
        mean = statistics.mean(counts[count] for _, counts in runs)
        print(f"{count:>22}: {mean:8.1f} a run (mean)")


if __name__ == "__main__":
    main()
