"""Plots of an ensemble: fan charts of the main leaders' power share over time."""

from __future__ import annotations

import math
import textwrap
from collections.abc import Sequence
from pathlib import Path

import pandas as pd
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.patches import Patch

from simulation.model.party_model import Mode
from simulation.output.colours import leader_colours
from simulation.output.contenders import MAIN_LEADERS, main_leaders
from simulation.output.marks import draw_marks, mark_key, numbered_marks, scenario_marks
from simulation.output.names import display_names
from simulation.output.plots import month_axis
from simulation.output.style import save_figure, slide_style
from simulation.scenario.schema import Scenario


def fan_leaders(quantiles: pd.DataFrame, count: int = MAIN_LEADERS) -> list[str]:
    """The main contenders by the median power share (:mod:`.contenders`), winners and losers."""
    return main_leaders(quantiles[quantiles["measure"] == "power"], count, measure="q50")


def while_alive(band: pd.DataFrame, column: str = "q95") -> pd.DataFrame:
    """The months up to the last in which ``column`` of the leader's power share is not zero.

    A dead leader's power share is zero, which drawn would be a flat line at zero:
    with ``q95`` the band ends when he is dead in (nearly) every run, with ``q50``
    the median path when he is dead in most.
    """
    living = (band[column] > 0).to_numpy()
    last = living.nonzero()[0].max() if living.any() else -1
    return band.iloc[: last + 1]


def draw_fan(
    quantiles: pd.DataFrame,
    scenario: Scenario,
    runs: int | None = None,
    leaders: Sequence[str] | None = None,
    title: str | None = None,
    mode: Mode | str = Mode.FREE,
) -> Figure:
    """Per leader, the median power share with its 50% and 90% bands, one panel each.

    Args:
        quantiles: the ensemble's ``quantiles`` table (scenario, date, leader, measure,
            q05, q25, q50, q75, q95).
        scenario: the scenario simulated (names, colours, period, labelled events).
        runs: number of runs, for the title.
        leaders: the leaders to draw (default :func:`fan_leaders`).
        title: replaces the default title.
        mode: the mode of the ensemble's runs (default free, as an ensemble's), which
            says which labelled events are marked: those its runs applied
            (:func:`.marks.scenario_marks`), so in free mode not the scenario's decisions.
    """
    names = display_names(scenario)
    colours = leader_colours(scenario)
    leaders = list(leaders) if leaders else fan_leaders(quantiles)
    power = quantiles[quantiles["measure"] == "power"]
    power = power.assign(month=pd.to_datetime(power["date"], format="%Y-%m"))
    marks = scenario_marks(scenario, mode)
    top = power["q95"].max() if len(power) else 1.0
    chosen = []
    with slide_style():
        rows = max(1, math.ceil(len(leaders) / 4))  # at most four panels a row, rows filled
        columns = max(1, math.ceil(len(leaders) / rows))
        figure = Figure(figsize=(5.6 * columns, 3.8 * rows + 2.2))
        axes = figure.subplots(rows, columns, sharex=True, sharey=True, squeeze=False)
        for number, axis in enumerate(axes.ravel()):
            if number >= len(leaders):
                axis.set_visible(False)
                continue
            leader = leaders[number]
            band = while_alive(power[power["leader"] == leader].sort_values("month"))
            colour = colours[leader]
            axis.fill_between(
                band["month"],
                band["q05"],
                band["q95"],
                facecolor=colour,
                alpha=0.25,
                edgecolor=colour,
                linewidth=0.8,
            )
            axis.fill_between(
                band["month"], band["q25"], band["q75"], color=colour, alpha=0.42, linewidth=0
            )
            axis.plot(band["month"], band["q50"], color=colour, gid=leader)
            month_axis(axis, scenario)
            chosen = numbered_marks(axis, marks)
            draw_marks([axis], chosen, labelled=False)  # the numbered events only: the key's
            # The name in dark type (light colours read poorly as text), after a swatch
            # beside its last line: each line indented, the swatch's room kept.
            axis.set_title(
                textwrap.indent(names.get(leader, leader), "    "),
                color="0.1",
                fontweight="bold",
                loc="left",
                pad=22,
            )
            axis.annotate(
                "■",
                (0, 1),
                xycoords="axes fraction",
                xytext=(0, 22),
                textcoords="offset points",
                color=colour,
                fontsize=16,
                va="baseline",
            )
            axis.grid(axis="y", color="0.9")
            axis.set_ylim(0, max(0.05, top * 1.08))
            axis.tick_params(axis="x", labelrotation=30)
            if number % columns == 0:
                axis.set_ylabel("Power share")
        figure.legend(
            handles=[
                Patch(color="0.3", alpha=0.42, label="middle 50% of runs"),
                Patch(facecolor="0.3", alpha=0.25, edgecolor="0.3", label="middle 90% of runs"),
                Line2D([], [], color="0.3", label="median"),
            ],
            loc="lower center",
            ncol=3,
            frameon=False,
        )
        counted = f"{runs} runs" if runs is not None else "ensemble"
        kind = scenario.mode_label(Mode(mode).value)
        kind += " mode" if kind == "free" else ""
        default = f"{scenario.name}: power share of the main contenders ({counted}, {kind})"
        figure.suptitle(title or default)
        if chosen:
            figure.text(
                0.5, 0.055, mark_key(chosen), ha="center", fontsize=11, color="0.2", wrap=True
            )
        figure.tight_layout(rect=(0, 0.13, 1, 1))
    return figure


def plot_fan(
    quantiles: pd.DataFrame,
    scenario: Scenario,
    path: Path,
    runs: int | None = None,
    leaders: Sequence[str] | None = None,
    title: str | None = None,
    mode: Mode | str = Mode.FREE,
) -> None:
    """Write :func:`draw_fan` to ``path`` (PNG, SVG or PDF by its suffix)."""
    save_figure(draw_fan(quantiles, scenario, runs, leaders, title, mode), path)
