"""Figures of a sensitivity study: Morris's μ*–σ plane, Sobol's indices as bars with intervals.

One panel per outcome, axes labelled, so a figure can go into a paper's appendix as it is.
"""

from __future__ import annotations

import math
import textwrap
from pathlib import Path

import numpy as np
import pandas as pd
from matplotlib.axes import Axes
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.text import Text
from matplotlib.transforms import Bbox

from simulation.output.files import write_atomically

DPI = 120
"""Of the PNG written, and of the canvas the labels are measured on."""
LABEL_SIZE = 10
"""Of the parameters' names, at least what a projected slide still shows."""
SHARES = (-0.05, 1.05)
"""A Sobol panel's range: indices are shares of a variance; estimates beyond are cut at the
frame, and the panel counts them (a sample too small to settle them)."""
MARKER_POINTS = 7.0
"""Diameter of a point of the μ*–σ plane; points closer than its half share one label."""
NAMES_PER_LABEL = 3
"""A label of coinciding points names this many, then counts the others (``+4``)."""
LABEL_OFFSETS = (
    (4, 3, "left", "bottom"),
    (4, -3, "left", "top"),
    (-4, 3, "right", "bottom"),
    (-4, -3, "right", "top"),
    (0, 6, "center", "bottom"),
    (0, -6, "center", "top"),
    (14, 12, "left", "bottom"),
    (14, -12, "left", "top"),
    (-14, 12, "right", "bottom"),
    (-14, -12, "right", "top"),
)
"""Where a point's label may stand (points from the point, alignment), tried in order;
the farther places draw a line to the point."""
CLEARANCE = 4
"""Points between a label and any point but its own, lest it seem to name that one."""
LEADER_FROM = 10
"""A label this many points or more from its point is joined to it by a line."""


def _panels(count: int) -> tuple[Figure, list]:
    columns = min(count, 2)
    rows = math.ceil(count / columns)
    figure = Figure(figsize=(6.5 * columns, 4.5 * rows), dpi=DPI, layout="constrained")
    FigureCanvasAgg(figure)  # a renderer, to measure the labels before they are placed
    axes = figure.subplots(rows, columns, squeeze=False).ravel().tolist()
    for extra in axes[count:]:
        extra.set_visible(False)
    return figure, axes[:count]


NO_INDEX = "no index could be estimated: see summary.md"
"""A panel's note for an outcome that was analysed but got no index (not expected)."""


TITLE_WIDTH = 60
"""Characters of a panel title's line: a post's full name would run past a panel."""


def _title(outcome: str, titles: dict[str, str], second: str = "") -> str:
    """A panel's title: the outcome in words, then its id (summary.md's name) and ``second``."""
    words = titles.get(outcome, outcome)
    tail = f"{outcome}: {second}" if second else outcome
    if words == outcome:
        return tail
    return "\n".join([*textwrap.wrap(words, TITLE_WIDTH), tail])


def _empty_panel(axis: Axes, title: str, note: str) -> None:
    """Say in the panel why it holds nothing, so an empty panel is never left to be guessed at."""
    axis.set_title(title)
    axis.set_xticks([])
    axis.set_yticks([])
    axis.text(0.5, 0.5, note, ha="center", va="center", wrap=True, transform=axis.transAxes)


def _note(table: pd.DataFrame, index: str, outcome: str, notes: dict[str, str]) -> str | None:
    """Why an outcome's panel is empty: the study's note for it, else a plain fallback."""
    if outcome in notes:
        return notes[outcome]
    return NO_INDEX if table[index].isna().all() else None


def morris_figure(
    indices: pd.DataFrame,
    outcomes: list[str],
    notes: dict[str, str] | None = None,
    titles: dict[str, str] | None = None,
) -> Figure:
    """μ* against σ per parameter, one panel per outcome; the 1:1 line marks σ = μ*.

    A panel is titled with its outcome in words from ``titles``
    (:func:`.metrics.outcome_title`), then its id.

    The points are labelled the largest μ* first, each label where it hides no other
    label or point (:func:`_label_points`); a panel says how many parameters it leaves
    unlabelled, which summary.md ranks with the others. An outcome without indices gets
    its note from ``notes`` (:func:`simulation.experiments.sensitivity.indices.not_analysed`),
    the words summary.md uses.
    """
    figure, axes = _panels(len(outcomes))
    titles = titles or {}
    tables = {}
    line = None
    for axis, outcome in zip(axes, outcomes, strict=True):
        table = indices[indices["outcome"] == outcome].pivot(
            index="parameter", columns="index", values="estimate"
        )
        axis.set_xlabel("μ* (mean absolute elementary effect)")
        axis.set_ylabel("σ (spread of the effects)")
        if (note := _note(table, "mu_star", outcome, notes or {})) is not None:
            _empty_panel(axis, _title(outcome, titles), note)
            continue
        # The last line, the labels' count, comes below: room is kept for it.
        axis.set_title(_title(outcome, titles, "every parameter labelled"))
        axis.scatter(table["mu_star"], table["sigma"], s=MARKER_POINTS**2, color="tab:red")
        top = float(np.nanmax(table[["mu_star", "sigma"]].to_numpy())) or 1.0
        (line,) = axis.plot([0, top], [0, top], color="grey", linewidth=0.8, linestyle="--")
        axis.margins(0.08)
        tables[axis] = (outcome, table)
    if line is not None:  # once, below the panels, where it hides no label
        figure.legend(
            [line],
            [
                "σ = μ*: above it, a parameter's effects vary much (interactions, effects not "
                "monotone, or an outcome moved in few steps: summary.md tells which)"
            ],
            loc="outside lower center",
            frameon=False,
        )
    figure.get_layout_engine().execute(figure)  # the panels' final places, to measure in
    for axis, (outcome, table) in tables.items():
        left = _label_points(axis, table)
        count = f"{left} crowded parameters unlabelled" if left else "every parameter labelled"
        axis.set_title(_title(outcome, titles, count))
    return figure


