"""The alliance network: who stands with whom, month by month (``network.png``, ``network.gif``).

Leaders are nodes sized by their power share and coloured as in every other figure;
an edge joins two leaders whose affinity is strong either way, blue for alliance and
red for enmity, thicker the stronger it is; the leaders of an active faction are drawn
together inside a shaded circle bearing its name. The layout is computed once for the
whole period, each month starting from the last, so that in the animation a leader
moves only when his alliances change, and a still shows him where the animation does.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import matplotlib
import networkx as nx
import numpy as np
import pandas as pd
from matplotlib.axes import Axes
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.patches import Circle
from matplotlib.transforms import Bbox
from PIL import Image

from simulation.output.colours import leader_colours
from simulation.output.contenders import main_leaders
from simulation.output.files import write_atomically
from simulation.output.marks import month_start
from simulation.output.names import surnames
from simulation.output.style import save_figure, slide_style
from simulation.scenario.schema import Scenario

NETWORK_LEADERS = 12
"""Leaders drawn by default: the main contenders (:mod:`.contenders`)."""
TURNING_POINTS = 4
"""Panels of ``network.png`` by default: the first and last month and the months in
which power shifted most."""
EDGE_THRESHOLD = 0.2
"""Affinities weaker than this (either way) are not drawn: they would only be clutter."""
FRAME_MILLISECONDS = 450
MIN_DISTANCE = 0.55
"""The closest two leaders are placed (in units of affinity), so that no node hides another."""
LAYOUT_ITERATIONS = 80
"""Guttman transforms per month: from the previous month's layout, enough to settle."""
SEPARATION = 0.42
"""The least distance between two nodes after the layout, in the unit square's units: two of
the largest nodes (26 points across at a panel's scale) then do not overlap."""
SEPARATION_PASSES = 30
"""Passes of :func:`_separated` at most; a dozen settle the baseline's crowded months."""
LABEL_ANGLES = np.radians([90, 270, 60, 240, 120, 300])
"""Where on its circle each faction's name stands first, so that nested factions' names part."""
FACTION_ANGLES = np.radians([90, 270, 60, 120, 240, 300, 30, 150, 210, 330, 0, 180])
"""The other places on its circle a faction's name may take, when the first is covered."""
VIEW = 1.35
"""Half the side of the animation's view, at least: the layout fits the square ±1."""
LABEL_ROOM = 0.35
"""Room left beyond the outermost node or faction circle, for the names."""
NAME_CLEARANCE = 1.5
"""Points kept clear around a name, so that two names never touch."""
NAME_FARTHER = 9.0
"""Points farther from its node a name may stand when every place beside it is covered:
in a crowded month two names otherwise overlapped."""
KEY_BOTTOM, KEY_HEIGHT = 0.6, 0.16
"""Where the colour key stands, in inches from the figure's foot (its labels below it)."""
PANELS_BOTTOM = 1.15
"""Inches from the figure's foot to the lowest panels: the key and its labels beneath."""
AFFINITY_COLOURS = matplotlib.colormaps["RdBu"]
"""Red for enmity, blue for alliance: a diverging map readers with red-green
colour-vision deficiency can still read."""


@dataclass(frozen=True)
class NetworkHistory:
    """What the network figures draw, for every month of a run.

    Attributes:
        months: the months, ``YYYY-MM``, in order.
        leaders: the leaders drawn.
        positions: by month, each living drawn leader's position.
        power: by month, each leader's power share.
        affinity: by month, ``{(a, b): affinity}`` for each pair of drawn leaders.
        factions: by month, the active factions' living drawn members by faction id.
        largest: the largest power share of a drawn leader in the run (scales nodes; 1 when
            every share is 0).
    """

    months: list[str]
    leaders: list[str]
    positions: dict[str, dict[str, np.ndarray]]
    power: dict[str, dict[str, float]]
    affinity: dict[str, dict[tuple[str, str], float]]
    factions: dict[str, dict[str, list[str]]]
    largest: float


