"""Plots of a run: influence and power of the main leaders, with the run's events marked."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import matplotlib.dates as mdates
import pandas as pd
from matplotlib.axes import Axes
from matplotlib.figure import Figure

from simulation.model.party_model import Mode
from simulation.output.colours import leader_colours
from simulation.output.contenders import main_leaders
from simulation.output.marks import draw_marks, month_start, run_marks, scenario_marks, title_pad
from simulation.output.names import display_names
from simulation.output.style import save_figure, slide_style
from simulation.scenario.schema import Scenario


def month_axis(axis: Axes, scenario: Scenario) -> None:
    """Date the x axis from the scenario's first to its last month, ticks in Jan and Jul."""
    axis.set_xlim(month_start(scenario.start), month_start(scenario.end))
    axis.xaxis.set_major_locator(mdates.MonthLocator(bymonth=(1, 7)))
    axis.xaxis.set_major_formatter(mdates.DateFormatter("%b %Y"))


def draw_influence(
    trajectories: pd.DataFrame,
    scenario: Scenario,
    events: pd.DataFrame | None = None,
    leaders: Sequence[str] | None = None,
    title: str | None = None,
) -> Figure:
    """Influence (top) and power share (bottom) of the leaders, each drawn while alive.

    Args:
        trajectories: the run's ``trajectories`` table.
        scenario: the scenario run (names, colours, period).
        events: the run's ``events`` table, whose events are marked (what the run
            applied and decided); without it, the scenario's labelled events as a replay
            applies them.
        leaders: the leaders to draw (default :func:`main_leaders`).
        title: replaces the default title.
    """
    names = display_names(scenario)
    colours = leader_colours(scenario)
    leaders = list(leaders) if leaders else main_leaders(trajectories)
    frame = trajectories[trajectories["leader"].isin(leaders)]
    if "alive" in frame:
        frame = frame[frame["alive"].astype(bool)]
    frame = frame.assign(month=pd.to_datetime(frame["date"], format="%Y-%m"))
    with slide_style():
        figure = Figure(figsize=(14, 9.5))
        top, bottom = figure.subplots(2, 1, sharex=True, gridspec_kw={"height_ratios": [3, 2]})
        for leader in leaders:
            rows = frame[frame["leader"] == leader]
            style = {"color": colours[leader], "gid": leader}
            top.plot(rows["month"], rows["influence"], label=names.get(leader, leader), **style)
            bottom.plot(rows["month"], rows["power"], **style)
        month_axis(bottom, scenario)
        marks = (
            scenario_marks(scenario, Mode.REPLAY)
            if events is None
            else run_marks(events, scenario, leaders)
        )
        rows_used = draw_marks([top, bottom], marks)
        top.set_ylabel("Influence (standing, 0-1)")
        top.set_ylim(0, 1.05)
        bottom.set_ylabel("Power share\n(of living leaders)")
        bottom.set_ylim(bottom=0)
        bottom.set_xlabel("Month")
        top.legend(loc="center left", bbox_to_anchor=(1.0, 0.5), frameon=False)
        for axis in (top, bottom):
            axis.grid(axis="y", color="0.9")
        top.set_title(
            title or f"{scenario.name}: influence and power of the main leaders",
            pad=title_pad(rows_used),
        )
        figure.tight_layout()
    return figure


def plot_influence(
    trajectories: pd.DataFrame,
    scenario: Scenario,
    path: Path,
    events: pd.DataFrame | None = None,
    leaders: Sequence[str] | None = None,
    title: str | None = None,
) -> None:
    """Write :func:`draw_influence` to ``path`` (PNG, SVG or PDF by its suffix)."""
    save_figure(draw_influence(trajectories, scenario, events, leaders, title), path)
