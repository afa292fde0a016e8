"""Whole runs of two source trees of the model, alternated run by run in one process.

On a shared machine, ``model_speed.py`` run in separate processes gives medians that
differ by more than a few per cent for the same code, so it cannot tell whether a
change of that size helps. Here both trees are imported side by side (each under its
own copy of the ``simulation`` modules) and every seed runs in both, in alternating
order, so a busy spell of the machine slows both alike. A run costs more than alone,
since the process holds two copies of the compiled code: compare the two, not the
absolute times with ``model_speed.py``. Both trees must compile their own numba cache
(the first run of a fresh tree takes a minute).

    .venv/bin/python benchmarks/alternate_trees.py BEFORE_TREE [AFTER_TREE] [--runs 2000]
        [--mode free] [--months]

With ``--months`` the compiled months of each run are also timed apart (a timer around
each month's call, which both trees pay alike): a change to compiled code shows there
without the Python half of a run, whose spread hides a change of one per cent.

A tree is a directory holding ``simulation/`` and ``scenarios/``, e.g. made by
``git archive COMMIT | tar -x -C DIR``; AFTER_TREE defaults to this checkout.
"""

from __future__ import annotations

import argparse
import importlib
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path
from types import SimpleNamespace

WARM_UP = 10
"""Runs of each tree before timing: load the compiled code, warm the caches."""


def load_tree(root: Path) -> SimpleNamespace:
    """The ``PartyModel``, ``Mode`` and baseline scenario of the tree at ``root``.

    The ``simulation`` modules already imported (another tree's) are set aside first,
    so that every module of this tree binds its own; names are taken at once, before
    the next tree's modules replace these in ``sys.modules``.
    """
    for name in [name for name in sys.modules if name.partition(".")[0] == "simulation"]:
        del sys.modules[name]
    sys.path.insert(0, str(root))
    try:
        scenario = importlib.import_module("simulation.scenario")
        model = importlib.import_module("simulation.model")
        return SimpleNamespace(
            PartyModel=model.PartyModel,
            Mode=model.Mode,
            scenario=scenario.load_scenario(root / "scenarios" / "baseline_1922.yaml"),
        )
    finally:
        sys.path.remove(str(root))


def run(tree: SimpleNamespace, seed: int, mode: str, months: list[float] | None = None) -> object:
    """Build a model of ``tree`` and step it to the end, as ``model_speed.py`` times it.

    Given ``months``, the seconds of the run's compiled months are added to its first item.
    """
    model = tree.PartyModel(tree.scenario, seed=seed, mode=tree.Mode(mode))
    if months is not None:  # a tree's replayed months have their own function, or none
        for name in ("_simulate_month", "_replay_month"):
            month = getattr(model, name, None)
            if month is not None:
                setattr(model, name, _timed_month(month, months))
    while model.running:
        model.step()
    return model


def _timed_month(month: Callable, spent: list[float]) -> Callable:
    """``month`` (a model's compiled month), adding the seconds of each call to ``spent[0]``."""
    clock = time.perf_counter

    def timed_month(*arguments: object) -> int:
        start = clock()
        rows = month(*arguments)
        spent[0] += clock() - start
        return rows

    return timed_month


def timed(tree: SimpleNamespace, seed: int, mode: str, months: bool) -> tuple[float, float]:
    """Seconds of one :func:`run`, and of its compiled months if ``months`` (else 0)."""
    spent = [0.0]
    start = time.perf_counter()
    run(tree, seed, mode, spent if months else None)
    return time.perf_counter() - start, spent[0]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("before", type=Path)
    parser.add_argument("after", type=Path, nargs="?", default=Path(__file__).parent.parent)
    parser.add_argument("--runs", type=int, default=2000)
    parser.add_argument("--mode", choices=["free", "replay"], default="free")
    parser.add_argument("--months", action="store_true", help="also time the compiled months")
    args = parser.parse_args()
    before, after = load_tree(args.before.resolve()), load_tree(args.after.resolve())
    for seed in range(WARM_UP):
        run(before, seed, args.mode)
        run(after, seed, args.mode)
    same = run(before, WARM_UP, args.mode), run(after, WARM_UP, args.mode)
    if (same[0].event_log, same[0].vote_log) != (same[1].event_log, same[1].vote_log):
        print("warning: the two trees log different events or votes for one seed")
    times: dict[str, list[tuple[float, float]]] = {"before": [], "after": []}
    for seed in range(args.runs):
        order = ("before", "after") if seed % 2 else ("after", "before")
        for name in order:
            tree = before if name == "before" else after
            times[name].append(timed(tree, seed, args.mode, args.months))
    print(f"{args.mode} mode, {args.runs} runs of each tree, alternated")
    for part, label in enumerate(("", "compiled months, ")[: 1 + args.months]):
        medians = {
            name: statistics.median(t[part] for t in values) for name, values in times.items()
        }
        print(f"{label}before, median: {medians['before'] * 1e6:8.1f} us")
        print(f"{label}after, median:  {medians['after'] * 1e6:8.1f} us")
        print(f"{label}after / before: {medians['after'] / medians['before']:8.4f}")


if __name__ == "__main__":
    main()
