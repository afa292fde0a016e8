"""PRIM boxes and feature scores from the EMA Workbench, put in a historian's words.

PRIM (Friedman & Fisher 1999; the EMA Workbench's maintained implementation) peels
the lever space toward the region where the outcome of interest is most frequent.
Each step of its peeling trajectory trades coverage (the share of all such outcomes
inside the box) for density (the share of the box's runs that have it). From each
trajectory we take the densest box that still covers at least :data:`MIN_COVERAGE`
of the cases, state its restrictions as a rule, and then ask PRIM for the next box
among the cases left outside (held to that share of the cases left). A box's coverage
is reported as the Workbench gives it, a share of all the cases, so that the boxes'
coverages add up.
"""

from __future__ import annotations

import logging
import math
import warnings
from dataclasses import dataclass, field, replace

import numpy as np
import pandas as pd

with warnings.catch_warnings():  # it warns on import that optional ipyparallel is missing
    warnings.simplefilter("ignore", UserWarning)
    from ema_workbench.analysis import feature_scoring, prim

from simulation.experiments.compare.statistics import wilson_interval
from simulation.experiments.discovery.levers import Lever

MIN_COVERAGE = 0.5
"""A box chosen from a trajectory covers at least this share of the outcomes of interest."""
MASS_MIN = 0.05
"""PRIM stops peeling a box below this share of the runs."""
SCORING_STREAM = 1953
"""Tag of the stream the extra trees' seed is spawned from, apart from the runs' seeds."""
SHUFFLING_STREAM = 1954
"""Tag of the stream the permutation test's shuffles are drawn from."""
SHUFFLES = 100
"""Shuffles of the outcomes the permutation test runs PRIM on by default (about 0.2 s each
on 400 runs here), as the command line's ``--shuffles``."""


@dataclass
class Box:
    """One region of lever space: its rule, density, coverage and the runs inside.

    Attributes:
        trajectory: PRIM's peeling trajectory the box was chosen from (``coverage``,
            ``density``, ``res_dim``), for the trade-off figure.
        step: the chosen step of the trajectory.
        inside: the runs inside the box.
        rate: the share of all runs with the outcome of interest.
        chance: the permutation test's p-value (:func:`against_chance`), None if not run.
        shuffles: the shuffles it ran.
        over_all: the rule's density, coverage and mass over all runs, for a box after the
            first, whose own figures are over the runs the earlier boxes left (PRIM measures
            a later box there); None for the first, whose figures are over all runs.
    """

    rule: str
    density: float
    coverage: float
    mass: float
    restricted: list[str]
    trajectory: pd.DataFrame | None = field(default=None, repr=False, compare=False)
    step: int = 0
    inside: int = 0
    rate: float = 0.0
    chance: float | None = None
    shuffles: int = 0
    over_all: tuple[float, float, float] | None = None

    def density_interval(self) -> tuple[float, float]:
        """Wilson's 95% interval of the density over the runs inside the box.

        The box is chosen on the same runs its density is measured on, so even this
        interval is optimistic; one that reaches :attr:`rate` says the box may be chance.
        """
        low, high = wilson_interval(self.density * self.inside, self.inside)
        return float(low), float(high)


def _restriction(lever: Lever, low: object, high: object, initial: pd.Series) -> str | None:
    """The rule's clause for one lever, or None if the box leaves it free."""
    if lever.boolean:
        values = set(low) if isinstance(low, set) else {low, high}
        if values == set(initial.iloc[0]) or len(values) != 1:
            return None
        return lever.label if True in values else f"NOT {lever.label}"
    if lever.integer:  # limits between whole values (months, a count): the values inside them
        whole = math.ceil(low), math.floor(high)
        if whole == (math.ceil(initial.iloc[0]), math.floor(initial.iloc[1])):
            return None
        if lever.kind != "move_event":
            return f"{lever.label} from {whole[0]} to {whole[1]}"
        return f"{lever.label} moved by {whole[0]:+d} to {whole[1]:+d} months"
    if low == initial.iloc[0] and high == initial.iloc[1]:
        return None
    return f"{lever.label} from {_rounded(float(low), down=True)} to {_rounded(float(high))}"


def _rounded(value: float, down: bool = False) -> str:
    """``value`` to three significant digits, rounded outward (a lower limit down).

    So that the rule as written holds every run of the box: 0.139821 written 0.14 left
    out the runs between the two.
    """
    if value == 0 or not math.isfinite(value):
        return f"{value:g}"
    unit = 10.0 ** (math.floor(math.log10(abs(value))) - 2)
    steps = value / unit
    whole = math.floor(steps + 1e-9) if down else math.ceil(steps - 1e-9)
    return f"{whole * unit:.3g}"


def _inside(x: pd.DataFrame, limits: pd.DataFrame, names: list[str]) -> np.ndarray:
    """Which runs a box's limits hold, on the levers it restricts."""
    mask = np.ones(len(x), dtype=bool)
    for name in names:
        low, high = limits[name].iloc[0], limits[name].iloc[1]
        if isinstance(low, set):
            mask &= x[name].isin(low).to_numpy()
        else:
            mask &= x[name].between(low, high).to_numpy()
    return mask


