"""Plot of a comparison: who dominates in each scenario, and the key leaders' median paths.

Up to :data:`OVERLAID` alternatives are drawn over the base in one panel of paths, told
apart by their dashes. More would be a tangle no dash pattern can sort out (twelve
alternatives make some eighty lines), so each alternative then gets a small panel of its
own, its paths over the base's, and every scenario its own colour (and, past the palette,
hatching) in the bars: each scenario stays recognisable however many are compared.
"""

from __future__ import annotations

import math
import textwrap
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

import matplotlib
import matplotlib.dates as mdates
import numpy as np
import pandas as pd
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.font_manager import FontProperties
from matplotlib.layout_engine import ConstrainedLayoutEngine
from matplotlib.lines import Line2D
from matplotlib.patches import Patch
from matplotlib.transforms import offset_copy

from simulation.model.party_model import Mode
from simulation.output.colours import TOL_MUTED, leader_colours
from simulation.output.fan import while_alive
from simulation.output.interventions import interventions
from simulation.output.marks import Mark, draw_marks, title_pad
from simulation.output.names import display_names
from simulation.output.plots import month_axis
from simulation.output.roll import joint_roll
from simulation.output.style import save_figure, slide_style
from simulation.scenario.schema import Scenario

ALTERNATIVE_STYLES = ("--", ":", "-.", (0, (5, 1, 1, 1, 1, 1)))
"""Line styles of the alternatives' paths (the base is solid), in order."""
OVERLAID = 3
"""Up to this many alternatives share the base's panel of paths; more get a panel each."""
TITLE_CHARACTERS = 116
"""A longer title (many alternatives) is wrapped: it must not leave the figure."""
SCENARIO_COLOURS = (*TOL_MUTED, "#D55E00", "#0072B2", "#E69F00")
"""The alternatives' colours when each has its own panel: Paul Tol's muted palette, then
three of Okabe and Ito's that none of it resembles. Twelve alternatives, twelve colours."""
HATCHES = ("", "//", "..", "xx", "\\\\", "oo")
"""Past :data:`SCENARIO_COLOURS`, the colours come round again with these hatchings."""
BASE_COLOUR = "0.82"
"""The base's bars when each alternative has its own colour: the neutral reference."""
FIGURE_WIDTH = 18
BARS_HEIGHT = 4.4
"""Inches of the bars' panel, and of each row of small panels, in the figure of many."""
PANEL_HEIGHT = 2.3
AROUND_BARS = 5.2
"""Inches above and below the bars' panel for the title, the leaders' names and both keys."""
AROUND_PANEL = 0.9
"""Inches over and under each row of small panels for their headers and dates."""
MAX_COLUMNS = 4
HEADER_SIZE = 11
"""Font size of a small panel's header (its scenario's name and when it acts)."""
CHARACTER_WIDTH = 0.6
"""An average character's width, in ems: how many fit a panel or a legend's column."""


@dataclass(frozen=True)
class ScenarioStyle:
    """How a scenario's bars (and, in the figure of many, its panel's header) are filled."""

    colour: object
    hatch: str = ""


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
    """P(dominant) per scenario with intervals, and the median power paths.

    Up to :data:`OVERLAID` alternatives: the bars left, and right the paths of every
    scenario in one panel (the base solid, the alternatives dashed, dotted, ...).
    More: the bars across the top, each scenario its own colour, and below them one
    small panel per alternative, its paths over the base's (:func:`_draw_many`).

    Args:
        table: the comparison table
            (:func:`simulation.experiments.compare.statistics.compare_summaries`).
        quantiles: each scenario's ``quantiles`` table by scenario name, the base first
            or not.
        base: the base scenario's name.
        scenario: the base scenario (leader names and colours, dates; a leader only the
            alternatives have is named from them, :func:`.roll.joint_roll`).
        leaders: the leaders whose median power share is drawn.
        runs: runs per scenario, for the title.
        level: coverage of the intervals, for the title.
        alternatives: the alternative scenarios by name: the month each takes effect
            (where it first differs from the base) is marked on the paths.
        mode: the runs' mode, which says which of the alternatives' changes act
            (:func:`.interventions.interventions`).
    """
    order = [base, *(name for name in quantiles if name != base)]
    effects = {
        name: interventions(scenario, alternative, mode)
        for name, alternative in (alternatives or {}).items()
    }
    counted = f"{runs} paired runs per scenario" if runs is not None else "paired runs"
    named = joint_roll(scenario, (alternatives or {}).values())
    with slide_style():
        if len(order) - 1 > OVERLAID:
            return _draw_many(table, quantiles, order, named, leaders, level, effects, counted)
        return _draw_overlaid(table, quantiles, order, named, leaders, level, effects, counted)


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


# --- a few alternatives: one panel of paths ------------------------------------------------


