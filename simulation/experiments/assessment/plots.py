"""The assessment's figure: hit share per pattern (model and nulls) and the month errors."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
from matplotlib.patches import Patch  # noqa: E402

from simulation.experiments.assessment.null_models import NULL_MODELS  # noqa: E402
from simulation.output.style import save_figure, slide_style  # noqa: E402

if TYPE_CHECKING:
    from simulation.experiments.assessment.assessment import Assessment

MARKERS = {"persistence": ("s", "0.35", 0.2), "apparatus": ("D", "#D55E00", -0.2)}
"""Marker, colour and vertical offset of each null model (offset so that equal shares both show)."""
ROW_INCHES = 0.34
"""Height of a pattern's row: its name at the slides' tick size, with room between."""
LATE = "#FFF3C4"
"""The background of the patterns the hold-out in time is judged on."""


def plot_assessment(assessment: Assessment, path: Path, scenario_name: str) -> None:
    """Draw the hit share per pattern and the month errors side by side.

    Left, one bar per pattern for the model, hatched where the pattern was left out
    of every fit (role ``hold_out``), with markers for the fit that stopped at
    ``fit_until`` and the null models; the rows of the patterns dated after
    ``fit_until`` are shaded, for the hold-out in time is judged on them. Right, the
    model's month errors per timed pattern, so that a near miss reads differently
    from a wild one. Drawn at the slides' sizes (:func:`.output.style.slide_style`).
    """
    with slide_style():
        _draw(assessment, path, scenario_name)


def _draw(assessment: Assessment, path: Path, scenario_name: str) -> None:
    model, settings = assessment.model, assessment.settings
    table = assessment.hit_table()
    count = len(table)
    figure, (hits, errors) = plt.subplots(
        1,
        2,
        figsize=(18, ROW_INCHES * count + 3),
        sharey=True,
        layout="constrained",
        gridspec_kw={"width_ratios": [3, 2]},
    )
    rows = np.arange(count)[::-1]
    late = set(assessment.late())
    for row, pattern in zip(rows, table["pattern"], strict=True):
        if pattern in late:
            for axis in (hits, errors):
                axis.axhspan(row - 0.5, row + 0.5, color=LATE, zorder=0, linewidth=0)
    bars = hits.barh(rows, table[model], color="#0072B2", alpha=0.75, zorder=2)
    for bar, role in zip(bars, table["role"], strict=True):
        if role == "hold_out":
            bar.set_hatch("//")
            bar.set_edgecolor("white")
    handles = [
        Patch(color="#0072B2", alpha=0.75, label=f"model ({model} parameters)"),
        Patch(
            facecolor="#0072B2",
            alpha=0.75,
            hatch="//",
            edgecolor="white",
            label="pattern left out of every fit",
        ),
        Patch(color=LATE, label=f"dated after {settings.fit_until}: the hold-out in time"),
    ]
    if "hold-out fit" in table:
        handles.append(
            hits.scatter(
                table["hold-out fit"],
                rows,
                marker="|",
                s=260,
                linewidths=2.5,
                color="#009E73",
                zorder=3,
                label=f"fitted only up to {settings.fit_until}",
            )
        )
    for null in NULL_MODELS:
        marker, colour, offset = MARKERS[null]
        handles.append(
            hits.scatter(
                table[null],
                rows + offset,
                marker=marker,
                s=30,
                color=colour,
                zorder=3,
                label=f"null model: {null}",
            )
        )
    labels = [f"{p} ({level})" for p, level in zip(table["pattern"], table["level"], strict=True)]
    hits.set_yticks(rows, labels)
    hits.set_ylim(-0.7, count - 0.3)
    hits.set_xlim(-0.02, 1.02)
    hits.set_xlabel("share of runs reproducing the pattern")
    figure.legend(handles=handles, loc="outside lower center", ncol=3, frameon=False)
    hits.set_title("Patterns: the model against the null models")

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
        positions = [int(rows[list(table["pattern"]).index(pid)]) for pid in timed]
        errors.boxplot(
            data,
            positions=positions,
            orientation="horizontal",
            showfliers=True,
            widths=0.6,
            manage_ticks=False,  # the rows are the patterns' own, named on the left
        )
    errors.set_xlabel("month error, where the pattern could be timed")
    errors.tick_params(axis="y", left=False)
    errors.set_title("Timing errors of the model")
    figure.suptitle(
        f"{scenario_name}: {settings.runs:,} runs per parameter set, root seed {settings.seed}"
    )
    save_figure(figure, path)
    plt.close(figure)