def find_boxes(x: pd.DataFrame, y: np.ndarray, levers: list[Lever], count: int) -> list[Box]:
    """Up to ``count`` boxes, each with the peeling trajectory it was chosen from.

    Each box is the densest on its trajectory that covers at least :data:`MIN_COVERAGE`.
    Whole-valued levers (months an event is moved by, a count) go to PRIM as real
    numbers: the Workbench (3.0) pastes a quantile such as -2.5 into an integer column's
    limits, which pandas refuses; the rule then names the whole values inside the limits.

    Args:
        x: one row per run, a column per lever (on/off levers as booleans).
        y: whether each run has the outcome of interest.
        levers: the levers, for their labels.
        count: most boxes to find.
    """
    if not y.any() or y.all():
        return []
    x = x.astype({lever.name: float for lever in levers if lever.integer})
    logging.getLogger("EMA").setLevel(logging.WARNING)
    with warnings.catch_warnings():  # the Workbench's own use of a deprecated pandas keyword
        warnings.filterwarnings("ignore", message="The inplace keyword")
        return _peel(prim.Prim(x, y, mass_min=MASS_MIN), levers, count)


def _share_left(finder: prim.Prim) -> float:
    """The share of all outcomes of interest outside the boxes found before this one.

    The Workbench's coverage is a share of all the outcomes of interest; a later box
    can cover at most those the earlier ones left, so it is held to :data:`MIN_COVERAGE`
    of these (else no second box could follow a first covering over half).
    """
    return float(finder.y[finder.yi_remaining].sum() / finder.y.sum())


def _peel(finder: prim.Prim, levers: list[Lever], count: int) -> list[Box]:
    by_name = {lever.name: lever for lever in levers}
    boxes: list[Box] = []
    for _ in range(count):
        box = finder.find_box()
        if box is None:
            break
        trajectory = box.peeling_trajectory
        eligible = trajectory[trajectory["coverage"] >= MIN_COVERAGE * _share_left(finder)]
        chosen = int(eligible["density"].idxmax()) if not eligible.empty else 0
        limits, initial = box.box_lims[chosen], box.box_lims[0]
        clauses = {
            name: _restriction(
                by_name[name], limits[name].iloc[0], limits[name].iloc[1], initial[name]
            )
            for name in limits.columns
        }
        restricted = [name for name, clause in clauses.items() if clause]
        step = trajectory.loc[chosen]
        if not restricted or step["density"] <= finder.y.mean():
            break  # nothing restricted, or no likelier there than in all runs: no region
        rule = " AND ".join(clause for clause in clauses.values() if clause)
        over_all = None
        if boxes:
            held = _inside(finder.x, limits, restricted)
            outcomes = finder.y[held]
            over_all = (
                float(outcomes.mean()) if held.any() else 0.0,
                float(outcomes.sum() / finder.y.sum()),
                float(held.mean()),
            )
        boxes.append(
            Box(
                rule,
                float(step["density"]),
                float(step["coverage"]),
                float(step["mass"]),
                restricted,
                trajectory[["coverage", "density", "res_dim"]].copy(),
                chosen,
                int(round(float(step["mass"]) * len(finder.y))),
                float(finder.y.mean()),
                over_all=over_all,
            )
        )
        box.select(chosen)
    return boxes


def against_chance(
    boxes: list[Box],
    x: pd.DataFrame,
    y: np.ndarray,
    levers: list[Lever],
    replicates: int,
    seed: int,
    shuffles: int = SHUFFLES,
) -> list[Box]:
    """The boxes, each with the chance that PRIM finds one as dense in shuffled outcomes.

    PRIM finds a box in any outcomes, random ones too, and a box chosen on the runs its
    density is measured on is optimistic. So the outcomes are shuffled across the lever
    combinations, each combination's replicates kept together (they share their seeds),
    and PRIM is run again on each shuffle: box ``i``'s p-value is ``(1 + s) / (1 + n)``,
    ``s`` the shuffles of ``n`` whose ``i``-th box is at least as dense (a missing box
    counts as no denser than all runs). The shuffles are drawn from the discovery's seed.
    The runs are in combination order, ``replicates`` runs each (:mod:`.design`).
    """
    if not boxes or shuffles < 1:
        return boxes
    rng = np.random.default_rng(np.random.SeedSequence([seed, SHUFFLING_STREAM]))
    blocks = y.reshape(-1, replicates)
    as_dense = np.zeros(len(boxes))
    for _ in range(shuffles):
        found = find_boxes(x, blocks[rng.permutation(len(blocks))].ravel(), levers, len(boxes))
        densities = [box.density for box in found] + [float(y.mean())] * len(boxes)
        as_dense += np.array(densities[: len(boxes)]) >= [box.density for box in boxes]
    return [
        replace(box, chance=float((1 + count) / (1 + shuffles)), shuffles=shuffles)
        for box, count in zip(boxes, as_dense, strict=True)
    ]


def scoring_seed(seed: int) -> int:
    """The extra trees' seed, from the discovery's: the same scores for the same ``--seed``.

    scikit-learn takes a seed below 2**32; the discovery's may be any up to 2**63 - 1.
    """
    return int(np.random.SeedSequence([seed, SCORING_STREAM]).generate_state(1)[0])


def feature_scores(x: pd.DataFrame, y: np.ndarray, outcome: str, seed: int) -> pd.DataFrame:
    """Each lever's extra-trees feature score for the outcome of interest, largest first.

    The trees draw their splits at random: they are seeded (:func:`scoring_seed`) so
    that a discovery repeated with one ``--seed`` writes the same scores. Each split
    weighs a third of the levers, as the Workbench does by default (Jaxa-Rozen & Kwakkel
    2018), but at least one: a third of one or two levers rounds to none, which
    scikit-learn refuses.
    """
    x = x.astype({name: int for name in x.columns if x[name].dtype == bool})
    scores = feature_scoring.get_feature_scores_all(
        x,
        {outcome: y.astype(int)},
        mode=feature_scoring.RuleInductionType.CLASSIFICATION,
        max_features=max(1, round(x.shape[1] / 3)),
        random_state=scoring_seed(seed),
    )
    return scores.sort_values(outcome, ascending=False).rename_axis("lever").reset_index()
