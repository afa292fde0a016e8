"""The events marked on a figure: those that happened in the run, labelled without collisions.

A figure of one run marks what happened *in that run*: in replay the scenario's
labelled events, in free mode the model's own decisions (removals, expulsions,
purges, appointments, read from the run's event log) beside the exogenous events
that struck it. A figure of many runs marks the scenario's labelled events that its
runs applied, which depends on their mode
(:func:`simulation.model.initial_state.applies`): in free mode not the scenario's
decisions, which the leaders take or not in each run. Only a handful
are labelled, the most consequential first; the labels stand in staggered rows
above the panel, out of the curves, and an event that finds no room keeps a tick
and a faint line without a label.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import dataclass

import matplotlib.dates as mdates
import pandas as pd
from matplotlib.axes import Axes

from simulation.model.initial_state import applies
from simulation.model.party_model import Mode, decides_from
from simulation.output.names import surnames
from simulation.scenario.schema import Scenario

MAX_LABELS = 6
"""At most this many labelled months per panel; the others are ticks."""
LABEL_ROWS = 3
LABEL_CHARACTERS = 40
"""Longer labels are cut short (a label names, it does not explain)."""
LABEL_SIZE = 11.0
_ROW_POINTS = LABEL_SIZE * 1.75
"""Height of a row of labels, in points."""

REMOVAL, SCENARIO_LABEL, OTHER_REMOVAL, PURGE, APPOINTMENT = range(5)
"""Ranks of the marks, most consequential first: a leader the figure draws removed or
expelled by the model's own decision (what makes a free run differ from history), a
labelled scenario event (a death, a stroke, a congress), a leader the figure does not draw
removed, an organisation purged, a post filled."""


@dataclass(frozen=True)
class Mark:
    """A month marked on a figure.

    Attributes:
        month: the first day of the month.
        text: what happened, short.
        rank: how consequential (lower first): which marks get a label.
    """

    month: pd.Timestamp
    text: str
    rank: int


def month_start(month: object) -> pd.Timestamp:
    """The first day of a month, ``YYYY-MM`` or a :class:`~simulation.calendar.Month`.

    Where the figures place an event of that month, and what their dates are read from.
    """
    return pd.Timestamp(f"{month}-01")


def _cut(text: str) -> str:
    """At most :data:`LABEL_CHARACTERS`, cut at a word's end (not "Cou…")."""
    if len(text) <= LABEL_CHARACTERS:
        return text
    return text[: LABEL_CHARACTERS - 1].rsplit(" ", 1)[0].rstrip(" ·:,") + "…"


def scenario_marks(scenario: Scenario, mode: Mode | str) -> list[Mark]:
    """The labelled events runs of ``scenario`` in ``mode`` apply, for figures of many runs.

    In replay every labelled event; in free mode the exogenous events and the
    interventions, and the decisions of the first month and of the months before a
    ``free_from`` branch (:func:`simulation.model.initial_state.applies`).
    """
    free_from = decides_from(scenario, Mode(mode))
    return by_month(
        [
            (month_start(event.date), event.label, _scenario_rank(event.type))
            for event in scenario.events
            if event.label and applies(event, scenario, free_from)
        ]
    )


def run_marks(
    events: pd.DataFrame, scenario: Scenario, drawn: Collection[str] | None = None
) -> list[Mark]:
    """The marks of one run, from its event log (``events.csv``).

    Scenario events are marked if the scenario labels them; the model's decisions
    (``origin == "model"``) if they remove, expel, purge or appoint. The leaders
    removed in one month share one label, principals (the scenario's first leaders)
    first; a removal of one of the leaders ``drawn`` (default: every leader) outranks
    the others', so that the figure labels first what befell the lines it shows.
    """
    labels = {event.id: event for event in scenario.events if event.label}
    order = {leader.id: number for number, leader in enumerate(scenario.leaders)}
    names = surnames(scenario)
    posts = {key: post.name for key, post in scenario.posts.items()}
    organisations = {o.id: o.name for o in scenario.organisations}
    entries = []
    removed: dict[tuple[pd.Timestamp, str, bool], list[str]] = {}  # (month, verb, drawn)
    for row in events.fillna("").itertuples(index=False):
        month = month_start(row.date)
        if row.origin != "model":
            if row.event_id in labels:
                event = labels[row.event_id]
                entries.append((month, event.label, _scenario_rank(event.type)))
            continue
        actors = [actor for actor in row.actor.split(";") if actor]
        if row.type == "removal":
            verb = "expelled" if "expulsion" in row.detail else "removed"
            for actor in actors:
                shown = drawn is None or actor in drawn
                removed.setdefault((month, verb, shown), []).append(actor)
        elif row.type == "purge":
            place = organisations.get(row.organisation, row.organisation)
            entries.append((month, f"purge: {place}", PURGE))
        elif row.type == "appointment":
            who = ", ".join(names.get(actor, actor) for actor in actors)
            entries.append((month, f"{who}: {posts.get(row.post, row.post)}", APPOINTMENT))
    for (month, verb, shown), actors in removed.items():
        principals = sorted(dict.fromkeys(actors), key=lambda actor: order.get(actor, len(order)))
        who = ", ".join(names.get(actor, actor) for actor in principals)
        entries.append((month, f"{who} {verb}", REMOVAL if shown else OTHER_REMOVAL))
    return by_month(entries)


def _scenario_rank(kind: str) -> int:
    """A death ranks with a removal: both take a contender out of the struggle."""
    return REMOVAL if kind == "death" else SCENARIO_LABEL