def network_history(
    alliances: pd.DataFrame,
    trajectories: pd.DataFrame,
    factions: pd.DataFrame,
    scenario: Scenario,
    leaders: Sequence[str] | None = None,
) -> NetworkHistory:
    """Lay the network out month by month from a run's alliances, trajectories and factions."""
    leaders = list(leaders) if leaders else main_leaders(trajectories, NETWORK_LEADERS)
    chosen = set(leaders)
    members = {faction.id: set(faction.members) & chosen for faction in scenario.factions}
    living = trajectories[trajectories["leader"].isin(chosen)]
    living = living[living["alive"].astype(bool)] if "alive" in living else living
    power = {
        month: dict(zip(rows["leader"], rows["power"], strict=True))
        for month, rows in living.groupby("date")
    }
    pairs = alliances[alliances["leader_a"].isin(chosen) & alliances["leader_b"].isin(chosen)]
    affinity = {
        month: dict(
            zip(zip(rows["leader_a"], rows["leader_b"], strict=True), rows["affinity"], strict=True)
        )
        for month, rows in pairs.groupby("date")
    }
    active = factions[factions["active"].astype(bool)]
    months = sorted(power)
    by_faction = {
        month: {
            faction: sorted(members.get(faction, set()) & set(power[month]))
            for faction in active.loc[active["date"] == month, "faction"]
        }
        for month in months
    }
    positions: dict[str, dict[str, np.ndarray]] = {}
    previous: dict[str, np.ndarray] = {}
    for month in months:
        placed = _layout(list(power[month]), affinity.get(month, {}), by_faction[month], previous)
        positions[month] = placed
        previous = placed
    return NetworkHistory(months, leaders, positions, power, affinity, by_faction, _largest(power))


def _largest(power: dict[str, dict[str, float]]) -> float:
    """The largest power share of the run, by which nodes are scaled; 1 if no one held any.

    A leadership in which no drawn leader ever held power (every share 0) is drawn with
    every node at the least size, not refused by a division by zero.
    """
    largest = max((share for shares in power.values() for share in shares.values()), default=0.0)
    return largest if largest > 0 else 1.0


def month_network(
    month: str,
    power: dict[str, float],
    affinity: dict[tuple[str, str], float],
    factions: dict[str, list[str]],
    previous: dict[str, np.ndarray] | None = None,
) -> NetworkHistory:
    """One month's network, laid out from the positions of the month before if given.

    For a run drawn as it goes (the dashboard), where :func:`network_history` lays out a
    finished run's every month: the same layout and so the same picture, each month
    starting from the last, so that a leader moves only as his alliances do.

    Args:
        month: the month, ``YYYY-MM``.
        power: the power share of each living leader drawn.
        affinity: ``{(a, b): affinity}`` for pairs of them.
        factions: the active factions' living members drawn, by faction id.
        previous: the positions drawn the month before.
    """
    leaders = list(power)
    place = _layout(leaders, affinity, factions, previous or {})
    return NetworkHistory(
        [month],
        leaders,
        {month: place},
        {month: power},
        {month: affinity},
        {month: factions},
        max(power.values(), default=1.0) or 1.0,
    )


def _layout(
    leaders: list[str],
    affinity: dict[tuple[str, str], float],
    factions: dict[str, list[str]],
    previous: dict[str, np.ndarray],
) -> dict[str, np.ndarray]:
    """Place allies near each other and enemies apart, members of a faction closer still.

    The target distance of two leaders is ``1.2 - affinity`` (less for members of an
    active faction); positions minimise the stress between drawn and target distances
    (SMACOF, a few Guttman transforms), starting from the previous month's, so that
    the picture changes only as the alliances do. Positions are centred and scaled
    to fit the unit square.
    """
    count = len(leaders)
    if count < 2:
        return {leader: np.zeros(2) for leader in leaders}
    together = {frozenset((a, b)) for group in factions.values() for a in group for b in group}
    target = np.zeros((count, count))
    for i, a in enumerate(leaders):
        for j, b in enumerate(leaders):
            if i != j:
                value = affinity.get((a, b), affinity.get((b, a), 0.0))
                apart = 1.2 - value - (0.35 if frozenset((a, b)) in together else 0.0)
                target[i, j] = max(apart, MIN_DISTANCE)
    angles = 2 * np.pi * np.arange(count) / count
    circle = np.column_stack([np.cos(angles), np.sin(angles)])
    place = np.array(
        [previous.get(leader, circle[i]) for i, leader in enumerate(leaders)], dtype=float
    )
    for _ in range(LAYOUT_ITERATIONS):
        drawn = np.linalg.norm(place[:, None, :] - place[None, :, :], axis=2)
        ratio = np.divide(target, drawn, out=np.zeros_like(target), where=drawn > 1e-9)
        guttman = -ratio
        guttman[np.diag_indices(count)] = ratio.sum(axis=1)
        place = guttman @ place / count
    place -= place.mean(axis=0)
    place /= max(np.abs(place).max(), 1e-9)
    place = _separated(place)
    return {leader: place[i] for i, leader in enumerate(leaders)}


