"""A scenario discovery: run lever combinations K times each, find where an outcome is likely.

The runs go through the ensemble runner into ``DIR/runs/`` (same executors, streaming
and ``--resume`` as ``ensemble``); each run's scenario is the base with its
combination's levers applied, over its own draw of the other parameters (see
:mod:`.design`). The outcome of interest is a boolean expression over the summary's
columns and the runs' paths (:func:`.paths.with_paths`; default: someone other than
Stalin dominates at the end). Each run's path is read with the scenario it ran, so a
verdict an overlay lever adds counts, and compared with history's, the base's.
"""

from __future__ import annotations

import ast
import re
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from simulation.experiments.discovery.boxes import (
    SHUFFLES,
    Box,
    against_chance,
    feature_scores,
    find_boxes,
)
from simulation.experiments.discovery.design import DiscoveryError, LeverPoints, experiments
from simulation.experiments.discovery.levers import Lever
from simulation.experiments.discovery.report import write_report
from simulation.experiments.ensemble import Ensemble, read_table, run_ensemble
from simulation.experiments.ensemble.executors import ChunkExecutor
from simulation.experiments.outcomes import summary_columns
from simulation.experiments.parameter_draws import ParameterDraws
from simulation.experiments.paths import (
    PATH_SUMMARY_COLUMNS,
    history_orders,
    path_table_blocks,
    run_paths,
    with_paths,
)
from simulation.experiments.seeds import SeedError, check_seed
from simulation.model import Mode
from simulation.scenario import Scenario
from simulation.scenario.messages import listing, unknown

DEFAULT_OUTCOME = 'dominant != "stalin"'
"""The outcome of interest unless ``--outcome`` names another: someone else dominates at the end."""


@dataclass(frozen=True)
class Discovery:
    """What a discovery varies, how often it runs, and which outcome it explains.

    Attributes:
        scenario: the validated base scenario.
        levers: the levers (see :mod:`.levers`).
        runs: lever combinations of a Latin hypercube (None: the default; a factorial
            design takes none).
        replicates: K, the runs of each combination, paired by seed across combinations.
        outcome: a boolean pandas expression over the summary's columns.
        design: ``lhs`` or ``factorial``.
        boxes: most PRIM boxes to report.
        seed: seeds the hypercube, the K run seeds, the runs' parameter draws and the
            feature scores.
        mode: how the scenario's decisions are treated.
        scenario_file: where the scenario came from, for the manifest.
        overrides: the change flags applied to it, for the manifest.
        levers_file: where the levers came from, for the manifest.
        parameters: the posterior or prior draws of the parameters no lever sets, one
            per run (None: the point estimate in every run; see :mod:`.design`).
        parameters_note: why the point estimate stands in for the posterior, in every run
            or for some parameters, if it does.
        shuffles: the permutation test's shuffles of the outcomes (0: no test).
    """

    scenario: Scenario
    levers: tuple[Lever, ...]
    runs: int | None = None
    replicates: int = 4
    outcome: str = DEFAULT_OUTCOME
    design: str = "lhs"
    boxes: int = 3
    seed: int = 1
    mode: Mode = Mode.FREE
    scenario_file: str = ""
    overrides: tuple[str, ...] = ()
    levers_file: str = ""
    parameters: ParameterDraws | None = None
    parameters_note: str = ""
    shuffles: int = SHUFFLES


@dataclass
class DiscoveryReport:
    """What a discovery found and wrote, and what the user should be told of its outcome."""

    runs: int
    simulated: int
    seconds: float
    share: float
    boxes: list[Box]
    files: list[Path]
    warnings: list[str]


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


def _compared_texts(expression: str) -> list[tuple[str, str]]:
    """The ``(column, text)`` pairs an outcome compares: ``dominant == "Stalin"`` gives one.

    Names in backquotes (congress_1925-12_for_share, with its dash) are read as names; an
    expression Python cannot parse gives none (pandas has already said why).
    """
    names: dict[str, str] = {}

    def placeholder(match: re.Match) -> str:
        names[f"_quoted_{len(names)}"] = match.group(1)
        return f"_quoted_{len(names) - 1}"

    try:
        tree = ast.parse(re.sub(r"`([^`]*)`", placeholder, expression).strip(), mode="eval")
    except SyntaxError:
        return []
    pairs = []
    for node in ast.walk(tree):
        if not isinstance(node, ast.Compare):
            continue
        sides = [node.left, *node.comparators]
        for left, right in zip(sides, sides[1:], strict=False):
            for name, other in ((left, right), (right, left)):
                if isinstance(name, ast.Name):
                    column = names.get(name.id, name.id)
                    pairs += [(column, text) for text in _texts(other)]
    return pairs