def _draw_overlaid(table, quantiles, order, scenario, leaders, level, effects, counted) -> Figure:
    """The bars left and every scenario's paths in one panel right, the base solid."""
    names = display_names(scenario)
    marks = _intervention_marks(effects)
    styles = scenario_styles(order)  # as in the grid: the base grey, no leader's colour
    figure = Figure(figsize=(16, 8.4), layout=ConstrainedLayoutEngine(h_pad=0.1))
    left, right = figure.subplots(1, 2, width_ratios=[2, 3])
    _dominance_bars(left, table, order, names, scenario, level, styles)
    _median_paths(right, quantiles, order, scenario, leaders)
    right.set_title("Median power share of the key leaders over the runs")
    title = f"{' / '.join(order[1:])} against {order[0]} ({counted})"
    figure.suptitle(textwrap.fill(title, TITLE_CHARACTERS, break_on_hyphens=False))
    _legend_below(left, min(2, len(order)))
    # The labels are placed for the panel's final width, and stay out of the layout:
    # they stand within the panel's span, in the room its title's pad leaves them.
    figure.get_layout_engine().execute(figure)
    rows = draw_marks([right], marks)
    for label in right.texts:
        label.set_in_layout(False)
    for axis in (left, right):  # the titles level, above the labels
        axis.set_title(axis.get_title(), pad=title_pad(rows))
    return figure


def _intervention_marks(effects: Mapping[str, list[Mark]]) -> list[Mark]:
    """Each alternative's departures from the base; named by scenario when there are several."""
    marks = []
    for name, departures in effects.items():
        for mark in departures:
            text = f"{name}: {mark.text}" if len(effects) > 1 else mark.text
            marks.append(Mark(mark.month, text, mark.rank))
    return marks


def _dominance_bars(axis, table, order, names, scenario, level, styles, wrap=False) -> None:
    """One bar per scenario and leader, with its interval; ``wrap`` the y label in two lines."""
    dominance = table[table["metric"].str.startswith("p_dominant_")]
    leaders = list(dict.fromkeys(dominance["metric"]))
    width = 0.8 / len(order)
    positions = np.arange(len(leaders))
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
            capsize=3 if len(order) <= OVERLAID + 1 else 1.5,
            color=styles[name].colour,
            hatch=styles[name].hatch or None,
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
    joint = "\n" if wrap else " "
    axis.set_ylabel(f"P(dominant at {scenario.end}){joint}(highest power share)")
    axis.set_ylim(0, 1.05)
    axis.set_yticks(np.linspace(0, 1, 6))
    axis.grid(axis="y", color="0.9")
    axis.set_axisbelow(True)
    axis.set_title(f"Who dominates at the end ({level:.0%} Wilson intervals)")


def _legend_below(axis, columns: int) -> None:
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
        ncol=columns,
        frameon=False,
    )


def _median_paths(axis, quantiles, order, scenario, leaders) -> None:
    names = display_names(scenario)
    colours = leader_colours(scenario)
    for k, name in enumerate(order):
        style = "-" if k == 0 else ALTERNATIVE_STYLES[(k - 1) % len(ALTERNATIVE_STYLES)]
        _paths(axis, quantiles[name], leaders, colours, style, 2.6 if k == 0 else 2.0)
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
    # add_artist clips the key to the panel, which the layout takes for a key inside it
    # and leaves no room for: its longer names ran off the figure's edge.
    first.set_clip_on(False)
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


def _paths(axis, quantiles, leaders, colours, style, width, gid_suffix="") -> None:
    """Each leader's median power share, in his colour, while he is alive in most runs."""
    power = quantiles[quantiles["measure"] == "power"]
    for leader in leaders:
        rows = while_alive(power[power["leader"] == leader].sort_values("date"), "q50")
        axis.plot(
            pd.to_datetime(rows["date"], format="%Y-%m"),
            rows["q50"],
            color=colours.get(leader, "0.5"),
            linestyle=style,
            linewidth=width,
            gid=f"{leader}{gid_suffix}",
        )


# --- many alternatives: a panel each ---------------------------------------------------------


def scenario_styles(order: Sequence[str]) -> dict[str, ScenarioStyle]:
    """The base light grey; each alternative a colour of its own, hatched past the palette.

    Every scenario gets a different (colour, hatching) pair however many there are.
    """
    styles = {order[0]: ScenarioStyle(BASE_COLOUR)}
    for k, name in enumerate(order[1:]):
        turn, place = divmod(k, len(SCENARIO_COLOURS))
        styles[name] = ScenarioStyle(SCENARIO_COLOURS[place], HATCHES[turn % len(HATCHES)])
    return styles


def _grid_shape(count: int) -> tuple[int, int]:
    """Rows and columns of the small panels: nearly square, at most :data:`MAX_COLUMNS` wide."""
    columns = min(MAX_COLUMNS, math.ceil(math.sqrt(count)))
    return math.ceil(count / columns), columns


