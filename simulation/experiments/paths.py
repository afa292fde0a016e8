"""Paths: the order in which the factions came forward and the contenders fell, and who won.

Issue 11 asks that the historical sequence come out of free mode as a likely path,
not a scripted one: the trio, then the Seven, against the Left of 1923; the Leningrad
opposition of 1925 and the bloc of 1926 against the majority; Trotsky condemned first,
Zinoviev and Kamenev next; Stalin on top at the end. The patterns score its pieces one
by one; a path is the whole of it in one run, in three parts:

- the order in which the scenario's factions first came forward (``factions``);
- the order of the first verdicts (carried motions of condemnation) on the period's
  contenders (``verdicts``);
- the leader dominant at the end.

Factions, or contenders, that first came forward, or were first condemned, in the same
month make one stage. History's orders come from the scenario's own events. Tabulated
over an ensemble, the paths say whether history's is the most common and what the others
are.

The contenders are the members of the Politburo in the period: those who hold a seat
in it (a post whose holders vote in the Politburo) at the scenario's start or are given
one by its events. A verdict on a lesser man (a signatory, a widow) does not make a path
of its own; a verdict on any member does, whoever the model makes him.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import pandas as pd
import pyarrow.parquet as pq

from simulation.experiments.outcomes import dominant_text
from simulation.mechanisms.contests import Move
from simulation.model.decisions import MODEL, faction_change_id
from simulation.model.events import SCENARIO
from simulation.model.rows import motion
from simulation.scenario import Scenario
from simulation.scenario.schema import EventType

if TYPE_CHECKING:
    from simulation.model.party_model import PartyModel

STAGE = " → "
"""Between the stages of an order, month after month."""
TOGETHER = "+"
"""Between what came in the same month."""
NONE = "none"
"""The order of a run in which nothing of the kind happened."""
ORDERS = ("factions", "verdicts")
"""A path's orders, in the order a path names them."""
COLUMNS = [*ORDERS, "dominant", "runs", "share", "history"]
HISTORY_METRICS = {order: f"p_history_{order}" for order in ORDERS}
"""A comparison's metrics, one per order: whether a run took the base scenario's order
(:func:`took_history_orders`)."""
LOGGED = (EventType.CONDEMNATION.value, EventType.FACTION_FORMED.value)
"""The types of the event log's rows a path reads."""
VOTES_READ = ["run", "date", "motion", "target", "carried"]
"""The vote log's columns a path reads."""
EVENTS_READ = ["run", "date", "event_id", "type", "origin"]
"""The event log's columns a path reads."""


def contenders(scenario: Scenario) -> list[str]:
    """The period's members of the Politburo, in the scenario's order of leaders."""
    seats = {post_id for post_id, post in scenario.posts.items() if post.votes_in}
    members = {leader.id for leader in scenario.leaders if seats & set(leader.posts)}
    for event in scenario.events:
        if event.type is EventType.APPOINTMENT and event.post in seats:
            members.update(event.who)
    return [leader.id for leader in scenario.leaders if leader.id in members]


def order_of(rows: Iterable[tuple[str, str]]) -> str:
    """An order from ``(date, item)`` rows: each item at its first date, one stage a month.

    Items of the same month make one stage, named in alphabetical order and joined by
    :data:`TOGETHER`; stages follow each other by :data:`STAGE`; no row at all is
    :data:`NONE`.
    """
    first: dict[str, str] = {}
    for date, item in rows:
        if item not in first or date < first[item]:
            first[item] = date
    stages: dict[str, list[str]] = {}
    for item, date in first.items():
        stages.setdefault(date, []).append(item)
    return STAGE.join(TOGETHER.join(sorted(stages[date])) for date in sorted(stages)) or NONE


