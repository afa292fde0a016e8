"""Paths: the order in which the contenders fell, and who was left on top.

Issue 11 asks that the historical sequence come out of free mode as a likely path,
not a scripted one: Trotsky condemned first, Zinoviev and Kamenev next, Stalin on
top at the end. The patterns score its pieces one by one; a path is the whole of
it in one run. A run's path is the order of the first verdicts (carried motions of
condemnation) on the period's contenders, those condemned at the same month's
sittings together, and the leader dominant at its end; history's order comes from
the scenario's own verdicts. Tabulated over an ensemble, the paths say whether
history's is the most common one and what the others are.

The contenders are the members of the Politburo in the period: those who hold a
seat in it (a post whose holders vote in the Politburo) at the scenario's start or
are given one by its events. A verdict on a lesser man (a signatory, a widow) does
not make a path of its own; a verdict on any member does, whoever the model makes
him.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pyarrow.parquet as pq

from simulation.mechanisms.contests import Move
from simulation.model.rows import motion
from simulation.scenario import Scenario
from simulation.scenario.schema import EventType

STAGE = " → "
"""Between the verdicts of successive months."""
TOGETHER = "+"
"""Between the contenders condemned in the same month."""
NO_VERDICT = "no verdict"
"""The path of a run in which no contender is condemned."""
COLUMNS = ["path", "dominant", "runs", "share", "history"]
HISTORY_ORDER = "p_history_order"
"""A comparison's metric: whether a run took the base scenario's order of verdicts
(:func:`took_history_order`)."""


def contenders(scenario: Scenario) -> list[str]:
    """The period's members of the Politburo, in the scenario's order of leaders."""
    seats = {post_id for post_id, post in scenario.posts.items() if post.votes_in}
    members = {leader.id for leader in scenario.leaders if seats & set(leader.posts)}
    for event in scenario.events:
        if event.type is EventType.APPOINTMENT and event.post in seats:
            members.update(event.who)
    return [leader.id for leader in scenario.leaders if leader.id in members]


def paths_of(verdicts: pd.DataFrame) -> pd.Series:
    """Each run's path from its verdicts (``run``, ``date``, ``leader``), indexed by run.

    A contender counts at his first verdict; those first condemned in the same month make
    one stage, named in alphabetical order. Runs without a verdict are not in the index.
    """
    first = verdicts.groupby(["run", "leader"], as_index=False)["date"].min()
    first = first.sort_values(["run", "date", "leader"])
    stages = first.groupby(["run", "date"], sort=False)["leader"].agg(TOGETHER.join)
    return stages.groupby(level="run", sort=False).agg(STAGE.join)


def history_path(scenario: Scenario) -> str:
    """The path of the scenario's own verdicts (its events of type ``condemnation``)."""
    members = set(contenders(scenario))
    verdicts = [
        (str(event.date), leader)
        for event in scenario.events
        if event.type is EventType.CONDEMNATION
        for leader in event.target
        if leader in members
    ]
    paths = paths_of(pd.DataFrame(verdicts, columns=["date", "leader"]).assign(run=0))
    return str(paths.iloc[0]) if len(paths) else NO_VERDICT


def run_verdicts(votes: pd.DataFrame, events: pd.DataFrame, scenario: Scenario) -> pd.DataFrame:
    """Every run's verdicts on the contenders: ``run``, ``date``, ``leader``.

    The model's own are its carried motions of condemnation (the vote log); a run that
    replays history up to a branch has the scenario's verdicts of those months too (its
    event log names the event, whose targets the scenario gives).

    Args:
        votes: the runs' vote log (``run``, ``date``, ``motion``, ``target``, ``carried``).
        events: the runs' event log (``run``, ``date``, ``event_id``, ``type``, ``origin``).
        scenario: the scenario the runs simulated.
    """
    members = set(contenders(scenario))
    carried = votes[votes["carried"].astype(bool)]
    condemned = carried["motion"].astype(str).str.startswith(motion(Move.CONDEMNATION.value, ""))
    rows = [
        (run, date, leader)
        for run, date, targets in carried.loc[condemned, ["run", "date", "target"]].itertuples(
            index=False
        )
        for leader in str(targets).split(";")
        if leader in members
    ]
    targets = {
        event.id: [leader for leader in event.target if leader in members]
        for event in scenario.events
        if event.type is EventType.CONDEMNATION
    }
    replayed = events[
        (events["origin"] == "scenario") & (events["type"] == EventType.CONDEMNATION.value)
    ]
    rows += [
        (run, date, leader)
        for run, date, event_id in replayed[["run", "date", "event_id"]].itertuples(index=False)
        for leader in targets.get(event_id, [])
    ]
    return pd.DataFrame(rows, columns=["run", "date", "leader"])


