"""A scenario discovery: run lever combinations K times each, find where an outcome is likely.

The runs go through the ensemble runner into ``DIR/runs/`` (same executors, streaming
and ``--resume`` as ``ensemble``); each run's scenario is the base with its
combination's levers applied. The outcome of interest is a boolean expression over
the summary's columns and the runs' paths (:func:`.paths.with_paths`; default: someone
other than Stalin dominates at the end).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from simulation.experiments.discovery.boxes import Box, feature_scores, find_boxes
from simulation.experiments.discovery.design import DiscoveryError, LeverPoints, experiments
from simulation.experiments.discovery.levers import Lever
from simulation.experiments.discovery.report import write_report
from simulation.experiments.ensemble import Ensemble, read_table, run_ensemble
from simulation.experiments.ensemble.executors import ChunkExecutor
from simulation.experiments.outcomes import summary_columns
from simulation.experiments.paths import (
    PATH_SUMMARY_COLUMNS,
    history_orders,
    read_run_paths,
    with_paths,
)
from simulation.model import Mode
from simulation.scenario import Scenario

DEFAULT_OUTCOME = 'dominant != "stalin"'
"""The outcome of interest unless ``--outcome`` names another: someone else dominates at the end."""


@dataclass(frozen=True)
class Discovery:
    """What a discovery varies, how often it runs, and which outcome it explains.

    Attributes:
        scenario: the validated base scenario.
        levers: the levers (see :mod:`.levers`).
        runs: lever combinations of a Latin hypercube.
        replicates: K, the runs of each combination, paired by seed across combinations.
        outcome: a boolean pandas expression over the summary's columns.
        design: ``lhs`` or ``factorial``.
        boxes: most PRIM boxes to report.
        seed: seeds the hypercube and the K run seeds.
        mode: how the scenario's decisions are treated.
        scenario_file: where the scenario came from, for the manifest.
        overrides: the change flags applied to it, for the manifest.
    """

    scenario: Scenario
    levers: tuple[Lever, ...]
    runs: int = 100
    replicates: int = 4
    outcome: str = DEFAULT_OUTCOME
    design: str = "lhs"
    boxes: int = 3
    seed: int = 1
    mode: Mode = Mode.FREE
    scenario_file: str = ""
    overrides: tuple[str, ...] = ()


@dataclass
class DiscoveryReport:
    """What a discovery found and wrote."""

    runs: int
    simulated: int
    seconds: float
    share: float
    boxes: list[Box]
    files: list[Path]


def outcome_of_interest(summary: pd.DataFrame, expression: str) -> np.ndarray:
    """Whether each run (in run order) has the outcome of interest.

    Raises:
        DiscoveryError: the expression cannot be evaluated or is not true/false per run.
    """
    try:
        values = summary.sort_values("run").eval(expression)
    except Exception as error:  # pandas raises many kinds for a bad expression
        raise DiscoveryError(
            f"--outcome {expression!r}: cannot evaluate it over the summary columns "
            f"({type(error).__name__}: {error}); name columns such as dominant, power_stalin, "
            "history_verdicts (in backquotes if they hold a dash)"
        ) from None
    if not isinstance(values, pd.Series) or values.dtype != bool:
        raise DiscoveryError(f"--outcome {expression!r}: expected a true/false condition per run")
    return values.to_numpy()


def run_discovery(
    discovery: Discovery,
    out_dir: Path,
    executor: ChunkExecutor | None = None,
    *,
    resume: bool = False,
    progress: bool = False,
) -> DiscoveryReport:
    """Run a discovery into ``out_dir``; write its boxes, trade-off, feature scores and experiments.

    Raises:
        DiscoveryError: bad design, count or outcome (exit status 2), checked before any run.
        EnsembleError: from the runner.
    """
    if discovery.replicates < 1:
        raise DiscoveryError(f"--replicates must be at least 1, got {discovery.replicates}")
    if discovery.boxes < 1:
        raise DiscoveryError(f"--boxes must be at least 1, got {discovery.boxes}")
    empty = pd.DataFrame(
        {
            name: pd.Series(dtype=object if name in ("scenario", "dominant") else float)
            for name in summary_columns(discovery.scenario)
        }
        | {name: pd.Series(dtype=kind) for name, kind in PATH_SUMMARY_COLUMNS.items()}
    )
    outcome_of_interest(empty, discovery.outcome)
    levers = list(discovery.levers)
    table = experiments(levers, discovery.design, discovery.runs, discovery.seed)
    source = LeverPoints(levers, table, discovery.replicates)
    ensemble = Ensemble(
        scenario=discovery.scenario,
        runs=source.runs,
        seed=discovery.seed,
        mode=discovery.mode,
        scenario_file=discovery.scenario_file,
        overrides=discovery.overrides,
        parameters=source,
        paired=discovery.replicates,
        quantiles=False,
    )
    done = run_ensemble(ensemble, out_dir / "runs", executor, resume=resume, progress=progress)
    summary = with_paths(
        read_table(out_dir / "runs", "summary"),
        read_run_paths(out_dir / "runs", discovery.scenario),
        history_orders(discovery.scenario),
    )
    y = outcome_of_interest(summary, discovery.outcome)
    x = table.loc[table.index.repeat(discovery.replicates)].reset_index(drop=True)
    boxes, figure = find_boxes(x, y, levers, discovery.boxes)
    scores = feature_scores(x, y, "outcome") if 0 < y.sum() < len(y) else None
    runs_table = x.copy()
    runs_table.insert(0, "combination", np.repeat(np.arange(len(table)), discovery.replicates))
    runs_table.insert(0, "run", np.arange(len(x)))
    runs_table["seed"] = summary.sort_values("run")["seed"].to_numpy()
    runs_table["outcome"] = y
    files = write_report(out_dir, discovery, levers, runs_table, boxes, figure, scores)
    return DiscoveryReport(done.runs, done.simulated, done.seconds, float(y.mean()), boxes, files)
