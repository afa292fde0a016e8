"""Plot of a comparison: who dominates in each scenario, and the key leaders' median paths."""

from __future__ import annotations

import textwrap
from collections.abc import Mapping, Sequence
from pathlib import Path

import matplotlib
import numpy as np
import pandas as pd
from matplotlib.figure import Figure
from matplotlib.layout_engine import ConstrainedLayoutEngine
from matplotlib.lines import Line2D
from matplotlib.transforms import offset_copy

from simulation.model.party_model import Mode
from simulation.output.colours import leader_colours
from simulation.output.fan import while_alive
from simulation.output.interventions import interventions
from simulation.output.marks import Mark, draw_marks, title_pad
from simulation.output.plots import month_axis
from simulation.output.style import save_figure, slide_style
from simulation.scenario.schema import Scenario

ALTERNATIVE_STYLES = ("--", ":", "-.", (0, (5, 1, 1, 1, 1, 1)))
"""Line styles of the alternatives' paths (the base is solid), in order."""
TITLE_CHARACTERS = 116
"""A longer title (many alternatives) is wrapped: it must not leave the figure."""


def draw_comparison(
    table: pd.DataFrame,
    quantiles: Mapping[str, pd.DataFrame],
    base: str,
    scenario: Scenario,
    leaders: Sequence[str],
    runs: int | None = None,
    level: float = 0.95,
    alternatives: Mapping[str, Scenario] | None = None,
    mode: Mode | str = Mode.FREE,
) -> Figure:
    """P(dominant) per scenario with intervals (left) and median power paths (right).

    Args:
        table: the comparison table (:func:`simulation.experiments.compare.compare_summaries`).
        quantiles: each scenario's ``quantiles`` table by scenario name, the base first
            or not (the base is drawn solid, the alternatives dashed, dotted, ...).
        base: the base scenario's name.
        scenario: the base scenario (leader names and colours, dates).
        leaders: the leaders whose median power share is drawn.
        runs: runs per scenario, for the title.
        level: coverage of the intervals, for the title.
        alternatives: the alternative scenarios by name: the month each takes effect
            (where it first differs from the base) is marked on the paths.
        mode: the runs' mode, which says which of the alternatives' changes act
            (:func:`.interventions.interventions`).
    """
    names = {leader.id: leader.name for leader in scenario.leaders}
    order = [base, *(name for name in quantiles if name != base)]
    marks = _intervention_marks(scenario, alternatives or {}, mode)
    with slide_style():
        figure = Figure(figsize=(16, 8.4), layout=ConstrainedLayoutEngine(h_pad=0.1))
        left, right = figure.subplots(1, 2, width_ratios=[2, 3])
        _dominance_bars(left, table, order, names, scenario, level)
        _median_paths(right, quantiles, order, scenario, leaders)
        right.set_title("Median power share of the key leaders over the runs")
        counted = f"{runs} paired runs per scenario" if runs is not None else "paired runs"
        title = f"{' / '.join(order[1:])} against {base} ({counted})"
        figure.suptitle(textwrap.fill(title, TITLE_CHARACTERS, break_on_hyphens=False))
        _legend_below(left, len(order))
        # The labels are placed for the panel's final width, and stay out of the layout:
        # they stand within the panel's span, in the room its title's pad leaves them.
        figure.get_layout_engine().execute(figure)
        rows = draw_marks([right], marks)
        for label in right.texts:
            label.set_in_layout(False)
        for axis in (left, right):  # the titles level, above the labels
            axis.set_title(axis.get_title(), pad=title_pad(rows))
    return figure


def plot_comparison(
    table: pd.DataFrame,
    quantiles: Mapping[str, pd.DataFrame],
    base: str,
    scenario: Scenario,
    leaders: Sequence[str],
    path: Path,
    runs: int | None = None,
    level: float = 0.95,
    alternatives: Mapping[str, Scenario] | None = None,
    mode: Mode | str = Mode.FREE,
) -> None:
    """Write :func:`draw_comparison` to ``path`` (PNG, SVG or PDF by its suffix)."""
    figure = draw_comparison(
        table, quantiles, base, scenario, leaders, runs, level, alternatives, mode
    )
    save_figure(figure, path)


def _intervention_marks(
    base: Scenario, alternatives: Mapping[str, Scenario], mode: Mode | str
) -> list[Mark]:
    """Each alternative's departures from the base; named by scenario when there are several."""
    marks = []
    for name, alternative in alternatives.items():
        for mark in interventions(base, alternative, mode):
            text = f"{name}: {mark.text}" if len(alternatives) > 1 else mark.text
            marks.append(Mark(mark.month, text, mark.rank))
    return marks


