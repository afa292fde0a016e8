"""Ensemble throughput: our runner on 1 and 2 workers, a paired 2 x N ensemble, Mesa's batch_run.

Prints, in one run:

(a) runs/s of ``interregnum ensemble`` end to end (simulation, outcomes, Parquet parts,
    consolidation, quantiles) with 1 worker and with 2 workers, and their ratio
    (target >= 1.8x);
(b) wall time (target < 60 s) and peak memory of a paired ensemble:
    the baseline and the baseline without the Lenin Enrolment, N runs each with the
    same run seeds;
(c) the throughput of ``mesa.batch_run`` running the same model with the same seeds and
    collecting the same outcomes through a ``mesa.DataCollector``, and ours / batch_run
    (target >= 3x).

Timings in (a) and (c) alternate the two contenders and keep the best of ``--repeats``;
a pure-Python loop on 1 and K processes, timed first and last, shows how much parallel
capacity the machine actually gave (shared virtual cores often give less than K).

Usage: ``python benchmarks/ensemble_throughput.py [--runs 2000] [--paired-runs 5000]
[--batch-runs 400] [--workers 2] [--mode free] [--repeats 3]``. The absolute figures
depend on the model's cost per run, which changes as the model does; (a) needs enough
runs that the fixed costs (starting workers, consolidating) do not hide the scaling.
"""

from __future__ import annotations

import argparse
import multiprocessing
import resource
import sys
import tempfile
import time
from pathlib import Path

import mesa
import numpy as np
import pandas as pd
from mesa.batchrunner import batch_run

from simulation.experiments.ensemble import (
    Ensemble,
    LocalProcessExecutor,
    SerialExecutor,
    read_table,
    run_ensemble,
)
from simulation.experiments.outcomes import summary_row
from simulation.experiments.seeds import run_seeds
from simulation.model import Mode, PartyModel
from simulation.model.agents import Leader
from simulation.model.recorder import tenures
from simulation.scenario import Scenario, load_scenario

ROOT = Path(__file__).resolve().parent.parent
BASELINE = ROOT / "scenarios" / "baseline_1922.yaml"
ENROLMENT_EVENTS = ("lenin_enrolment", "lenin_enrolment_proclaimed")


class BatchPartyModel(PartyModel):
    """The party model as ``mesa.batch_run`` wants it: keyword parameters, a DataCollector.

    Each month the DataCollector records every leader's influence, apparatus and power
    (for the quantiles); in the last month it also records the run's summary row,
    tenures, events and votes, the outcomes our ensemble keeps.
    """

    def __init__(self, scenario: Scenario, mode: str = "free", rng: int = 0):
        super().__init__(scenario, seed=rng, mode=Mode(mode))
        self.datacollector = mesa.DataCollector(
            model_reporters={
                "summary": _at_end(summary_row),
                "tenures": _at_end(tenures),
                "events": _at_end(lambda model: list(model.event_log)),
                "votes": _at_end(lambda model: list(model.vote_log)),
            },
            agenttype_reporters={
                Leader: {
                    "leader": "leader_id",
                    "influence": "influence",
                    "apparatus": "apparatus",
                    "power": _leader_power,
                }
            },
        )

    def step(self) -> None:
        """Simulate a month and collect it."""
        super().step()
        self.datacollector.collect(self)


def _at_end(reporter):
    def report(model):
        return None if model.running else reporter(model)

    return report


def _leader_power(leader: Leader) -> float:
    return float(leader.model.recorder.power[leader.model.step_index, leader.index])


def without_enrolment(scenario: Scenario) -> Scenario:
    """The baseline with the Lenin Enrolment (its proclamation and its intake) dropped."""
    events = [event for event in scenario.events if event.id not in ENROLMENT_EVENTS]
    dropped = len(scenario.events) - len(events)
    if dropped == 0:
        raise SystemExit(f"no event {ENROLMENT_EVENTS} in {BASELINE}")
    return scenario.model_copy(update={"name": f"{scenario.name}-no-enrolment", "events": events})


