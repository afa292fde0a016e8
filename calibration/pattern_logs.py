"""Gather a run's logs for scoring against the patterns, from a finished model or from files."""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from calibration.pattern_scores import PatternLogs, politburo_post
from simulation.model.recorder import GRIEVANCE_COLUMNS, directed_pairs, tenures
from simulation.model.rows import VOTE_COLUMNS
from simulation.scenario import Scenario

TENURE_COLUMNS = ["leader", "post", "start", "end"]
STANCE_COLUMNS = ("stance_economic", "stance_regime")
"""A run's ``trajectories`` columns of the stance, in the order of ``PatternLogs.stance``'s axes."""

if TYPE_CHECKING:
    from simulation.model import PartyModel


def pattern_logs(model: PartyModel) -> PatternLogs:
    """The logs of a model that has run to its end."""
    recorder = model.recorder
    upper = np.triu_indices(len(model.leader_ids), 1)  # each pair once, as alliances.csv has it
    formed = {}
    for f, faction in enumerate(model.factions):
        active = recorder.faction_active[:, f].nonzero()[0]
        formed[faction.faction_id] = str(recorder.dates[active[0]]) if active.size else None
    return PatternLogs(
        tenures=tenures(model),
        votes=[dict(zip(VOTE_COLUMNS, vote, strict=True)) for vote in model.vote_log],
        leader_ids=list(model.leader_ids),
        start=model.spec.start,
        affinity=recorder.affinity[:, upper[0], upper[1]],
        grievance=directed_pairs(recorder.grievance),
        factions_formed=formed,
        stance=recorder.stance.copy(),  # a view of the whole recording otherwise
        politburo=politburo_post(model.spec),
    )


def _stances(trajectories: pd.DataFrame, dates: list[str], leader_ids: list[str]) -> np.ndarray:
    """(months, leaders, 2) stances of one run's trajectories; NaN where a row is missing."""
    stance = np.full((len(dates), len(leader_ids), len(STANCE_COLUMNS)), np.nan)
    rows = trajectories["date"].astype(str).map({d: k for k, d in enumerate(dates)})
    columns = trajectories["leader"].map({leader: i for i, leader in enumerate(leader_ids)})
    known = rows.notna() & columns.notna()
    stance[rows[known].astype(int), columns[known].astype(int)] = trajectories.loc[
        known, list(STANCE_COLUMNS)
    ].to_numpy(dtype=float)
    return stance


def logs_from_frames(scenario: Scenario, frames: dict[str, pd.DataFrame]) -> dict[int, PatternLogs]:
    """The logs of every run in output tables (CSV of a run or Parquet of an ensemble), by run.

    ``frames`` holds ``tenures``, ``votes`` and, where the outputs have them,
    ``alliances``, ``factions`` and ``trajectories``; without them every affinity and
    grievance is NaN and no faction ever formed, and without trajectories that keep the
    stance (:data:`STANCE_COLUMNS`; an ensemble's keep none) every stance is NaN, so the
    caller must leave those patterns out.
    """
    leader_ids = [leader.id for leader in scenario.leaders]
    months = scenario.end.ordinal - scenario.start.ordinal + 1
    dates = [str(scenario.start.plus(k)) for k in range(months)]
    pairs = len(leader_ids) * (len(leader_ids) - 1) // 2
    groups = {
        name: dict(tuple(frame.groupby("run"))) for name, frame in frames.items() if len(frame)
    }
    runs = sorted({run for grouped in groups.values() for run in grouped})
    empty = pd.DataFrame(columns=["date", "faction", "active"])
    result = {}
    for run in runs:
        spells = groups.get("tenures", {}).get(run, pd.DataFrame(columns=TENURE_COLUMNS))
        votes = groups.get("votes", {}).get(run, pd.DataFrame(columns=VOTE_COLUMNS))
        affinity = np.full((months, pairs), np.nan)
        grievance = np.full((months, pairs, 2), np.nan)
        alliances = groups.get("alliances", {}).get(run)
        if alliances is not None:
            affinity = alliances["affinity"].to_numpy(dtype=float).reshape(months, pairs)
            if set(GRIEVANCE_COLUMNS) <= set(alliances.columns):  # none in older outputs
                grievance = alliances[list(GRIEVANCE_COLUMNS)].to_numpy(dtype=float)
                grievance = grievance.reshape(months, pairs, 2)
        stance = np.full((months, len(leader_ids), len(STANCE_COLUMNS)), np.nan)
        trajectories = groups.get("trajectories", {}).get(run)
        if trajectories is not None and set(STANCE_COLUMNS) <= set(trajectories.columns):
            stance = _stances(trajectories, dates, leader_ids)
        factions = groups.get("factions", {}).get(run, empty)
        active = factions[factions["active"].astype(bool)]
        formed = {faction.id: None for faction in scenario.factions}
        formed.update(active.groupby("faction")["date"].min().to_dict())
        result[int(run)] = PatternLogs(
            tenures=[
                (row.leader, row.post, row.start, None if pd.isna(row.end) else row.end)
                for row in spells.itertuples()
            ],
            votes=votes.to_dict("records"),
            leader_ids=leader_ids,
            start=scenario.start,
            affinity=affinity,
            grievance=grievance,
            factions_formed=formed,
            stance=stance,
            politburo=politburo_post(scenario),
        )
    return result
