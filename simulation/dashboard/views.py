"""What a run shows at its current month: the pictures and tables of the dashboard.

Each function reads a model that has been stepped some months (never steps it), so the
dashboard can redraw after every month. Before the first step they show the scenario's
opening position: no trajectory yet, the initial alliances, the initial office holders.
"""

from __future__ import annotations

import re
import weakref

import matplotlib.dates as mdates
import numpy as np
import pandas as pd
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure

from simulation.experiments.paths import ORDERS, PathReader, on_historys_path
from simulation.model import PartyModel
from simulation.model.decisions import SANCTION_TYPES
from simulation.output.colours import leader_colours
from simulation.output.contenders import MAIN_LEADERS, contender_order
from simulation.output.marks import month_start
from simulation.output.network import NETWORK_LEADERS, draw_month, month_network

CONTENDERS = MAIN_LEADERS
"""How many leaders the trajectories draw: the main contenders so far, as many as a run's
figure draws, so that the class sees the leaders of ``make run``."""
LABELS_LEFT_AFTER = 0.6
"""Share of the period after which an event's label is written left of its line: written
to the right, the labels of 1926 ran past the axes into the legend."""
NETWORK_INCHES = 6.0
"""Side of the network's square figure. Its card, half the page wide, scales it down and
its names with it: drawn at seven inches they shrank below reading size; the smaller the
figure, the more often two names of a crowded month touch."""
_LAID_OUT: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()
"""The positions each run's network was last drawn at, forgotten with the run."""
NOT_HELD = "none of the leaders modelled"
"""An office's holder where none of the scenario's leaders holds it."""
TEXT_SIZE = 12
"""Points of the figures' words. Each figure is scaled to its card: on a classroom laptop
(1366 px wide) words of 8 to 10 points on larger figures came out 5 to 6 pixels high."""


def months_done(model: PartyModel) -> int:
    """How many months have been simulated."""
    return model.step_index + 1


def current_label(model: PartyModel) -> str:
    """The month simulated last, or the scenario's start before the first step."""
    return model.date if model.step_index >= 0 else f"before {model.dates[0]}"


def heading(model: PartyModel) -> str:
    """The run's title: its scenario, how its decisions are made, and its month.

    A branch from history decides from its month whatever the mode it was asked in.
    """
    branch = model.spec.free_from
    mode = model.mode.value if branch is None else f"free from {branch}"
    return f"{model.spec.name}, {mode}: {current_label(model)}"


def contenders(model: PartyModel, count: int = CONTENDERS) -> list[int]:
    """Indices of the main contenders so far (:mod:`simulation.output.contenders`).

    Before the first month, the leaders with the highest starting influence.
    """
    done = months_done(model)
    shares = model.recorder.power[:done] if done else model.influence[np.newaxis]
    return [int(i) for i in contender_order(shares)[:count]]


