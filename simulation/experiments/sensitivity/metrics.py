"""The outcome metrics a sensitivity study analyses, read from an ensemble's summary table.

The defaults are the baseline's questions a reader asks first: does Stalin dominate at the
end (a probability over a point's runs), his final power share, the month Trotsky leaves
the War Commissariat, and the opposition's share of the votes at the 14th Congress. Any
leader can be asked about (``dominant_ID``, ``power_ID``), and any numeric
``summary.parquet`` column can be named as well.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from simulation.experiments.compare.report import metric_label, parse_left
from simulation.experiments.sensitivity.design import SensitivityError
from simulation.scenario import Scenario

DEFAULT_OUTCOMES = (
    "dominant_stalin",
    "power_stalin",
    "left_trotsky_war_commissar",
    "opposition_share_1925-12",
)
"""Outcomes analysed unless ``--outcomes`` names others (skipped where a scenario lacks them)."""
DERIVED = {
    "opposition_share_1925-12": "share of congress votes against the majority at the 14th Congress",
}


def describe_outcome(name: str) -> str:
    """One line saying what an outcome measures, for the summary."""
    if name in DERIVED:
        return DERIVED[name]
    if name.startswith("opposition_share_"):
        month = name.removeprefix("opposition_share_")
        return f"share of congress votes against the majority at the congress of {month}"
    if name.startswith("dominant_"):
        return (
            f"1 if {name.removeprefix('dominant_')} has the largest power share at the end, else 0"
        )
    if name.startswith("left_"):
        return "months until the post was lost (the scenario's length if never)"
    if name.startswith("power_"):
        return f"final power share of {name.removeprefix('power_')}"
    return f"summary column {name}"


def outcome_title(name: str, scenario: Scenario) -> str:
    """An outcome in a reader's words, with the scenario's names: a figure panel's title.

    ``dominant_stalin`` is "P(Joseph Stalin dominant at 1926-12)", as ``compare`` says it:
    the mean of a 0/1 outcome over a point's runs, which is what the indices move.
    """
    if name.startswith("dominant_"):
        return metric_label(f"p_{name}", scenario)
    if name.startswith("power_"):
        return metric_label(name, scenario)
    leader, post = parse_left(name, scenario) if name.startswith("left_") else ("", "")
    if leader and post in scenario.posts:
        who = next(person.name for person in scenario.leaders if person.id == leader)
        return f"months until {who} leaves {scenario.posts[post].name}"
    if name.startswith("opposition_share_"):
        month = name.removeprefix("opposition_share_")
        return f"opposition's share of the votes, congress of {month}"
    return name


def run_values(summary: pd.DataFrame, name: str, months: int) -> pd.Series:
    """One outcome's value in every run, ordered by run number.

    ``left_*`` columns, NaN when the post was never lost, count as the scenario's
    length in months (right-censored), so that every point has a value.

    Raises:
        SensitivityError: the outcome is neither derived nor a numeric summary column.
    """
    summary = summary.sort_values("run")
    leader = name.removeprefix("dominant_")
    if name.startswith("dominant_") and f"power_{leader}" in summary:
        return (summary["dominant"] == leader).astype(float)
    if name.startswith("opposition_share_"):
        column = f"congress_{name.removeprefix('opposition_share_')}_for_share"
        if column in summary:
            return 1.0 - summary[column].astype(float)
    if (
        name in summary
        and name not in ("run", "seed")
        and pd.api.types.is_numeric_dtype(summary[name])
    ):
        values = summary[name].astype(float)
        return values.fillna(float(months)) if name.startswith("left_") else values
    numeric = [
        c
        for c in summary.columns
        if c not in ("run", "seed") and pd.api.types.is_numeric_dtype(summary[c])
    ]
    raise SensitivityError(
        f"--outcomes: unknown outcome {name!r} (expected dominant_LEADER, "
        f"opposition_share_YYYY-MM or a summary column such as {', '.join(numeric[:4])})"
    )


def available(summary_columns: Sequence[str], names: Sequence[str]) -> list[str]:
    """The default outcomes the scenario's summary can give (the others are skipped)."""
    columns = set(summary_columns)
    kept = []
    for name in names:
        congress = f"congress_{name.removeprefix('opposition_share_')}_for_share"
        dominant = f"power_{name.removeprefix('dominant_')}"
        derived = (name.startswith("dominant_") and dominant in columns) or (
            name.startswith("opposition_share_") and congress in columns
        )
        if derived or name in columns:
            kept.append(name)
    return kept


def partial_points(values: pd.Series, runs_per_point: int) -> int:
    """How many sample points have a value in some of their K runs but not all.

    Their means are over fewer runs, other seeds than their neighbours': the summary
    says how many, since the common random numbers hold for the others only.
    """
    counts = np.sum(~np.isnan(values.to_numpy(dtype=float).reshape(-1, runs_per_point)), axis=1)
    return int(np.sum((counts > 0) & (counts < runs_per_point)))


def point_means(values: pd.Series, runs_per_point: int) -> np.ndarray:
    """Each sample point's mean over its K runs (runs ``p*K .. p*K+K-1``).

    Runs without a value (a congress that voted no motion) are left out of their
    point's mean; a point none of whose runs has a value gets NaN.
    """
    array = values.to_numpy(dtype=float).reshape(-1, runs_per_point)
    counts = np.sum(~np.isnan(array), axis=1)
    sums = np.nansum(array, axis=1)
    return np.divide(sums, counts, out=np.full(len(array), np.nan), where=counts > 0)
