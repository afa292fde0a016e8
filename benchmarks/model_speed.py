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


def time_runs(build, runs: int) -> list[float]:
    times = []
    for seed in range(runs):
        start = time.perf_counter()
        model = build(seed)
        while model.running:
            model.step()
        times.append(time.perf_counter() - start)
    return times


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=200)
    parser.add_argument("--scenario", default="scenarios/baseline_1922.yaml")
    args = parser.parse_args()
    scenario = load_scenario(args.scenario)
    model = PartyModel(scenario, seed=0, mode=Mode.FREE)
    agents, months = len(model.agents), model.months
    time_runs(lambda seed: PartyModel(scenario, seed=seed, mode=Mode.FREE), 5)  # warm up
    ours = statistics.median(
        time_runs(lambda seed: PartyModel(scenario, seed=seed, mode=Mode.FREE), args.runs)
    )
    floor = statistics.median(time_runs(lambda seed: EmptyModel(seed, agents, months), args.runs))
    print(f"{scenario.name}: {agents} agents, {months} months, {args.runs} runs each")
    print(f"free-mode run, median:      {ours * 1000:8.2f} ms")
    print(f"empty Mesa model, median:   {floor * 1000:8.2f} ms")
    print(f"ratio (target <= 5):        {ours / floor:8.1f}")


if __name__ == "__main__":
    main()