def trajectory_figure(model: PartyModel) -> Figure:
    """Influence and power share of the main contenders up to the current month.

    A leader is drawn only while alive; the current month is marked, on each curve by a
    dot (one month alone is a point, which a line would not show: a class stepping the
    first month saw empty axes), and the labelled events that happened so far in this run
    are annotated above the curves.
    """
    figure = Figure(figsize=(7.2, 4.6), layout="constrained")
    top, bottom = figure.subplots(2, 1, sharex=True)
    months = pd.to_datetime(pd.Series(model.dates), format="%Y-%m")
    done = months_done(model)
    colours = leader_colours(model.spec)
    names = {leader.id: leader.name for leader in model.spec.leaders}
    for i in contenders(model):
        leader_id = model.leader_ids[i]
        alive = model.recorder.alive[:done, i]
        style = {
            "color": colours[leader_id],
            "linewidth": 2.2,
            "marker": "o",
            "markersize": 4,
            "markevery": [done - 1] if done else [],
        }
        top.plot(
            months[:done],
            np.where(alive, model.recorder.influence[:done, i], np.nan),
            label=names[leader_id],
            **style,
        )
        bottom.plot(months[:done], np.where(alive, model.recorder.power[:done, i], np.nan), **style)
    for axis in (top, bottom):
        axis.set_xlim(months.iloc[0], months.iloc[-1])
        axis.grid(axis="y", color="0.9")
        if done:
            axis.axvline(months.iloc[done - 1], color="black", linewidth=1.2)
    span = months.iloc[-1] - months.iloc[0]
    for row, (when, label) in enumerate(_labels_so_far(model)):
        top.axvline(when, color="0.6", linewidth=0.8, linestyle=":", zorder=0)
        late = when - months.iloc[0] > LABELS_LEFT_AFTER * span  # written left of its line
        top.annotate(
            label,
            xy=(when, 0.97 - 0.1 * row),  # one row each, so that labels cannot collide
            xycoords=("data", "axes fraction"),
            xytext=(-3 if late else 3, 0),
            textcoords="offset points",
            fontsize=TEXT_SIZE - 1,
            ha="right" if late else "left",
            va="top",
            color="0.2",
            bbox={"facecolor": "white", "edgecolor": "none", "alpha": 0.8, "pad": 0.5},
        )
    top.set_ylim(0, 1.05)
    top.set_ylabel("Influence", fontsize=TEXT_SIZE)
    bottom.set_ylim(bottom=0)
    bottom.set_ylabel("Power share", fontsize=TEXT_SIZE)
    for axis in (top, bottom):
        axis.tick_params(labelsize=TEXT_SIZE)
    bottom.xaxis.set_major_locator(mdates.MonthLocator(bymonth=1))
    bottom.xaxis.set_major_formatter(mdates.DateFormatter("%Y"))
    top.legend(loc="upper left", bbox_to_anchor=(1.0, 1.0), frameon=False, fontsize=TEXT_SIZE)
    return figure


def _labels_so_far(model: PartyModel, most: int = 5) -> list[tuple[pd.Timestamp, str]]:
    """The latest few labelled events of the run so far (scenario events that applied)."""
    labels = {event.id: event.label for event in model.spec.events if event.label}
    seen: dict[str, str] = {}
    for row in model.event_log:
        if row.event_id in labels and row.event_id not in seen:
            seen[row.event_id] = row.date
    marks = [(month_start(date), labels[event_id]) for event_id, date in seen.items()]
    return marks[-most:]


def network_figure(model: PartyModel) -> Figure:
    """The alliance network now, drawn as a run's ``network.png`` draws it.

    The main contenders so far (:data:`NETWORK_LEADERS`, as many as the run's figure:
    all two dozen living leaders crowded their names into one cluster), sized by power,
    allies in blue and enemies in red, active factions in their circles, names placed
    where they cover no node and no other name. Each month is laid out from the positions
    of the month this run last drew, so that a leader moves only as his alliances do.
    """
    living = set(np.flatnonzero(model.alive).tolist())
    chosen = [i for i in contenders(model, len(model.leader_ids)) if i in living]
    chosen = chosen[:NETWORK_LEADERS]
    ids = [model.leader_ids[i] for i in chosen]
    shares = model.power if model.step_index >= 0 else model.influence / model.influence.sum()
    power = {model.leader_ids[i]: float(shares[i]) for i in chosen}
    affinity = {
        (model.leader_ids[a], model.leader_ids[b]): float(model.affinity[a, b])
        for a in chosen
        for b in chosen
        if a < b
    }
    drawn = set(ids)
    factions = {
        faction.id: sorted(set(faction.members) & drawn)
        for f, faction in enumerate(model.spec.factions)
        if model.faction_active[f]
    }
    label = model.date if model.step_index >= 0 else model.dates[0]
    network = month_network(label, power, affinity, factions, _LAID_OUT.get(model))
    _LAID_OUT[model] = network.positions[label]
    figure = Figure(figsize=(NETWORK_INCHES, NETWORK_INCHES))
    FigureCanvasAgg(figure)  # to measure the names as they are placed
    axis = figure.add_axes((0.01, 0.01, 0.98, 0.98))
    draw_month(axis, network, label, model.spec, fit=True)
    axis.set_title("")  # the card's title gives the month
    return figure