def _separated(place: np.ndarray) -> np.ndarray:
    """Push apart the nodes closer than :data:`SEPARATION`, then fit the unit square again.

    The stress layout keeps its distances on average, not each: in January 1924 of the
    replay Kamenev's, Zinoviev's and Stalin's nodes lay on one another, and a name stood
    between nodes with no telling whose. Each pass moves both of a close pair half the
    shortfall apart along the line between them (a fixed direction for two on one spot).
    """
    place = place.copy()
    for _ in range(SEPARATION_PASSES):
        gap = place[:, None, :] - place[None, :, :]
        distance = np.linalg.norm(gap, axis=2)
        np.fill_diagonal(distance, np.inf)
        close = distance < SEPARATION
        if not close.any():
            break
        same = distance < 1e-9
        gap[same] = (1.0, 0.0)  # two on one spot: apart along x, the first to the right
        distance = np.where(same, 1.0, distance)
        shortfall = np.where(close, (SEPARATION - distance) / 2, 0.0)
        place += (gap / distance[:, :, None] * shortfall[:, :, None]).sum(axis=1)
        place -= place.mean(axis=0)
        place /= max(np.abs(place).max(), 1e-9)
    return place


def turning_points(history: NetworkHistory, count: int = TURNING_POINTS) -> list[str]:
    """The first and last month and the months in which the power shares moved most."""
    months = history.months
    if len(months) <= count:
        return list(months)
    shifts = {
        month: sum(
            abs(history.power[month].get(leader, 0.0) - history.power[before].get(leader, 0.0))
            for leader in history.leaders
        )
        for before, month in zip(months, months[1:], strict=False)
    }
    inner = [month for month in sorted(shifts, key=shifts.get, reverse=True) if month != months[-1]]
    return sorted({months[0], months[-1], *inner[: count - 2]})