def run_paths(
    summary: pd.DataFrame, votes: pd.DataFrame, events: pd.DataFrame, scenario: Scenario
) -> pd.DataFrame:
    """Each run's path and end: ``run``, ``path``, ``dominant``, in the summary's order.

    Args:
        summary: the runs' summary (``run``, ``dominant``).
        votes: their vote log (see :func:`run_verdicts`).
        events: their event log (see :func:`run_verdicts`).
        scenario: the scenario they simulated.
    """
    by_run = paths_of(run_verdicts(votes, events, scenario))
    runs = summary["run"].to_numpy()
    return pd.DataFrame(
        {
            "run": runs,
            "path": by_run.reindex(runs).fillna(NO_VERDICT).to_numpy(),
            "dominant": summary["dominant"].to_numpy(),
        }
    )


def read_run_paths(out_dir: Path | str, scenario: Scenario) -> pd.DataFrame:
    """:func:`run_paths` of an ensemble's directory, reading only the rows it needs.

    The vote log of a large ensemble is the bulk of its files: only its carried motions
    are read, and of the event log only the verdicts a branch replayed.
    """
    out_dir = Path(out_dir)
    summary = pq.read_table(out_dir / "summary.parquet", columns=["run", "dominant"]).to_pandas()
    votes = pq.read_table(
        out_dir / "votes.parquet",
        columns=["run", "date", "motion", "target", "carried"],
        filters=[("carried", "=", True)],
    ).to_pandas()
    events = pq.read_table(
        out_dir / "events.parquet",
        columns=["run", "date", "event_id", "type", "origin"],
        filters=[("type", "=", EventType.CONDEMNATION.value), ("origin", "=", "scenario")],
    ).to_pandas()
    return run_paths(summary, votes, events, scenario)


def path_table(paths: pd.DataFrame, scenario: Scenario) -> pd.DataFrame:
    """Each path and end taken by the runs (:func:`run_paths`), the most common first.

    Returns:
        One row per (path, dominant leader at the end): ``runs``, ``share`` of all runs,
        and ``history``, whether the path is the order of the scenario's own verdicts.
    """
    table = paths[["path", "dominant"]].value_counts(sort=False).rename("runs").reset_index()
    table["share"] = table["runs"] / len(paths)
    table["history"] = table["path"] == history_path(scenario)
    return table.sort_values(["runs", "path", "dominant"], ascending=[False, True, True])[
        COLUMNS
    ].reset_index(drop=True)


def history_line(table: pd.DataFrame, scenario: Scenario) -> str:
    """One line: how often the runs took history's order of verdicts, and how it ranks."""
    orders = table.groupby("path")["share"].sum().sort_values(ascending=False, kind="stable")
    history = history_path(scenario)
    share = float(orders.get(history, 0.0))
    taken = f"{len(orders)} order{'s' if len(orders) != 1 else ''} taken"
    if not share:
        return f"history's order of verdicts ({history}): in no run; {taken}"
    if len(orders) == 1:
        standing = "the only order taken"
    else:
        rank = list(orders.index).index(history) + 1
        most = "the most common" if rank == 1 else f"the {_ordinal(rank)} most common"
        standing = f"{most} of {len(orders)} orders"
    ends = table[table["history"]].iloc[0]
    return (
        f"history's order of verdicts ({history}): {share:.0%} of runs, {standing}; its "
        f"commonest end {ends['dominant']} dominant ({ends['share']:.0%} of runs)"
    )


def _ordinal(number: int) -> str:
    suffix = {1: "st", 2: "nd", 3: "rd"}.get(number % 10 if number % 100 not in (11, 12, 13) else 0)
    return f"{number}{suffix or 'th'}"


def took_history_order(out_dir: Path, scenario: Scenario, history: str) -> pd.Series:
    """Per run of an ensemble's directory (indexed by run), 1.0 if it took ``history``'s order.

    A comparison reads every alternative against the base scenario's order of verdicts
    (:func:`history_path` of the base), whatever verdicts an alternative drops or moves.
    """
    paths = read_run_paths(out_dir, scenario)
    return pd.Series((paths["path"] == history).to_numpy(dtype=float), index=paths["run"])
