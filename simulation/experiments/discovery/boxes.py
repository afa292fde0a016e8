"""PRIM boxes and feature scores from the EMA Workbench, put in a historian's words.

PRIM (Friedman & Fisher 1999; the EMA Workbench's maintained implementation) peels
the lever space toward the region where the outcome of interest is most frequent.
Each step of its peeling trajectory trades coverage (the share of all such outcomes
inside the box) for density (the share of the box's runs that have it). From each
trajectory we take the densest box that still covers at least :data:`MIN_COVERAGE`
of the cases, state its restrictions as a rule, and then ask PRIM for the next box
among the cases left outside.
"""

from __future__ import annotations

import logging
import warnings
from dataclasses import dataclass

import numpy as np
import pandas as pd
from matplotlib.figure import Figure

with warnings.catch_warnings():  # it warns on import that optional ipyparallel is missing
    warnings.simplefilter("ignore", UserWarning)
    from ema_workbench.analysis import feature_scoring, prim

from simulation.experiments.discovery.levers import Lever

MIN_COVERAGE = 0.5
"""A box chosen from a trajectory covers at least this share of the outcomes of interest."""
MASS_MIN = 0.05
"""PRIM stops peeling a box below this share of the runs."""


@dataclass
class Box:
    """One region of lever space: its rule, density, coverage and the runs inside."""

    rule: str
    density: float
    coverage: float
    mass: float
    restricted: list[str]


def _restriction(lever: Lever, low: object, high: object, initial: pd.Series) -> str | None:
    """The rule's clause for one lever, or None if the box leaves it free."""
    if lever.boolean:
        values = set(low) if isinstance(low, set) else {low, high}
        if values == set(initial.iloc[0]) or len(values) != 1:
            return None
        return lever.label if True in values else f"NOT {lever.label}"
    if low == initial.iloc[0] and high == initial.iloc[1]:
        return None
    if lever.integer:
        return f"{lever.label} moved by {int(low):+d} to {int(high):+d} months"
    return f"{lever.label} from {float(low):.3g} to {float(high):.3g}"


def find_boxes(
    x: pd.DataFrame, y: np.ndarray, levers: list[Lever], count: int
) -> tuple[list[Box], Figure | None]:
    """Up to ``count`` boxes, and the first box's peeling trade-off figure.

    Each box is the densest on its trajectory that covers at least :data:`MIN_COVERAGE`.

    Args:
        x: one row per run, a column per lever (on/off levers as booleans).
        y: whether each run has the outcome of interest.
        levers: the levers, for their labels.
        count: most boxes to find.
    """
    if not y.any() or y.all():
        return [], None
    logging.getLogger("EMA").setLevel(logging.WARNING)
    with warnings.catch_warnings():  # the Workbench's own use of a deprecated pandas keyword
        warnings.filterwarnings("ignore", message="The inplace keyword")
        return _peel(prim.Prim(x, y, mass_min=MASS_MIN), levers, count)


def _peel(finder: prim.Prim, levers: list[Lever], count: int) -> tuple[list[Box], Figure | None]:
    by_name = {lever.name: lever for lever in levers}
    boxes: list[Box] = []
    figure = None
    for _ in range(count):
        box = finder.find_box()
        if box is None:
            break
        trajectory = box.peeling_trajectory
        eligible = trajectory[trajectory["coverage"] >= MIN_COVERAGE]
        chosen = int(eligible["density"].idxmax()) if not eligible.empty else 0
        limits, initial = box.box_lims[chosen], box.box_lims[0]
        clauses = {
            name: _restriction(
                by_name[name], limits[name].iloc[0], limits[name].iloc[1], initial[name]
            )
            for name in limits.columns
        }
        restricted = [name for name, clause in clauses.items() if clause]
        if not restricted:  # PRIM found nothing to restrict: no further region to report
            break
        step = trajectory.loc[chosen]
        rule = " AND ".join(clause for clause in clauses.values() if clause)
        boxes.append(
            Box(
                rule,
                float(step["density"]),
                float(step["coverage"]),
                float(step["mass"]),
                restricted,
            )
        )
        if figure is None:
            figure = box.show_tradeoff()
        box.select(chosen)
    return boxes, figure


def feature_scores(x: pd.DataFrame, y: np.ndarray, outcome: str) -> pd.DataFrame:
    """Each lever's extra-trees feature score for the outcome of interest, largest first."""
    x = x.astype({name: int for name in x.columns if x[name].dtype == bool})
    scores = feature_scoring.get_feature_scores_all(
        x, {outcome: y.astype(int)}, mode=feature_scoring.RuleInductionType.CLASSIFICATION
    )
    return scores.sort_values(outcome, ascending=False).rename_axis("lever").reset_index()