def draw_month(
    axis: Axes, history: NetworkHistory, month: str, scenario: Scenario, fit: bool = False
) -> None:
    """Draw the network of one month on ``axis``.

    The view takes in every node and faction circle with room for the names: the
    square :data:`VIEW` about the centre, widened as a circle demands (the same from
    month to month, for the animation), or with ``fit`` the month's own drawing
    (a still's panel, whose leaders then stand farther apart). The names of leaders
    and factions are placed where they cover no node and no other name
    (:func:`_place`), the most powerful leaders' first.
    """
    names = surnames(scenario)
    factions = {faction.id: faction.name.split(" (")[0] for faction in scenario.factions}
    colours = leader_colours(scenario)
    place = history.positions[month]
    circles = _circles(history.factions[month], place)
    points = list(place.values()) or [np.zeros(2)]
    low = np.min([*points, *(centre - radius for _, centre, radius in circles)], axis=0)
    high = np.max([*points, *(centre + radius for _, centre, radius in circles)], axis=0)
    if fit:
        middle, half = (low + high) / 2, max((high - low).max() / 2, 0.5) + LABEL_ROOM
    else:
        middle, half = np.zeros(2), max(VIEW, np.abs([low, high]).max() + LABEL_ROOM)
    axis.set_xlim(middle[0] - half, middle[0] + half)
    axis.set_ylim(middle[1] - half, middle[1] + half)
    axis.set_aspect("equal")
    axis.axis("off")
    for _, centre, radius in circles:
        axis.add_patch(Circle(centre, radius, color="0.5", alpha=0.10, linewidth=0, zorder=0))
    graph = nx.Graph()
    graph.add_nodes_from(place)
    edges = [
        (a, b, value)
        for (a, b), value in history.affinity.get(month, {}).items()
        if a in place and b in place and abs(value) >= EDGE_THRESHOLD
    ]
    graph.add_weighted_edges_from(edges, weight="affinity")
    nx.draw_networkx_edges(
        graph,
        place,
        ax=axis,
        edgelist=[(a, b) for a, b, _ in edges],
        width=[0.6 + 4.5 * abs(value) for *_, value in edges],
        edge_color=[AFFINITY_COLOURS((value + 1) / 2) for *_, value in edges],
        alpha=0.8,
    )
    nodes = list(place)
    sizes = {
        leader: 200 + 2600 * history.power[month][leader] / history.largest for leader in nodes
    }
    nx.draw_networkx_nodes(
        graph,
        place,
        ax=axis,
        nodelist=nodes,
        node_size=[sizes[leader] for leader in nodes],
        node_color=[colours.get(leader, "0.5") for leader in nodes],
        edgecolors="white",
        linewidths=1.5,
    )
    figure = axis.figure
    canvas = figure.canvas if hasattr(figure.canvas, "get_renderer") else FigureCanvasAgg(figure)
    renderer = canvas.get_renderer()
    axis.apply_aspect()  # the panel's final box: names are placed in it
    pixels = figure.dpi / 72
    taken = []  # what a name must not cover: the nodes, then the names placed
    for leader in nodes:
        x, y = axis.transData.transform(place[leader])
        r = np.sqrt(sizes[leader]) / 2 * pixels
        taken.append(Bbox.from_extents(x - r, y - r, x + r, y + r))
    for leader in sorted(nodes, key=lambda leader: (-sizes[leader], leader)):
        near = np.sqrt(sizes[leader]) / 2 + 2  # points from the node's centre to its name
        candidates = [
            (place[leader], offset, ha, va)
            for gap in (near, near + NAME_FARTHER)  # beside the node, else a little off
            for offset, ha, va in (
                ((0, -gap), "center", "top"),  # below the node, where a reader looks first
                ((0, gap), "center", "bottom"),
                ((gap + 1, 0), "left", "center"),
                ((-gap - 1, 0), "right", "center"),
                ((gap * 0.75, -gap * 0.75), "left", "top"),
                ((-gap * 0.75, -gap * 0.75), "right", "top"),
                ((gap * 0.75, gap * 0.75), "left", "bottom"),
                ((-gap * 0.75, gap * 0.75), "right", "bottom"),
            )
        ]
        style = {"fontsize": 11, "fontweight": "bold", "color": "0.1"}
        taken.append(_place(axis, renderer, names.get(leader, leader), candidates, taken, style))
    for number, (faction, centre, radius) in enumerate(circles):
        first = LABEL_ANGLES[number % len(LABEL_ANGLES)]
        angles = [first, *(angle for angle in FACTION_ANGLES if not np.isclose(angle, first))]
        candidates = [
            _on_circle(centre, radius, angle, inside)
            for inside in (False, True)  # outside the circle, else inside its edge
            for angle in angles
        ]
        style = {
            "fontsize": 10,
            "color": "0.3",
            "style": "italic",
            "bbox": {
                "boxstyle": "round,pad=0.15",
                "facecolor": "white",
                "alpha": 0.75,
                "linewidth": 0,
            },
        }
        taken.append(
            _place(axis, renderer, factions.get(faction, faction), candidates, taken, style)
        )
    when = month_start(month).strftime("%B %Y")
    axis.set_title(when, fontsize=15)


def _circles(
    factions: dict[str, list[str]], place: dict[str, np.ndarray]
) -> list[tuple[str, np.ndarray, float]]:
    """Each faction of two or more drawn members: its circle's centre and radius."""
    circles = []
    for faction, group in sorted(factions.items()):
        if len(group) < 2:
            continue
        points = np.array([place[leader] for leader in group])
        centre = points.mean(axis=0)
        circles.append(
            (faction, centre, float(np.linalg.norm(points - centre, axis=1).max()) + 0.18)
        )
    return circles


def _on_circle(centre: np.ndarray, radius: float, angle: float, inside: bool) -> tuple:
    """A place for a faction's name at ``angle`` on its circle: just outside, or inside.

    The name runs away from the circle's edge: outwards outside, inwards inside.
    """
    direction = np.array([np.cos(angle), np.sin(angle)])
    where = centre + (radius - 0.06 if inside else radius + 0.04) * direction
    across, up = -direction if inside else direction
    ha = "left" if across > 0.5 else "right" if across < -0.5 else "center"
    va = "bottom" if up > 0.5 else "top" if up < -0.5 else "center"
    return where, (0, 0), ha, va


