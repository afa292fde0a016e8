"""Median time of one free-mode baseline run against the framework's floor.

The floor is an empty Mesa model with as many agents and months as the
baseline: what Mesa itself costs. Issue 3 asks for a ratio of at most 5.

    .venv/bin/python benchmarks/model_speed.py [--runs 200] [--scenario PATH]
"""

from __future__ import annotations

import argparse
import statistics
import time

import mesa

from simulation.model import Mode, PartyModel
from simulation.scenario import load_scenario

BLOCK = 25
"""Runs of one model timed before switching to the other."""


class EmptyModel(mesa.Model):
    """A Mesa model with the baseline's agents and months and nothing to do."""

    def __init__(self, seed: int, agents: int, months: int):
        super().__init__(rng=seed)
        self.months = months
        for _ in range(agents):
            mesa.Agent(self)

    def step(self) -> None:
        """Do nothing; stop after the last month."""
        if self.steps >= self.months:
            self.running = False


def time_run(build, seed: int) -> float:
    """Seconds to build a model and step it to the end."""
    start = time.perf_counter()
    model = build(seed)
    while model.running:
        model.step()
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=200)
    parser.add_argument("--scenario", default="scenarios/baseline_1922.yaml")
    args = parser.parse_args()
    scenario = load_scenario(args.scenario)
    model = PartyModel(scenario, seed=0, mode=Mode.FREE)
    agents, months = len(model.agents), model.months

    def ours(seed: int) -> PartyModel:
        return PartyModel(scenario, seed=seed, mode=Mode.FREE)

    def floor(seed: int) -> EmptyModel:
        return EmptyModel(seed, agents, months)

    for seed in range(5):  # load the compiled code and warm the caches
        time_run(ours, seed)
        time_run(floor, seed)
    # Alternate blocks of runs, so that a busy spell of the machine slows both alike;
    # within a block each model runs warm, as it would back to back.
    ours_times, floor_times = [], []
    for block in range(0, args.runs, BLOCK):
        seeds = range(block, min(block + BLOCK, args.runs))
        ours_times += [time_run(ours, seed) for seed in seeds]
        floor_times += [time_run(floor, seed) for seed in seeds]
    ours_median = statistics.median(ours_times)
    floor_median = statistics.median(floor_times)
    print(f"{scenario.name}: {agents} agents, {months} months, {args.runs} runs each")
    print(f"free-mode run, median:      {ours_median * 1000:8.2f} ms")
    print(f"empty Mesa model, median:   {floor_median * 1000:8.2f} ms")
    print(f"ratio (target <= 5):        {ours_median / floor_median:8.1f}")


if __name__ == "__main__":
    main()
