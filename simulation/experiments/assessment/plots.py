"""The assessment's figure: hit share per pattern (model and nulls) and the month errors."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402

from simulation.experiments.assessment.null_models import NULL_MODELS  # noqa: E402
from simulation.output.files import write_atomically  # noqa: E402

if TYPE_CHECKING:
    from simulation.experiments.assessment.assessment import Assessment

MARKERS = {"persistence": ("s", "tab:gray", 0.2), "apparatus": ("D", "tab:red", -0.2)}
"""Marker, colour and vertical offset of each null model (offset so that equal shares both show)."""


def plot_assessment(assessment: Assessment, path: Path) -> None:
    """Draw the hit share per pattern and the month errors side by side.

    Left, one bar per pattern for the model (hatched: hold_out), with markers
    for the hold-out fit and the null models; right, the model's month errors
    per timed pattern, so that a near miss reads differently from a wild one.
    """
    model = assessment.model
    table = assessment.hit_table()
    count = len(table)
    figure, (hits, errors) = plt.subplots(
        1, 2, figsize=(15, 0.24 * count + 2), gridspec_kw={"width_ratios": [3, 2]}
    )
    rows = np.arange(count)[::-1]
    bars = hits.barh(rows, table[model], color="tab:blue", alpha=0.75, label=f"model ({model})")
    for bar, role in zip(bars, table["role"], strict=True):
        if role == "hold_out":
            bar.set_hatch("//")
    if "hold-out fit" in table:
        hits.scatter(
            table["hold-out fit"],
            rows,
            marker="|",
            s=120,
            color="tab:green",
            label="fitted up to the hold-out month",
        )
    for null in NULL_MODELS:
        marker, colour, offset = MARKERS[null]
        hits.scatter(
            table[null], rows + offset, marker=marker, s=18, color=colour, label=f"null: {null}"
        )
    labels = [f"{p} ({level})" for p, level in zip(table["pattern"], table["level"], strict=True)]
    hits.set_yticks(rows, labels, fontsize=7)
    hits.set_xlim(-0.02, 1.02)
    hits.set_xlabel("share of runs hitting the pattern (hatched: hold_out)")
    hits.legend(fontsize=7, loc="lower right")
    hits.set_title("Patterns: model against the null models", fontsize=10)

    scores = assessment.scores[model]
    timed = [
        pid
        for pid in table["pattern"]
        if np.isfinite(scores.loc[scores["pattern"] == pid, "error"]).any()
    ]
    data = [
        scores.loc[(scores["pattern"] == pid) & np.isfinite(scores["error"]), "error"].to_numpy()
        for pid in timed
    ]
    if data:
        errors.boxplot(data, orientation="horizontal", tick_labels=timed, showfliers=True)
        errors.invert_yaxis()
        errors.tick_params(axis="y", labelsize=7)
    errors.set_xlabel("month error (runs in which the pattern could be timed)")
    errors.set_title("Timing errors of the model", fontsize=10)
    figure.tight_layout()
    write_atomically(path, lambda temporary: figure.savefig(temporary, format="png", dpi=90))
    plt.close(figure)