def _label_points(axis: Axes, table: pd.DataFrame) -> int:
    """Label the μ*–σ points, the largest μ* first, none hiding another label or a point.

    Coinciding points share a label naming them. Each label takes the first place of
    :data:`LABEL_OFFSETS` that lies inside the panel, overlaps no label (or line to a
    label) already placed and keeps :data:`CLEARANCE` from every other point; a point
    with no such place stays unlabelled.

    Returns:
        How many parameters were left unlabelled.
    """
    renderer = axis.figure.canvas.get_renderer()
    pixels = axis.figure.dpi / 72
    axis.get_xlim(), axis.get_ylim()  # settle the autoscaled limits the points are placed by
    points = table[["mu_star", "sigma"]].dropna()
    points = points.assign(name=points.index).sort_values(
        ["mu_star", "sigma", "name"], ascending=[False, False, True]
    )
    where = axis.transData.transform(points[["mu_star", "sigma"]].to_numpy(dtype=float))
    radius = MARKER_POINTS / 2 * pixels
    groups: list[tuple[list[str], np.ndarray]] = []
    for name, place in zip(points["name"], where, strict=True):
        for names, centre in groups:
            if np.hypot(*(place - centre)) < radius:
                names.append(name)
                break
        else:
            groups.append(([name], place))
    frame = axis.get_window_extent(renderer)
    taken: list[Bbox] = []
    unlabelled = 0
    for names, centre in groups:
        others = [
            Bbox.from_extents(x - radius, y - radius, x + radius, y + radius)
            for x, y in where
            if np.hypot(x - centre[0], y - centre[1]) >= radius
        ]
        extra = len(names) - NAMES_PER_LABEL
        text = ", ".join(names[:NAMES_PER_LABEL]) + (f" +{extra}" if extra > 0 else "")
        for dx, dy, ha, va in LABEL_OFFSETS:
            label = axis.annotate(
                text,
                axis.transData.inverted().transform(centre),
                xytext=(dx, dy),
                textcoords="offset points",
                ha=ha,
                va=va,
                fontsize=LABEL_SIZE,
                in_layout=False,
                arrowprops=_leader(dx),
            )
            label.update_positions(renderer)
            box = Text.get_window_extent(label, renderer)  # the words, without the line
            reach = Bbox(np.sort([centre, centre + np.array([dx, dy]) * pixels], axis=0))
            inside = frame.x0 <= box.x0 and box.x1 <= frame.x1
            inside = inside and frame.y0 <= box.y0 and box.y1 <= frame.y1
            near = box.padded(CLEARANCE * pixels)  # not so near another point as to seem its
            clear = not any(box.overlaps(other) for other in taken)
            clear = clear and not any(near.overlaps(other) for other in others)
            if inside and clear and not any(reach.overlaps(other) for other in taken):
                taken += [box, reach]
                break
            label.remove()
        else:
            unlabelled += len(names)
    return unlabelled


def _leader(dx: float) -> dict | None:
    """The line from a label to its point, for a label standing away from it."""
    if abs(dx) < LEADER_FROM:
        return None
    return {"arrowstyle": "-", "color": "0.5", "linewidth": 0.6, "shrinkB": MARKER_POINTS / 2}


def sobol_figure(
    indices: pd.DataFrame,
    outcomes: list[str],
    notes: dict[str, str] | None = None,
    titles: dict[str, str] | None = None,
) -> Figure:
    """S1 and ST per parameter as bars with their 95% intervals, one panel per outcome.

    An outcome without indices gets its note from ``notes``, and a panel its title from
    ``titles``, as in :func:`morris_figure`.
    """
    figure, axes = _panels(len(outcomes))
    titles = titles or {}
    for axis, outcome in zip(axes, outcomes, strict=True):
        table = indices[indices["outcome"] == outcome]
        estimates = table.pivot(index="parameter", columns="index", values="estimate")
        if (note := _note(estimates, "ST", outcome, notes or {})) is not None:
            axis.set_ylabel("share of the outcome's variance")
            _empty_panel(axis, _title(outcome, titles), note)
            continue
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
        axis.set_xticks(positions, names, rotation=60, ha="right", fontsize=9)
        axis.set_ylabel("share of the outcome's variance")
        axis.set_ylim(*SHARES)
        beyond = int(((table["ci_low"] < SHARES[0]) | (table["ci_high"] > SHARES[1])).sum())
        cut = f"{beyond} intervals cut at 0 or 1" if beyond else ""
        axis.set_title(_title(outcome, titles, cut))
        axis.legend(fontsize=9, title="95% bootstrap intervals", title_fontsize=9)
    return figure


def write_figure(figure: Figure, path: Path) -> Path:
    """Save a figure atomically as PNG."""
    write_atomically(path, lambda temporary: figure.savefig(temporary, format="png", dpi=DPI))
    return path
