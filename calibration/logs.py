"""Gather a run's logs for scoring, from a finished model or from output files."""

from __future__ import annotations

import pandas as pd

from calibration.score import RunLogs
from simulation.model.rows import EVENT_COLUMNS, VOTE_COLUMNS
from simulation.outcomes import tenures
from simulation.scenario import Scenario

_VOTE_KEYS = ("date", "arena", "target", "votes_for", "votes_against", "carried")
_DATE, _TYPE, _ORG = (EVENT_COLUMNS.index(name) for name in ("date", "type", "organisation"))


def logs_from_model(model) -> RunLogs:
    """The logs of a model that has run to its end."""
    votes = [dict(zip(VOTE_COLUMNS, vote, strict=True)) for vote in model.vote_log]
    purges = [(row[_DATE], row[_ORG]) for row in model.event_log if row[_TYPE] == "purge"]
    return RunLogs(tenures(model), votes, purges, model.spec.start, model.spec.end)


def logs_from_frames(
    scenario: Scenario, tenure_frame: pd.DataFrame, votes: pd.DataFrame, events: pd.DataFrame
) -> dict[int, RunLogs]:
    """The logs of every run in output tables (CSV of a run or Parquet of an ensemble), by run."""
    runs = sorted(set(tenure_frame["run"]) | set(votes["run"]) | set(events["run"]))
    tenure_groups = dict(tuple(tenure_frame.groupby("run")))
    vote_groups = dict(tuple(votes.groupby("run")))
    purge_rows = events[events["type"] == "purge"]
    purge_groups = dict(tuple(purge_rows.groupby("run")))
    empty = pd.DataFrame()
    result = {}
    for run in runs:
        spells = tenure_groups.get(run, empty)
        run_votes = vote_groups.get(run, empty)
        run_purges = purge_groups.get(run, empty)
        result[int(run)] = RunLogs(
            [
                (row.leader, row.post, row.start, None if pd.isna(row.end) else row.end)
                for row in spells.itertuples()
            ],
            [{key: getattr(row, key) for key in _VOTE_KEYS} for row in run_votes.itertuples()],
            [(row.date, row.organisation) for row in run_purges.itertuples()],
            scenario.start,
            scenario.end,
        )
    return result
