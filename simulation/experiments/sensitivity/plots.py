"""Figures of a sensitivity study: Morris's μ*–σ plane, Sobol's indices as bars with intervals.

One panel per outcome, axes labelled, so a figure can go into a paper's appendix as it is.
"""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np
import pandas as pd
from matplotlib.figure import Figure

from simulation.output.files import write_atomically


def _panels(count: int) -> tuple[Figure, list]:
    columns = min(count, 2)
    rows = math.ceil(count / columns)
    figure = Figure(figsize=(6.5 * columns, 4.5 * rows), layout="constrained")
    axes = figure.subplots(rows, columns, squeeze=False).ravel().tolist()
    for extra in axes[count:]:
        extra.set_visible(False)
    return figure, axes[:count]


def morris_figure(indices: pd.DataFrame, outcomes: list[str]) -> Figure:
    """μ* against σ per parameter, one panel per outcome; the 1:1 line marks σ = μ*."""
    figure, axes = _panels(len(outcomes))
    for axis, outcome in zip(axes, outcomes, strict=True):
        table = indices[indices["outcome"] == outcome].pivot(
            index="parameter", columns="index", values="estimate"
        )
        axis.set_title(outcome)
        axis.set_xlabel("μ* (mean absolute elementary effect)")
        axis.set_ylabel("σ (spread of the effects)")
        if table["mu_star"].isna().all():
            axis.text(0.5, 0.5, "outcome does not vary", ha="center", transform=axis.transAxes)
            continue
        axis.scatter(table["mu_star"], table["sigma"], color="tab:red")
        for name, row in table.iterrows():
            axis.annotate(
                name,
                (row["mu_star"], row["sigma"]),
                fontsize=7,
                xytext=(3, 3),
                textcoords="offset points",
            )
        top = float(np.nanmax(table[["mu_star", "sigma"]].to_numpy())) or 1.0
        axis.plot([0, top], [0, top], color="grey", linewidth=0.8, linestyle="--")
    return figure


def sobol_figure(indices: pd.DataFrame, outcomes: list[str]) -> Figure:
    """S1 and ST per parameter as bars with their 95% intervals, one panel per outcome."""
    figure, axes = _panels(len(outcomes))
    for axis, outcome in zip(axes, outcomes, strict=True):
        table = indices[indices["outcome"] == outcome]
        names = list(dict.fromkeys(table["parameter"]))
        positions = np.arange(len(names))
        for offset, index, colour in ((-0.2, "S1", "tab:blue"), (0.2, "ST", "tab:orange")):
            rows = table[table["index"] == index].set_index("parameter").loc[names]
            errors = np.vstack(
                [rows["estimate"] - rows["ci_low"], rows["ci_high"] - rows["estimate"]]
            )
            axis.bar(
                positions + offset,
                rows["estimate"],
                width=0.4,
                yerr=errors,
                capsize=2,
                color=colour,
                label=f"{index} ({'first order' if index == 'S1' else 'total'})",
            )
        axis.set_xticks(positions, names, rotation=60, ha="right", fontsize=7)
        axis.set_ylabel("share of the outcome's variance")
        axis.set_title(outcome)
        axis.legend(fontsize=7)
    return figure


def write_figure(figure: Figure, path: Path) -> Path:
    """Save a figure atomically as PNG."""
    write_atomically(path, lambda temporary: figure.savefig(temporary, format="png", dpi=120))
    return path