class PathReader:
    """What a scenario's paths are read with: its contenders, verdicts and factions by id.

    Built once for many runs: a run's path is then one pass over its own log rows.
    """

    def __init__(self, scenario: Scenario):
        members = set(contenders(scenario))
        self.members = members
        self.condemned = motion(Move.CONDEMNATION.value, "")
        self.targets = {
            event.id: [leader for leader in event.target if leader in members]
            for event in scenario.events
            if event.type is EventType.CONDEMNATION
        }
        formed = EventType.FACTION_FORMED
        self.logged = {faction_change_id(formed.value, f.id): f.id for f in scenario.factions}
        self.factions = {e.id: e.faction for e in scenario.events if e.type is formed}
        verdicts = [
            (str(event.date), leader)
            for event in scenario.events
            if event.type is EventType.CONDEMNATION
            for leader in self.targets[event.id]
        ]
        factions = [(str(e.date), e.faction) for e in scenario.events if e.type is formed]
        self.history = {"factions": order_of(factions), "verdicts": order_of(verdicts)}
        """History's orders: those of the scenario's own events."""

    def of_model(self, model: PartyModel) -> dict[str, str]:
        """A model's orders of factions and verdicts so far."""
        votes = ((v.date, v.motion, v.target, v.carried) for v in model.vote_log)
        events = ((e.date, e.event_id, e.type, e.origin) for e in model.event_log)
        return self.path(votes, events)

    def path(self, votes: Iterable[tuple], events: Iterable[tuple]) -> dict[str, str]:
        """One run's orders from its vote rows and its event rows.

        Vote rows are (date, motion, target, carried), event rows (date, event_id, type,
        origin), in the order the run logged them. The model's verdicts are its carried
        motions of condemnation, its factions those it logs under
        :func:`.decisions.faction_change_id`; a run that replays history up to a branch has
        the scenario's verdicts and factions of those months too (its event log names the
        events, whose targets and factions the scenario gives).
        """
        verdicts = [
            (date, leader)
            for date, text, targets, carried in votes
            if carried and str(text).startswith(self.condemned)
            for leader in str(targets).split(";")
            if leader in self.members
        ]
        factions = []
        for date, event_id, kind, origin in events:
            if origin == MODEL and kind == EventType.FACTION_FORMED.value:
                if event_id in self.logged:
                    factions.append((date, self.logged[event_id]))
            elif origin == SCENARIO and kind == EventType.FACTION_FORMED.value:
                if event_id in self.factions:
                    factions.append((date, self.factions[event_id]))
            elif origin == SCENARIO and kind == EventType.CONDEMNATION.value:
                verdicts += [(date, leader) for leader in self.targets.get(event_id, [])]
        return {"factions": order_of(factions), "verdicts": order_of(verdicts)}


def history_orders(scenario: Scenario) -> dict[str, str]:
    """History's ``factions`` and ``verdicts``: the orders of the scenario's own events."""
    return PathReader(scenario).history


def path_line(model: PartyModel) -> str:
    """One line on a finished run's path, each order marked when it is history's."""
    reader = PathReader(model.spec)
    history, path = reader.history, reader.of_model(model)
    return "path: " + "; ".join(
        f"{name} {path[name]}" + (" (history's)" if path[name] == history[name] else "")
        for name in ORDERS
    )


def run_paths(
    summary: pd.DataFrame, votes: pd.DataFrame, events: pd.DataFrame, scenario: Scenario
) -> pd.DataFrame:
    """Each run's path: ``run``, ``factions``, ``verdicts``, ``dominant``, in the summary's order.

    Args:
        summary: the runs' summary (``run``, ``dominant``).
        votes: their vote log (:data:`VOTES_READ`; rows not carried may be left out).
        events: their event log (:data:`EVENTS_READ`; rows of other types than
            :data:`LOGGED` may be left out).
        scenario: the scenario they simulated.
    """
    by_run: dict[int, tuple[list, list]] = {}
    for side, (frame, columns) in enumerate(((votes, VOTES_READ), (events, EVENTS_READ))):
        # Whole columns as lists: iterating rows of Arrow-backed strings costs ten times more.
        for run, *row in zip(*(frame[column].tolist() for column in columns), strict=True):
            by_run.setdefault(run, ([], []))[side].append(row)
    reader = PathReader(scenario)
    runs = summary["run"].tolist()
    paths = [reader.path(*by_run.get(run, ([], []))) for run in runs]
    return pd.DataFrame(
        {
            "run": runs,
            "factions": [path["factions"] for path in paths],
            "verdicts": [path["verdicts"] for path in paths],
            "dominant": summary["dominant"].to_numpy(),
        }
    )