def office_table(model: PartyModel) -> pd.DataFrame:
    """Who holds which office now, one row per office.

    An office none of the scenario's leaders holds is not said to be vacant: in history
    another may have held it (Menzhinsky the OGPU after Dzerzhinsky's death), which a class
    would otherwise read as a fact the model states.
    """
    names = {leader.id: leader.name for leader in model.spec.leaders}
    rows = []
    for post_id, post in model.spec.posts.items():
        holders = [names[model.leader_ids[i]] for i in model.holders(post_id)]
        rows.append({"office": post.name, "held by": ", ".join(holders) or NOT_HELD})
    return pd.DataFrame(rows)


def chronicle(model: PartyModel) -> pd.DataFrame:
    """The events of the run so far, newest first, with the source each one cites.

    Scenario events cite the scenario's source; what an event entails (a death empties
    the dead man's offices) is shown as its type and post under the event's id; decisions
    the model made in free mode say so, since they have no historical source.
    """
    events = {event.id: event for event in model.spec.events}
    rows = []
    for row in reversed(model.event_log):
        event = events.get(row.event_id)
        if event is None:
            text, source = row.detail or row.type, "the model's decision"
            if row.type in SANCTION_TYPES:  # its actor moved it; a removal's is its target
                text += f", moved by {row.actor}"
        elif row.type == event.type:
            text, source = event.description, event.source
        else:
            text, source = f"{row.type} {row.post}".strip(), event.source
        rows.append(
            {
                "month": row.date,
                "id": row.event_id,
                "event": text,
                "who": row.actor.replace(";", ", "),
                "source": source,
            }
        )
    return pd.DataFrame(rows, columns=["month", "id", "event", "who", "source"])


def path_so_far(model: PartyModel) -> pd.DataFrame:
    """The run's path so far against history's (:mod:`simulation.experiments.paths`).

    The order in which the factions came forward and the Politburo's members were
    condemned, one row each: what the run has done so far, what history did over the whole
    period, and whether the run is still on history's path (its stages so far are
    history's first ones). A class can watch a run leave history, or keep to it.
    """
    reader = PathReader(model.spec)
    history, path = reader.history, reader.of_model(model)
    rows = [
        {
            "order": order,
            "so far": path[order],
            "history": history[order],
            "on history's path": "yes" if on_historys_path(path[order], history[order]) else "no",
        }
        for order in ORDERS
    ]
    return pd.DataFrame(rows, columns=["order", "so far", "history", "on history's path"])


def last_votes(model: PartyModel) -> pd.DataFrame:
    """The last motion put to each arena so far, with its count and outcome in one column.

    One column, not three: in a card half the page wide, eight columns squeezed the motion's
    words to two or three a line. Names the log joins with ";" are listed with ", ": a bloc's
    condemnation, one unbroken word of some seventy letters, ran past the card's edge.
    """
    latest = {}
    for vote in model.vote_log:
        latest[vote.arena] = vote
    rows = [
        {
            "arena": arena,
            "month": vote.date,
            "motion": listed(vote.motion),
            "sponsor": listed(vote.sponsor),
            "target": listed(vote.target),
            "vote": f"{vote.votes_for}–{vote.votes_against}, "
            + ("carried" if vote.carried else "lost"),
        }
        for arena, vote in latest.items()
    ]
    return pd.DataFrame(rows, columns=["arena", "month", "motion", "sponsor", "target", "vote"])


def listed(text: str) -> str:
    """Names the logs join with ";" (``trotsky;radek``) as a list a line can break in.

    A semicolon already followed by a space is the scenario's own prose and is kept.
    """
    return re.sub(r";(?=\S)", ", ", text)


def as_markdown(frame: pd.DataFrame) -> str:
    """A frame as a Markdown table: the page shows whole cells (a data grid clips them)."""

    def cell(value) -> str:
        return str(value).replace("|", "/").replace("\n", " ")

    lines = ["| " + " | ".join(frame.columns) + " |", "|" + "---|" * len(frame.columns)]
    lines += ["| " + " | ".join(cell(v) for v in row) + " |" for row in frame.itertuples(False)]
    return "\n".join(lines)