def _dominance_bars(axis, table, order, names, scenario, level) -> None:
    dominance = table[table["metric"].str.startswith("p_dominant_")]
    leaders = list(dict.fromkeys(dominance["metric"]))
    width = 0.8 / len(order)
    positions = np.arange(len(leaders))
    colours = matplotlib.colormaps["Set2"]
    indexed = dominance.set_index(["metric", "scenario"])
    for k, name in enumerate(order):
        rows = indexed.loc[[(metric, name) for metric in leaders]]
        estimate = rows["estimate"].to_numpy()
        errors = np.vstack(
            [estimate - rows["ci_low"].to_numpy(), rows["ci_high"].to_numpy() - estimate]
        )
        axis.bar(
            positions + (k - (len(order) - 1) / 2) * width,
            estimate,
            width,
            yerr=np.clip(errors, 0, None),
            capsize=3,
            color=colours(k),
            edgecolor="0.3",
            linewidth=0.6,
            label=name,
        )
    span = max(len(leaders), 3)  # one or two leaders: bars of the usual width, centred
    margin = (span - len(leaders)) / 2
    axis.set_xlim(-0.6 - margin, len(leaders) - 0.4 + margin)
    axis.set_xticks(positions)
    axis.set_xticklabels(
        [names.get(m.removeprefix("p_dominant_"), m) for m in leaders], rotation=30, ha="right"
    )
    axis.set_xlabel("Leader")
    axis.set_ylabel(f"P(dominant at {scenario.end}) (highest power share)")
    axis.set_ylim(0, 1.05)
    axis.set_yticks(np.linspace(0, 1, 6))
    axis.grid(axis="y", color="0.9")
    axis.set_axisbelow(True)
    axis.set_title(f"Who dominates at the end ({level:.0%} bootstrap intervals)")


def _legend_below(axis, scenarios: int) -> None:
    """The bars' key under the panel's leader names, where it hides no bar and no label.

    The figure is laid out once to measure how far below the panel its names reach;
    the key hangs that far below it, and the layout makes room for it when drawn.
    """
    figure = axis.figure
    figure.get_layout_engine().execute(figure)
    depth = (axis.get_window_extent().y0 - axis.get_tightbbox().y0) * 72 / figure.dpi
    axis.legend(
        title="scenario",
        loc="upper center",
        bbox_to_anchor=(0.5, 0.0),
        bbox_transform=offset_copy(axis.transAxes, figure, y=-depth - 4, units="points"),
        ncol=min(2, scenarios),
        frameon=False,
    )


def _median_paths(axis, quantiles, order, scenario, leaders) -> None:
    names = {leader.id: leader.name for leader in scenario.leaders}
    colours = leader_colours(scenario)
    for k, name in enumerate(order):
        power = quantiles[name]
        power = power[power["measure"] == "power"]
        style = "-" if k == 0 else ALTERNATIVE_STYLES[(k - 1) % len(ALTERNATIVE_STYLES)]
        for leader in leaders:
            rows = while_alive(power[power["leader"] == leader].sort_values("date"), "q50")
            axis.plot(
                pd.to_datetime(rows["date"], format="%Y-%m"),
                rows["q50"],
                color=colours.get(leader, "0.5"),
                linestyle=style,
                linewidth=2.6 if k == 0 else 2.0,
                gid=leader,
            )
    leader_keys = [
        Line2D([], [], color=colours.get(leader, "0.5"), label=names.get(leader, leader))
        for leader in leaders
    ]
    scenario_keys = [
        Line2D(
            [],
            [],
            color="0.3",
            linestyle="-" if k == 0 else ALTERNATIVE_STYLES[(k - 1) % len(ALTERNATIVE_STYLES)],
            label=name,
        )
        for k, name in enumerate(order)
    ]
    first = axis.legend(
        handles=leader_keys, title="leader", loc="upper left", bbox_to_anchor=(1.0, 1.0)
    )
    first.set_frame_on(False)
    axis.add_artist(first)
    axis.legend(
        handles=scenario_keys,
        title="scenario",
        loc="lower left",
        bbox_to_anchor=(1.0, 0.0),
        frameon=False,
    )
    month_axis(axis, scenario)
    axis.set_xlabel("Month")
    axis.set_ylabel("Median power share")
    axis.set_ylim(bottom=0)
    axis.tick_params(axis="x", labelrotation=30)
    axis.grid(axis="y", color="0.9")