PATH_BLOCK = 5_000
"""Runs whose log rows are read at once for their paths (:func:`path_table_blocks`). A run's
rows cost some 25 KB as the Python rows a path is read from: 100,000 runs at once took
2.7 GB (an audit's count)."""


def path_table_blocks(
    out_dir: Path | str,
) -> Iterator[tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]]:
    """:func:`read_path_tables` of an ensemble's directory, :data:`PATH_BLOCK` runs at a time.

    The tables hold the runs in order, in row groups whose statistics let each block read
    only its own.
    """
    runs = pq.ParquetFile(Path(out_dir) / "summary.parquet").metadata.num_rows
    for first in range(0, max(runs, 1), PATH_BLOCK):
        yield read_path_tables(out_dir, range(first, first + PATH_BLOCK))


def read_run_paths(out_dir: Path | str, scenario: Scenario) -> pd.DataFrame:
    """:func:`run_paths` of an ensemble's directory, a block of runs at a time."""
    return pd.concat(
        [run_paths(*tables, scenario) for tables in path_table_blocks(out_dir)],
        ignore_index=True,
    )


def read_path_tables(
    out_dir: Path | str, runs: range | None = None
) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    """The summary, votes and events of an ensemble's directory that :func:`run_paths` reads.

    The vote log of a large ensemble is the bulk of its files: only its carried motions
    are read, and of the event log only the verdicts and the factions coming forward;
    with ``runs``, only those runs' rows.
    """
    out_dir = Path(out_dir)
    within = [] if runs is None else [("run", ">=", runs.start), ("run", "<", runs.stop)]
    summary = pq.read_table(
        out_dir / "summary.parquet", columns=["run", "dominant"], filters=within or None
    ).to_pandas()
    votes = pq.read_table(
        out_dir / "votes.parquet", columns=VOTES_READ, filters=[("carried", "=", True), *within]
    ).to_pandas()
    events = pq.read_table(
        out_dir / "events.parquet", columns=EVENTS_READ, filters=[("type", "in", LOGGED), *within]
    ).to_pandas()
    return summary, votes, events


def path_table(paths: pd.DataFrame, scenario: Scenario) -> pd.DataFrame:
    """Each path taken by the runs (:func:`run_paths`), the most common first.

    Returns:
        One row per (factions, verdicts, dominant leader at the end): ``runs``, ``share``
        of all runs, and ``history``, whether both orders are the scenario's own.
    """
    return tabulate(paths, history_orders(scenario))


def tabulate(paths: pd.DataFrame, history: dict[str, str]) -> pd.DataFrame:
    """:func:`path_table` against ``history``'s orders (:func:`history_orders`)."""
    keys = [*ORDERS, "dominant"]
    table = paths[keys].value_counts(sort=False).rename("runs").reset_index()
    table["share"] = table["runs"] / len(paths)
    table["history"] = (table["factions"] == history["factions"]) & (
        table["verdicts"] == history["verdicts"]
    )
    order = table.sort_values(["runs", *keys], ascending=[False, True, True, True])
    return order[COLUMNS].reset_index(drop=True)


