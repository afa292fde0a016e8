"""Plots of an ensemble: fan charts of the main leaders' power share over time."""

from __future__ import annotations

import math
from pathlib import Path

import matplotlib
import matplotlib.dates as mdates
import pandas as pd
from matplotlib.figure import Figure

from simulation.output.files import write_atomically
from simulation.output.plots import key_events, main_leaders
from simulation.scenario.schema import Scenario

FAN_LEADERS = 6


def fan_leaders(quantiles: pd.DataFrame, count: int = FAN_LEADERS) -> list[str]:
    """The leaders with the highest median power share in the final month, strongest first."""
    power = quantiles[quantiles["measure"] == "power"]
    final = power[power["date"] == power["date"].max()]
    return main_leaders(final.rename(columns={"q50": "power"}), count=count)


def plot_fan(
    quantiles: pd.DataFrame,
    scenario: Scenario,
    path: Path,
    runs: int | None = None,
    title: str | None = None,
) -> None:
    """Draw, per main leader, the median power share and its 50% and 90% bands.

    Args:
        quantiles: the ensemble's ``quantiles`` table (scenario, date, leader, measure,
            q05, q25, q50, q75, q95).
        scenario: the scenario simulated (leader names and key events).
        path: the PNG to write.
        runs: number of runs, for the title.
        title: replaces the default title.
    """
    names = {leader.id: leader.name for leader in scenario.leaders}
    leaders = fan_leaders(quantiles)
    power = quantiles[quantiles["measure"] == "power"].copy()
    power["month"] = pd.to_datetime(power["date"], format="%Y-%m")
    columns = 3 if len(leaders) > 4 else max(1, len(leaders))
    rows = max(1, math.ceil(len(leaders) / columns))
    figure = Figure(figsize=(5 * columns, 3.4 * rows + 1.8))
    axes = figure.subplots(rows, columns, sharex=True, sharey=True, squeeze=False)
    colours = matplotlib.colormaps["tab10"]
    events = key_events(scenario)
    top = power[["q95"]].max().iloc[0] if len(power) else 1.0
    for number, axis in enumerate(axes.ravel()):
        if number >= len(leaders):
            axis.set_visible(False)
            continue
        leader = leaders[number]
        band = power[power["leader"] == leader].sort_values("month")
        colour = colours(number)
        axis.fill_between(
            band["month"],
            band["q05"],
            band["q95"],
            color=colour,
            alpha=0.15,
            linewidth=0,
            label="90% of runs",
        )
        axis.fill_between(
            band["month"],
            band["q25"],
            band["q75"],
            color=colour,
            alpha=0.35,
            linewidth=0,
            label="50% of runs",
        )
        axis.plot(band["month"], band["q50"], color=colour, linewidth=1.8, label="median")
        for when, label in events:
            axis.axvline(when, color="0.6", linewidth=0.7, linestyle=":", zorder=0)
            if number < columns:  # labels stand above the top row, out of the data
                axis.annotate(
                    label,
                    xy=(when, 1.0),
                    xycoords=("data", "axes fraction"),
                    xytext=(0, 3),
                    textcoords="offset points",
                    rotation=90,
                    va="bottom",
                    ha="center",
                    fontsize=6,
                    color="0.35",
                )
        axis.text(
            0.02,
            0.95,
            names.get(leader, leader),
            transform=axis.transAxes,
            va="top",
            fontsize=11,
            fontweight="bold",
        )
        axis.grid(axis="y", color="0.9")
        axis.set_ylim(0, max(0.05, top * 1.12))
        axis.xaxis.set_major_locator(mdates.MonthLocator(bymonth=(1, 7)))
        axis.xaxis.set_major_formatter(mdates.DateFormatter("%b %Y"))
        axis.tick_params(axis="x", labelrotation=45, labelsize=8)
        if number % columns == 0:
            axis.set_ylabel("Power share (of living leaders)")
    handles, labels = axes.ravel()[0].get_legend_handles_labels()
    figure.legend(handles, labels, loc="lower center", ncol=3, frameon=False, fontsize=9)
    counted = f"{runs} runs" if runs is not None else "ensemble"
    figure.suptitle(
        title
        or f"{scenario.name}: power share of the main leaders ({counted}; median, "
        "50% and 90% bands)"
    )
    figure.tight_layout(rect=(0, 0.04, 1, 1))
    write_atomically(path, lambda temporary: figure.savefig(temporary, format="png", dpi=110))