def peak_memory() -> tuple[float, float]:
    """Peak resident memory (MB) of this process and of its largest finished child."""
    to_mb = 1 / 1024 if sys.platform != "darwin" else 1 / 2**20
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * to_mb
    children = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss * to_mb
    return own, children


def _spin(count: int) -> int:
    total = 0
    for number in range(count):
        total += number * number
    return total


def machine_parallelism(workers: int) -> None:
    """How much faster K processes run a pure-Python loop than one: the ceiling for (a)."""
    count, tasks = 2_000_000, 2 * workers
    started = time.perf_counter()
    for _ in range(tasks):
        _spin(count)
    serial = time.perf_counter() - started
    context = multiprocessing.get_context("fork")
    with context.Pool(workers) as pool:
        pool.map(_spin, [1000] * workers)  # start the workers before timing
        started = time.perf_counter()
        pool.map(_spin, [count] * tasks)
        parallel = time.perf_counter() - started
    print(
        f"(machine) a pure-Python loop on {workers} processes runs {serial / parallel:.2f}x "
        f"as fast as on one (the ceiling of the ratio in (a) on this machine now)"
    )


def time_ensemble(ensemble: Ensemble, out: Path, executor) -> float:
    started = time.perf_counter()
    run_ensemble(ensemble, out, executor)
    return time.perf_counter() - started


def model_alone(scenario: Scenario, runs: int, mode: Mode) -> float:
    """Seconds per run of the bare model in this process: no outcomes, no files."""
    seeds = run_seeds(1, runs)
    PartyModel(scenario, seed=0, mode=mode).run()  # loads the compiled code, once per process
    started = time.perf_counter()
    for run, seed in enumerate(seeds):
        model = PartyModel(scenario, seed=seed, mode=mode, run=run)
        while model.running:
            model.step()
    return (time.perf_counter() - started) / runs


def workers_scaling(
    scenario: Scenario, runs: int, workers: int, mode: Mode, repeats: int, tmp: Path
) -> float:
    ensemble = Ensemble(scenario, runs=runs, mode=mode)
    bare = model_alone(scenario, min(runs, 100), mode)
    serial, parallel = [], []
    for _ in range(repeats):  # alternated, so that a busy spell of the machine hits both
        serial.append(time_ensemble(ensemble, tmp / "serial", SerialExecutor()))
        parallel.append(time_ensemble(ensemble, tmp / "parallel", LocalProcessExecutor(workers)))
    same = all(
        read_table(tmp / "serial", table).equals(read_table(tmp / "parallel", table))
        for table in ("summary", "tenures", "events", "votes", "parameters")
    )
    best_serial, best_parallel = min(serial), min(parallel)
    print(
        f"(a) {runs} runs, mode {mode.value}, end to end (simulate, outcomes, parts, "
        f"consolidation, quantiles); best of {repeats}"
    )
    print(f"    the model alone: {bare * 1e3:.1f} ms/run ({1 / bare:.1f} runs/s on one core)")
    print(
        f"    1 worker : {best_serial:6.2f} s  {runs / best_serial:7.1f} runs/s  "
        f"(runner overhead {best_serial / (runs * bare) - 1:+.0%})"
    )
    print(f"    {workers} workers: {best_parallel:6.2f} s  {runs / best_parallel:7.1f} runs/s")
    print(
        f"    ratio {best_serial / best_parallel:.2f}x (target >= 1.8x); identical tables: {same}"
    )
    return runs / best_parallel