def history_shares(paths: pd.DataFrame, history: dict[str, str]) -> dict[str, float | bool]:
    """The share of runs that took history's order of factions, of verdicts, and both.

    With ``most common``: whether no other pair of orders was taken by more runs.
    """
    took = {order: (paths[order] == history[order]).to_numpy() for order in ORDERS}
    both = took["factions"] & took["verdicts"]
    pairs = paths.groupby(list(ORDERS)).size()
    return {
        **{order: float(taken.mean()) for order, taken in took.items()},
        "both": float(both.mean()),
        "most common": bool(both.any() and both.sum() >= pairs.max()),
    }


def history_lines(table: pd.DataFrame, scenario: Scenario) -> list[str]:
    """How often the runs took history's orders, each and both, and how each ranks."""
    history = history_orders(scenario)
    lines = []
    for order in ORDERS:
        shares = table.groupby(order)["share"].sum()
        lines.append(
            f"history's order of {order} ({history[order]}): "
            + _standing(shares, history[order], f"order{'s' if len(shares) != 1 else ''}")
        )
    both = table.groupby(list(ORDERS))["share"].sum()
    line = "history's orders of both: " + _standing(both, tuple(history.values()), "pairs")
    taken = table[table["history"]]
    if len(taken):
        end = taken.iloc[0]["dominant"]
        paths = table.set_index([*ORDERS, "dominant"])["share"]
        which = (*history.values(), end)
        line += f"; with {dominant_text(end)} dominant at the end, "
        line += _standing(paths, which, "paths")
    return [*lines, line]


def _standing(shares: pd.Series, which: object, kind: str) -> str:
    """``which``'s share of runs and its rank among ``shares`` (one per kind of order)."""
    share = float(shares.get(which, 0.0))
    if not share:
        return f"in no run; {len(shares)} {kind} taken"
    if len(shares) == 1:
        return f"{share:.0%} of runs, the only one taken"
    rank = int((shares > share).sum()) + 1
    most = "the most common" if rank == 1 else f"the {_ordinal(rank)} most common"
    tied = " (tied)" if int((shares == share).sum()) > 1 else ""
    return f"{share:.0%} of runs, {most}{tied} of {len(shares)} {kind}"


def _ordinal(number: int) -> str:
    suffix = {1: "st", 2: "nd", 3: "rd"}.get(number % 10 if number % 100 not in (11, 12, 13) else 0)
    return f"{number}{suffix or 'th'}"


def took_history_orders(
    out_dir: Path, scenario: Scenario, history: dict[str, str]
) -> dict[str, pd.Series]:
    """Per order, per run of an ensemble's directory (indexed by run), 1.0 if it took ``history``'s.

    A comparison reads every alternative against the base scenario's orders
    (:func:`history_orders` of the base), whatever events an alternative drops or moves.
    """
    paths = read_run_paths(out_dir, scenario)
    return {
        order: pd.Series((paths[order] == history[order]).to_numpy(dtype=float), index=paths["run"])
        for order in ORDERS
    }


def on_historys_path(so_far: str, history: str) -> bool:
    """Whether an order so far is the start of history's, stage by stage (``none``: yes)."""
    if so_far == NONE:
        return True
    stages, historys = so_far.split(STAGE), history.split(STAGE)
    return stages == historys[: len(stages)]


def with_paths(summary: pd.DataFrame, paths: pd.DataFrame, history: dict[str, str]) -> pd.DataFrame:
    """A summary with each run's orders and whether each is history's, for conditions on them.

    Adds ``factions`` and ``verdicts`` (:func:`run_paths`) and ``history_factions`` and
    ``history_verdicts`` (true where the run took ``history``'s order), matched by run.
    """
    by_run = paths.set_index("run")
    added = summary.copy()
    for order in ORDERS:
        added[order] = added["run"].map(by_run[order])
        added[f"history_{order}"] = (added[order] == history[order]).to_numpy()
    return added


PATH_SUMMARY_COLUMNS = {
    **{order: object for order in ORDERS},
    **{f"history_{order}": bool for order in ORDERS},
}
"""The columns :func:`with_paths` adds, with their types."""
