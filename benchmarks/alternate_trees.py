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
        [--mode free]

A tree is a directory holding ``simulation/`` and ``scenarios/``, e.g. made by
``git archive COMMIT | tar -x -C DIR``; AFTER_TREE defaults to this checkout.
"""

from __future__ import annotations

import argparse
import importlib
import statistics
import sys
import time
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


def run(tree: SimpleNamespace, seed: int, mode: str) -> object:
    """Build a model of ``tree`` and step it to the end, as ``model_speed.py`` times it."""
    model = tree.PartyModel(tree.scenario, seed=seed, mode=tree.Mode(mode))
    while model.running:
        model.step()
    return model


def timed(tree: SimpleNamespace, seed: int, mode: str) -> float:
    """Seconds of one :func:`run`."""
    start = time.perf_counter()
    run(tree, seed, mode)
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("before", type=Path)
    parser.add_argument("after", type=Path, nargs="?", default=Path(__file__).parent.parent)
    parser.add_argument("--runs", type=int, default=2000)
    parser.add_argument("--mode", choices=["free", "replay"], default="free")
    args = parser.parse_args()
    before, after = load_tree(args.before.resolve()), load_tree(args.after.resolve())
    for seed in range(WARM_UP):
        run(before, seed, args.mode)
        run(after, seed, args.mode)
    same = run(before, WARM_UP, args.mode), run(after, WARM_UP, args.mode)
    if (same[0].event_log, same[0].vote_log) != (same[1].event_log, same[1].vote_log):
        print("warning: the two trees log different events or votes for one seed")
    times: dict[str, list[float]] = {"before": [], "after": []}
    for seed in range(args.runs):
        order = ("before", "after") if seed % 2 else ("after", "before")
        for name in order:
            times[name].append(timed(before if name == "before" else after, seed, args.mode))
    medians = {name: statistics.median(values) for name, values in times.items()}
    print(f"{args.mode} mode, {args.runs} runs of each tree, alternated")
    print(f"before, median: {medians['before'] * 1e6:8.1f} us")
    print(f"after, median:  {medians['after'] * 1e6:8.1f} us")
    print(f"after / before: {medians['after'] / medians['before']:8.4f}")


if __name__ == "__main__":
    main()