def paired(scenario: Scenario, runs: int, workers: int, mode: Mode, tmp: Path) -> None:
    variant = without_enrolment(scenario)
    started = time.perf_counter()
    for name, spec in (("baseline", scenario), ("no-enrolment", variant)):
        ensemble = Ensemble(spec, runs=runs, mode=mode)
        seconds = time_ensemble(ensemble, tmp / name, LocalProcessExecutor(workers))
        print(f"    {name:13s}: {runs} runs in {seconds:6.2f} s ({runs / seconds:.1f} runs/s)")
    wall = time.perf_counter() - started
    own, child = peak_memory()
    base = read_table(tmp / "baseline", "summary")
    other = read_table(tmp / "no-enrolment", "summary")
    paired_seeds = bool((base["seed"] == other["seed"]).all())
    difference = other["power_stalin"] - base["power_stalin"]
    print(f"    total wall {wall:.1f} s (target < 60 s); runs paired by seed: {paired_seeds}")
    print(
        f"    peak memory: parent {own:.0f} MB, largest worker {child:.0f} MB, "
        f"at most {own + workers * child:.0f} MB together (an upper bound: the parent's peak "
        f"includes (a); compare_speed.py measures the 1 GB target)"
    )
    print(
        f"    Stalin's final power share without the enrolment - with it: "
        f"mean {difference.mean():+.4f}, sd {difference.std():.4f}"
    )


def time_batch_run(scenario: Scenario, seeds: list[int], workers: int, mode: Mode):
    started = time.perf_counter()
    results = batch_run(
        BatchPartyModel,
        parameters={"scenario": [scenario], "mode": mode.value},
        number_processes=workers,
        data_collection_period=1,
        max_steps=10_000,
        display_progress=False,
        rng=seeds,
    )
    frame = pd.DataFrame(results)
    return time.perf_counter() - started, frame


def mesa_batch(
    scenario: Scenario, runs: int, workers: int, mode: Mode, repeats: int, tmp: Path
) -> None:
    seeds = run_seeds(1, runs)
    ensemble = Ensemble(scenario, runs=runs, mode=mode)
    ours, theirs = [], []
    for _ in range(repeats):  # alternated, like (a)
        ours.append(time_ensemble(ensemble, tmp / "ours", LocalProcessExecutor(workers)))
        seconds, frame = time_batch_run(scenario, seeds, workers, mode)
        theirs.append(seconds)
    # The same model and seeds: batch_run's final power shares are the ensemble's.
    summary = read_table(tmp / "ours", "summary")
    final = frame[(frame["Step"] == frame["Step"].max()) & (frame["leader"] == "stalin")]
    stalin = final.set_index("rng")["power"].reindex(seeds).to_numpy()
    same = np.allclose(stalin, summary["power_stalin"].to_numpy(), rtol=0, atol=1e-12)
    best_ours, best_theirs = min(ours), min(theirs)
    print(
        f"(c) {runs} runs on {workers} processes, best of {repeats}: mesa.batch_run with a "
        "DataCollector every month, against ours"
    )
    print(f"    batch_run: {best_theirs:6.2f} s  {runs / best_theirs:7.1f} runs/s")
    print(f"    ours     : {best_ours:6.2f} s  {runs / best_ours:7.1f} runs/s")
    print(
        f"    ours / batch_run: {best_theirs / best_ours:.2f}x (target >= 3x); "
        f"same final power shares for the same seeds: {same}"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=2000, help="runs for (a)")
    parser.add_argument("--paired-runs", type=int, default=5000, help="runs per scenario in (b)")
    parser.add_argument("--batch-runs", type=int, default=400, help="runs for (c)")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--mode", choices=["free", "replay"], default="free")
    parser.add_argument("--repeats", type=int, default=3, help="timings of (a) and (c), best kept")
    args = parser.parse_args()
    scenario = load_scenario(BASELINE)
    mode = Mode(args.mode)
    print(f"{scenario.name}: {scenario.start} to {scenario.end}; Python {sys.version.split()[0]}")
    with tempfile.TemporaryDirectory(prefix="ensemble-bench-") as directory:
        tmp = Path(directory)
        machine_parallelism(args.workers)
        workers_scaling(scenario, args.runs, args.workers, mode, args.repeats, tmp)
        print(f"(b) paired ensemble, 2 x {args.paired_runs} runs, {args.workers} workers")
        paired(scenario, args.paired_runs, args.workers, mode, tmp)
        # Last: batch_run forces the 'spawn' start method for the whole process.
        mesa_batch(scenario, args.batch_runs, args.workers, mode, args.repeats, tmp)
        machine_parallelism(args.workers)


if __name__ == "__main__":
    main()