def _draw_many(table, quantiles, order, scenario, leaders, level, effects, counted) -> Figure:
    """The bars across the top, then a small panel of paths per alternative.

    The title names the base only: the alternatives are named in the bars' key and
    over their panels, which a title listing a dozen names would only repeat.
    """
    names = display_names(scenario)
    styles = scenario_styles(order)
    alternatives = order[1:]
    rows, columns = _grid_shape(len(alternatives))
    figure = Figure(
        figsize=(FIGURE_WIDTH, AROUND_BARS + BARS_HEIGHT + (AROUND_PANEL + PANEL_HEIGHT) * rows),
        layout=ConstrainedLayoutEngine(h_pad=0.1),
    )
    grid = figure.add_gridspec(
        1 + rows, columns, height_ratios=[BARS_HEIGHT] + [PANEL_HEIGHT] * rows
    )
    bars = figure.add_subplot(grid[0, :])
    _dominance_bars(bars, table, order, names, scenario, level, styles, wrap=True)
    figure.suptitle(f"{len(alternatives)} alternatives against {order[0]} ({counted})")
    panels = _small_panels(figure, grid, len(alternatives), columns, scenario)
    colours = leader_colours(scenario)
    characters = _characters(FIGURE_WIDTH / columns * 72 * 0.85, HEADER_SIZE)
    for panel, name in zip(panels, alternatives, strict=True):
        _paths(panel, quantiles[order[0]], leaders, colours, "--", 1.5, gid_suffix=":base")
        _paths(panel, quantiles[name], leaders, colours, "-", 2.2)
        draw_marks([panel], effects.get(name, []), labelled=False)
        _panel_header(panel, name, styles[name], effects.get(name, []), characters)
    panels[0].set_ylim(bottom=0)  # shared: every panel's shares from zero
    _paths_key(figure, leaders, scenario, order[0])
    width = bars.get_position().width * FIGURE_WIDTH * 72
    _legend_below(bars, _key_columns(order, width))
    return figure


def _small_panels(figure: Figure, grid, count: int, columns: int, scenario) -> list[Axes]:
    """One panel per alternative under the bars, sharing their axes; labels on the outer ones.

    A panel with no panel below it (the last row, or above an empty place of it) keeps
    its dates; only the first column keeps its shares.
    """
    panels: list[Axes] = []
    for k in range(count):
        row, column = divmod(k, columns)
        shared = {"sharex": panels[0], "sharey": panels[0]} if panels else {}
        panel = figure.add_subplot(grid[1 + row, column], **shared)
        panel.tick_params(labelbottom=k + columns >= count, labelleft=column == 0)
        if column == 0:
            panel.set_ylabel("Median power share")
        panel.grid(axis="y", color="0.9")
        panels.append(panel)
    first = panels[0]
    month_axis(first, scenario)  # then a tick a year: a small panel has no room for two
    first.xaxis.set_major_locator(mdates.YearLocator())
    first.xaxis.set_major_formatter(mdates.DateFormatter("%Y"))
    return panels


def _panel_header(axis, name, style, marks, characters) -> None:
    """Over a small panel: its scenario's swatch (as in the bars) and name, and when it acts.

    A one-entry legend above the panel, so that the layout makes room for it and the
    swatch ties the panel to the scenario's bars.
    """
    label = name
    if marks:
        first = min(marks, key=lambda mark: mark.month)
        more = f" (+{len(marks) - 1} more)" if len(marks) > 1 else ""
        said = f"{first.month:%b %Y}: {first.text}{more}"
        label += "\n" + textwrap.fill(said, characters, break_on_hyphens=False)
    swatch = Patch(
        facecolor=style.colour, hatch=style.hatch or None, edgecolor="0.3", linewidth=0.6
    )
    axis.legend(
        [swatch],
        [label],
        loc="lower left",
        bbox_to_anchor=(0.0, 1.0),
        borderaxespad=0.3,
        frameon=False,
        fontsize=HEADER_SIZE,
        handlelength=1.4,
        handleheight=1.4,
    )


def _paths_key(figure: Figure, leaders, scenario: Scenario, base: str) -> None:
    """One key under the small panels: the leaders' colours, and which line is which."""
    names = display_names(scenario)
    colours = leader_colours(scenario)
    handles = [
        Line2D([], [], color=colours.get(leader, "0.5"), label=names.get(leader, leader))
        for leader in leaders
    ]
    handles += [
        Line2D([], [], color="0.3", linewidth=2.2, label="the panel's alternative"),
        Line2D([], [], color="0.3", linestyle="--", linewidth=1.5, label=f"{base} (base)"),
    ]
    figure.legend(
        handles=handles,
        title="Median power share of the key leaders over the runs (dotted: when the "
        "alternative acts)",
        loc="outside lower center",
        ncol=math.ceil(len(handles) / 2),
        frameon=False,
    )


def _characters(points: float, size: float) -> int:
    """How many average characters of ``size`` points fit in ``points``."""
    return max(12, int(points / (CHARACTER_WIDTH * size)))


def _key_columns(order: Sequence[str], points: float) -> int:
    """Columns of the bars' key: as many as its longest name lets fit across the panel."""
    size = FontProperties(size=matplotlib.rcParams["legend.fontsize"]).get_size_in_points()
    entry = (max(map(len, order)) * CHARACTER_WIDTH + 5) * size  # name, handle and gaps
    return max(1, min(len(order), int(points // entry)))
