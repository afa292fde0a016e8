"""Plots of a run: influence and power of the main leaders, with key events marked."""

from __future__ import annotations

from pathlib import Path

import matplotlib
import matplotlib.dates as mdates
import pandas as pd
from matplotlib.figure import Figure

from simulation.output.files import write_atomically
from simulation.scenario.schema import Scenario


def main_leaders(trajectories: pd.DataFrame, count: int = 8) -> list[str]:
    """The leaders with the highest peak power share, strongest first."""
    peak = trajectories.groupby("leader")["power"].max().sort_values(ascending=False)
    return list(peak.index[:count])


def key_events(scenario: Scenario) -> list[tuple[pd.Timestamp, str]]:
    """Dates and labels of the events the scenario marks, one entry per month.

    Labels of the same month are joined, so that they do not print over each other.
    """
    labels: dict[pd.Timestamp, list[str]] = {}
    for event in scenario.events:
        if event.label:
            when = pd.Timestamp(year=event.date.year, month=event.date.month, day=1)
            labels.setdefault(when, []).append(event.label)
    return [(when, " · ".join(names)) for when, names in sorted(labels.items())]


def plot_influence(
    trajectories: pd.DataFrame, scenario: Scenario, path: Path, title: str | None = None
) -> None:
    """Draw influence (top) and power share (bottom) of the main leaders over time."""
    names = {leader.id: leader.name for leader in scenario.leaders}
    leaders = main_leaders(trajectories)
    frame = trajectories[trajectories["leader"].isin(leaders)].copy()
    frame["month"] = pd.to_datetime(frame["date"], format="%Y-%m")
    figure = Figure(figsize=(14, 9))
    top, bottom = figure.subplots(2, 1, sharex=True, gridspec_kw={"height_ratios": [3, 2]})
    colours = matplotlib.colormaps["tab10"]
    for number, leader in enumerate(leaders):
        rows = frame[frame["leader"] == leader]
        style = {"color": colours(number), "linewidth": 2.0 if number < 3 else 1.4}
        top.plot(rows["month"], rows["influence"], label=names.get(leader, leader), **style)
        bottom.plot(rows["month"], rows["power"], **style)
    for when, label in key_events(scenario):
        for axis in (top, bottom):
            axis.axvline(when, color="0.6", linewidth=0.7, linestyle=":", zorder=0)
        top.annotate(
            label,
            xy=(when, 1.0),
            xycoords=("data", "axes fraction"),
            xytext=(2, -4),
            textcoords="offset points",
            rotation=90,
            va="top",
            ha="left",
            fontsize=7,
            color="0.3",
        )
    top.set_ylabel("Influence (standing in the party, 0-1)")
    top.set_ylim(0, 1.05)
    bottom.set_ylabel("Power share (of living leaders)")
    bottom.set_ylim(bottom=0)
    bottom.set_xlabel("Month")
    bottom.xaxis.set_major_locator(mdates.MonthLocator(bymonth=(1, 7)))
    bottom.xaxis.set_major_formatter(mdates.DateFormatter("%b %Y"))
    top.legend(loc="center left", bbox_to_anchor=(1.0, 0.5), frameon=False)
    for axis in (top, bottom):
        axis.grid(axis="y", color="0.9")
    top.set_title(title or f"{scenario.name}: influence and power of the main leaders")
    figure.tight_layout()
    write_atomically(path, lambda temporary: figure.savefig(temporary, format="png", dpi=110))