def _place(axis: Axes, renderer, text: str, candidates: list, taken: list[Bbox], style: dict):
    """Write ``text`` at the first candidate place inside the panel that covers nothing taken.

    Each candidate is ``(xy, offset in points, ha, va)``. When every place covers
    something, the one inside the panel covering least is kept.

    Returns:
        The extent of the text written, in display units.
    """
    frame = axis.get_window_extent(renderer)
    boxes = np.array([box.extents for box in taken]).reshape(-1, 4)
    clearance = NAME_CLEARANCE * axis.figure.dpi / 72
    best = None
    for xy, offset, ha, va in candidates:
        label = _name(axis, text, xy, offset, ha, va, style)
        extent = label.get_window_extent(renderer)
        inside = frame.x0 <= extent.x0 and extent.x1 <= frame.x1
        inside = inside and frame.y0 <= extent.y0 and extent.y1 <= frame.y1
        x0, y0, x1, y1 = extent.padded(clearance).extents
        width = np.minimum(boxes[:, 2], x1) - np.maximum(boxes[:, 0], x0)
        height = np.minimum(boxes[:, 3], y1) - np.maximum(boxes[:, 1], y0)
        covered = float((np.clip(width, 0, None) * np.clip(height, 0, None)).sum())
        if inside and covered == 0:
            return extent
        label.remove()
        score = (not inside, covered)
        if best is None or score < best[0]:
            best = (score, xy, offset, ha, va)
    _, xy, offset, ha, va = best
    return _name(axis, text, xy, offset, ha, va, style).get_window_extent(renderer)


def _name(axis: Axes, text: str, xy, offset, ha: str, va: str, style: dict):
    """A name ``offset`` points from ``xy`` (data)."""
    return axis.annotate(
        text,
        xy,
        xytext=offset,
        textcoords="offset points",
        ha=ha,
        va=va,
        annotation_clip=False,
        **style,
    )


def _key(figure: Figure) -> None:
    """The colour key of the edges, shared by the panels, in the figure's bottom inch."""
    height = figure.get_figheight()
    axis = figure.add_axes((0.3, KEY_BOTTOM / height, 0.4, KEY_HEIGHT / height))
    scale = matplotlib.cm.ScalarMappable(
        norm=matplotlib.colors.Normalize(-1, 1), cmap=AFFINITY_COLOURS
    )
    bar = figure.colorbar(scale, cax=axis, orientation="horizontal")
    bar.set_label("affinity: enmity (red) to alliance (blue); node size: power share")


def draw_network(
    history: NetworkHistory, scenario: Scenario, months: Sequence[str], title: str | None = None
) -> Figure:
    """The network at each of ``months``, one panel each (two per row)."""
    with slide_style():
        columns = min(2, len(months))
        rows = -(-len(months) // columns)
        figure = Figure(figsize=(7.5 * columns, 7.2 * rows + 1.0))
        FigureCanvasAgg(figure)  # to measure the names as they are placed
        axes = figure.subplots(rows, columns, squeeze=False)
        height = figure.get_figheight()
        figure.subplots_adjust(
            left=0.02,
            right=0.98,
            top=1 - 1.2 / height,
            bottom=PANELS_BOTTOM / height,
            hspace=0.12,
            wspace=0.05,
        )
        for axis, month in zip(axes.ravel(), months, strict=False):
            draw_month(axis, history, month, scenario, fit=True)
        for axis in axes.ravel()[len(months) :]:
            axis.set_visible(False)
        figure.suptitle(title or f"{scenario.name}: the alliance network")
        _key(figure)
    return figure


def plot_network(
    history: NetworkHistory,
    scenario: Scenario,
    months: Sequence[str],
    path: Path,
    title: str | None = None,
) -> None:
    """Write :func:`draw_network` to ``path`` (PNG, SVG or PDF by its suffix)."""
    save_figure(draw_network(history, scenario, months, title), path)


def animate_network(
    history: NetworkHistory, scenario: Scenario, path: Path, title: str | None = None
) -> int:
    """Write ``network.gif``: one frame per month of the run, looping (``title`` above).

    Returns:
        The number of frames.
    """
    frames = []
    with slide_style():
        figure = Figure(figsize=(8, 8.6), dpi=80)
        canvas = FigureCanvasAgg(figure)
        figure.suptitle(title or f"{scenario.name}: the alliance network", fontsize=14)
        _key(figure)
        axis = figure.add_axes((0.02, 0.14, 0.96, 0.78))
        for month in history.months:
            axis.clear()
            draw_month(axis, history, month, scenario)
            canvas.draw()
            image = Image.fromarray(np.asarray(canvas.buffer_rgba())).convert("RGB")
            frames.append(image.quantize(colors=128))

    def write(temporary: Path) -> None:
        buffer = io.BytesIO()
        frames[0].save(
            buffer,
            format="GIF",
            save_all=True,
            append_images=frames[1:],
            duration=FRAME_MILLISECONDS,
            loop=0,
        )
        temporary.write_bytes(buffer.getvalue())

    write_atomically(path, write)
    return len(frames)