def by_month(entries: list[tuple[pd.Timestamp, str, int]]) -> list[Mark]:
    """One mark per month: its two most consequential texts (distinct) joined."""
    months: dict[pd.Timestamp, list[tuple[int, str]]] = {}
    for month, text, rank in entries:
        if (rank, text) not in months.setdefault(month, []):
            months[month].append((rank, text))
    marks = []
    for month, texts in sorted(months.items()):
        texts.sort()
        marks.append(Mark(month, _cut(" · ".join(text for _, text in texts[:2])), texts[0][0]))
    return marks


def draw_marks(axes: Sequence[Axes], marks: Sequence[Mark], *, labelled: bool = True) -> int:
    """Draw a faint line per mark across ``axes``, and label a few above the first.

    The x limits of ``axes[0]`` must be set (they place the labels). Labels go to
    the most consequential marks, at most :data:`MAX_LABELS`, each in the first of
    :data:`LABEL_ROWS` rows above the panel where it overlaps no other label; the
    rest get a tick at the panel's top edge.

    Returns:
        How many rows of labels stand above the first panel (0 to :data:`LABEL_ROWS`).
    """
    top = axes[0]
    for axis in axes:
        for mark in marks:
            axis.axvline(mark.month, color="0.55", linewidth=0.9, linestyle=":", zorder=0)
    if not labelled:
        return 0
    placed = _rows(top, _by_importance(marks))
    for mark, row, side, shift in placed:
        top.annotate(
            mark.text,
            xy=(mark.month, 1.0),
            xycoords=("data", "axes fraction"),
            xytext=(shift, 5 + row * _ROW_POINTS),
            textcoords="offset points",
            ha=side,
            va="bottom",
            fontsize=LABEL_SIZE,
            color="0.15",
            arrowprops={"arrowstyle": "-", "color": "0.45", "linewidth": 0.8},
            annotation_clip=False,
        )
    labelled_months = {mark.month for mark, *_ in placed}
    for mark in marks:
        if mark.month not in labelled_months:
            top.plot(
                [mark.month],
                [1.0],
                marker="|",
                markersize=10,
                color="0.35",
                transform=top.get_xaxis_transform(),
                clip_on=False,
            )
    return 1 + max((row for _, row, *_ in placed), default=-1)


def numbered_marks(axis: Axes, marks: Sequence[Mark]) -> list[Mark]:
    """Number the most consequential marks above ``axis``; return them in number order.

    For figures of several panels: each panel carries only the numbers, and one key
    shared by the panels (:func:`mark_key`) says what they stand for.
    """
    chosen = sorted(_by_importance(marks)[:MAX_LABELS], key=lambda mark: mark.month)
    for number, mark in enumerate(chosen, start=1):
        axis.annotate(
            str(number),
            xy=(mark.month, 1.0),
            xycoords=("data", "axes fraction"),
            xytext=(0, 3 + 9 * (number % 2)),  # neighbours alternate heights
            textcoords="offset points",
            ha="center",
            va="bottom",
            fontsize=LABEL_SIZE - 1,
            color="0.2",
            annotation_clip=False,
        )
    return chosen


def mark_key(chosen: Sequence[Mark]) -> str:
    """The key of :func:`numbered_marks`: ``1 Apr 1922 Stalin Gen. Sec.   2 ...``, three a line."""
    entries = [
        f"{number}  {mark.month.strftime('%b %Y')}: {mark.text}"
        for number, mark in enumerate(chosen, start=1)
    ]
    return "\n".join("      ".join(entries[at : at + 3]) for at in range(0, len(entries), 3))


def _by_importance(marks: Sequence[Mark]) -> list[Mark]:
    """The marks by rank and, within a rank, each next the farthest from those before it.

    So that the labels spread over the period instead of crowding its first years.
    """
    ordered: list[Mark] = []
    for rank in sorted({mark.rank for mark in marks}):
        group = [mark for mark in marks if mark.rank == rank]
        while group:
            pick = max(
                group,
                key=lambda mark: min(
                    (abs((mark.month - other.month).days) for other in ordered),
                    default=-mark.month.value,  # none yet: the earliest
                ),
            )
            ordered.append(pick)
            group.remove(pick)
    return ordered


def _rows(axis: Axes, marks: list[Mark]) -> list[tuple[Mark, int, str, float]]:
    """Label the marks in the order given, each in the first row where it overlaps none.

    A label starts at its month and runs right, or ends there and runs left when it
    would leave the panel; one too long for either stands against the panel's right
    edge (its line slanting to its month), so that no label leaves the panel's span.
    At most :data:`MAX_LABELS` are placed.

    Returns:
        Each labelled mark with its row, its alignment (``left`` or ``right``) and
        how far (in points) its anchor stands right of its month.
    """
    start, end = axis.get_xlim()
    width_points = axis.figure.get_figwidth() * 72 * axis.get_position().width
    character = LABEL_SIZE * 0.62 / width_points  # an average character, in axis fraction
    rows: list[list[tuple[float, float]]] = [[] for _ in range(LABEL_ROWS)]
    placed = []
    for mark in marks:
        if len(placed) == MAX_LABELS:
            break
        at = (mdates.date2num(mark.month) - start) / (end - start)
        width = (len(mark.text) + 1) * character
        side, shift = "left", 0.0
        if at + width <= 1.0:
            left, right = at, at + width
        elif at - width >= 0.0:
            side, left, right = "right", at - width, at
        else:  # too long for either side: against the right edge, or the left if wider
            left = max(0.0, 1.0 - width)
            right, shift = left + width, (left - at) * width_points
        for row, taken in enumerate(rows):
            if all(right < other_left or left > other_right for other_left, other_right in taken):
                taken.append((left, right))
                placed.append((mark, row, side, shift))
                break
    return placed


def title_pad(rows: int) -> float:
    """Points between a panel and its title that leave room for ``rows`` rows of labels."""
    return 8 + rows * _ROW_POINTS