def _texts(node: ast.expr) -> list[str]:
    """The strings a comparison's other side names: one, or a list of them."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return [node.value]
    if isinstance(node, ast.List | ast.Tuple | ast.Set):
        return [text for element in node.elts for text in _texts(element)]
    return []


def unmatched_texts(summary: pd.DataFrame, expression: str) -> list[str]:
    """A warning for each text the outcome compares a column with that no run has.

    ``dominant == "Stalin"`` is true in no run because ids are lower case: the outcome
    is then 0% (or, with ``!=``, 100%) for a reason that is no finding.
    """
    warnings = []
    for column, text in dict.fromkeys(_compared_texts(expression)):
        if column not in summary.columns or summary[column].dtype == bool:
            continue
        occurring = summary[column].dropna().astype(str)
        if text not in set(occurring):
            values = listing(occurring.value_counts().index)
            warnings.append(
                f"--outcome {expression!r}: no run has {column} {text!r}, so the comparison "
                f"is the same in every run; the values that occur: {values}"
            )
    return warnings


def _check_leaders_named(scenario: Scenario, expression: str) -> None:
    """Refuse an outcome that compares ``dominant`` with no leader of the scenario.

    ``dominant == "stalinn"`` is false in every run: found out after the runs, it would
    cost a whole discovery to learn of a slip that ``--leaders`` refuses at once.
    """
    ids = [leader.id for leader in scenario.leaders]
    for column, text in _compared_texts(expression):
        if column == "dominant" and text not in ids:
            raise DiscoveryError(f"--outcome {expression!r}: {unknown('leader', text, ids)}")


def _empty_summary(scenario: Scenario) -> pd.DataFrame:
    """A summary with no runs and every column an outcome may name, to check it before any run."""
    return pd.DataFrame(
        {
            name: pd.Series(dtype=object if name in ("scenario", "dominant") else float)
            for name in summary_columns(scenario)
        }
        | {name: pd.Series(dtype=kind) for name, kind in PATH_SUMMARY_COLUMNS.items()}
    )


def check_discovery(discovery: Discovery) -> pd.DataFrame:
    """Refuse a discovery that cannot run as asked, before any run; return its combinations.

    Raises:
        DiscoveryError: a seed out of range, a count below one, a bad design or number of
            combinations, or an outcome that is no true/false condition over the summary.
    """
    try:
        check_seed(discovery.seed)
    except SeedError as error:
        raise DiscoveryError(str(error)) from None
    if discovery.replicates < 1:
        raise DiscoveryError(f"--replicates must be at least 1, got {discovery.replicates}")
    if discovery.boxes < 1:
        raise DiscoveryError(f"--boxes must be at least 1, got {discovery.boxes}")
    outcome_of_interest(_empty_summary(discovery.scenario), discovery.outcome)
    _check_leaders_named(discovery.scenario, discovery.outcome)
    return experiments(list(discovery.levers), discovery.design, discovery.runs, discovery.seed)


def read_paths(runs_dir: Path, source: LeverPoints, scenario: Scenario) -> pd.DataFrame:
    """Each run's path (:func:`.paths.run_paths`), read with the scenario that run ran.

    The base scenario does not know a verdict an overlay lever adds: read with it, a run
    of the Testament read to the Congress would miss the Congress's censure of Stalin.
    The logs are read a block of runs at a time, as an ensemble's paths are.
    """
    scenarios = [(levered, np.asarray(runs)) for levered, runs in source.path_scenarios(scenario)]
    paths = []
    for tables in path_table_blocks(runs_dir):
        for levered, runs in scenarios:
            theirs = [table[table["run"].isin(runs)] for table in tables]
            if len(theirs[0]):
                paths.append(run_paths(*theirs, levered))
    return pd.concat(paths, ignore_index=True).sort_values("run", ignore_index=True)


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
        DiscoveryError: bad seed, design, count or outcome (exit status 2), checked before
            any run.
        EnsembleError: from the runner.
    """
    table = check_discovery(discovery)
    levers = list(discovery.levers)
    k = discovery.replicates
    source = LeverPoints(levers, table, k, discovery.parameters, discovery.seed)
    ensemble = Ensemble(
        scenario=discovery.scenario,
        runs=source.runs,
        seed=discovery.seed,
        mode=discovery.mode,
        scenario_file=discovery.scenario_file,
        overrides=discovery.overrides,
        parameters=source,
        paired=k,
        quantiles=False,
        parameters_note=discovery.parameters_note,
    )
    runs_dir = out_dir / "runs"
    done = run_ensemble(ensemble, runs_dir, executor, resume=resume, progress=progress)
    summary = with_paths(
        read_table(runs_dir, "summary"),
        read_paths(runs_dir, source, discovery.scenario),
        history_orders(discovery.scenario),
    )
    y = outcome_of_interest(summary, discovery.outcome)
    warnings = unmatched_texts(summary, discovery.outcome)
    x = table.loc[table.index.repeat(k)].reset_index(drop=True)
    boxes = find_boxes(x, y, levers, discovery.boxes)
    boxes = against_chance(boxes, x, y, levers, k, discovery.seed, discovery.shuffles)
    scores = feature_scores(x, y, "outcome", discovery.seed) if 0 < y.sum() < len(y) else None
    runs_table = x.copy()
    runs_table.insert(0, "combination", np.repeat(np.arange(len(table)), k))
    runs_table.insert(0, "run", np.arange(len(x)))
    runs_table["seed"] = summary.sort_values("run")["seed"].to_numpy()
    runs_table["outcome"] = y
    files = write_report(out_dir, discovery, levers, runs_table, boxes, scores, warnings)
    share = float(y.mean())
    return DiscoveryReport(done.runs, done.simulated, done.seconds, share, boxes, files, warnings)
