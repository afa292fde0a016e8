"""Null models: naive rules that a model explaining the struggle must beat.

Each null produces the same :class:`~calibration.pattern_scores.PatternLogs` as a
model run, so the same code scores it. Both start from the April 1922
settlement as the model records it after its first month (the offices and
seats given at the 11th Congress and the plenum that followed, the affinities
and apparatus shares of that month), and neither lets anyone change sides or
form a faction:

- ``persistence``: the April 1922 holders keep their offices and seats; only
  deaths change anything. Nobody is condemned.
- ``apparatus``: the leader with the largest apparatus share wins every contest
  from the first sitting (plenum, conference or congress) in or after the month
  the arbiter dies: every leader hostile to him in April 1922 loses all his
  offices and his seat there, the winner takes the offices the dead arbiter
  left, and every later conference and congress condemns the losers, only their
  share of the apparatus voting against.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from calibration.pattern_scores import PatternLogs, politburo_post
from simulation.calendar import Month
from simulation.mechanisms.contests import Move
from simulation.model import Mode, PartyModel
from simulation.model.recorder import directed_pairs
from simulation.model.rows import motion
from simulation.scenario import Scenario
from simulation.scenario.schema import SITTINGS, Arena, EventType

CONDEMNING_ARENAS = (Arena.CONFERENCE, Arena.CONGRESS)


@dataclass(frozen=True)
class Settlement:
    """The April 1922 settlement: who holds what, the ties and stances, the apparatus."""

    holdings: list[tuple[str, str]]
    affinity: np.ndarray
    grievance: np.ndarray
    """(pairs, 2), as :class:`calibration.pattern_scores.PatternLogs` holds a month of it."""
    apparatus: dict[str, float]
    factions: list[str]
    stance: np.ndarray
    """(leaders, 2), as :class:`calibration.pattern_scores.PatternLogs` holds a month of it."""


def april_settlement(scenario: Scenario) -> Settlement:
    """The state the model records at the end of its first month (replay: history's decisions)."""
    model = PartyModel(scenario, seed=0, mode=Mode.REPLAY)
    model.step()
    recorder = model.recorder
    leaders, posts = np.nonzero(recorder.holds[0])
    return Settlement(
        holdings=[
            (model.leader_ids[i], model.post_ids[p])
            for i, p in zip(leaders.tolist(), posts.tolist(), strict=True)
        ],
        affinity=recorder.affinity[0][np.triu_indices(len(model.leader_ids), 1)],
        grievance=directed_pairs(recorder.grievance[0]),
        apparatus=dict(zip(model.leader_ids, recorder.apparatus[0].tolist(), strict=True)),
        factions=[
            faction.faction_id
            for f, faction in enumerate(model.factions)
            if recorder.faction_active[0, f]
        ],
        stance=recorder.stance[0].copy(),
    )


def _deaths(scenario: Scenario) -> dict[str, Month]:
    return {
        event.who[0]: event.date
        for event in scenario.events
        if event.type is EventType.DEATH and event.who
    }


def _logs(
    scenario: Scenario,
    settlement: Settlement,
    tenures: list[tuple[str, str, str, str | None]],
    votes: list[dict],
) -> PatternLogs:
    months = scenario.end.ordinal - scenario.start.ordinal + 1
    return PatternLogs(
        tenures=tenures,
        votes=votes,
        leader_ids=[leader.id for leader in scenario.leaders],
        start=scenario.start,
        affinity=np.tile(settlement.affinity, (months, 1)),
        grievance=np.tile(settlement.grievance, (months, 1, 1)),
        factions_formed={
            faction.id: str(scenario.start) if faction.id in settlement.factions else None
            for faction in scenario.factions
        },
        stance=np.tile(settlement.stance, (months, 1, 1)),
        politburo=politburo_post(scenario),
    )


def persistence(scenario: Scenario, settlement: Settlement) -> PatternLogs:
    """April 1922 holders keep their offices and seats until they die."""
    deaths = _deaths(scenario)
    tenures = [
        (leader, post, str(scenario.start), str(deaths[leader]) if leader in deaths else None)
        for leader, post in settlement.holdings
    ]
    return _logs(scenario, settlement, tenures, [])


def _affinity(settlement: Settlement, leader_ids: list[str], first: str, second: str) -> float:
    i, j = sorted((leader_ids.index(first), leader_ids.index(second)))
    n = len(leader_ids)
    return float(settlement.affinity[i * n - i * (i + 1) // 2 + (j - i - 1)])


def apparatus_decides(scenario: Scenario, settlement: Settlement) -> PatternLogs:
    """The largest apparatus wins every contest from the first sitting after the arbiter dies."""
    deaths = _deaths(scenario)
    leader_ids = [leader.id for leader in scenario.leaders]
    arbiter_death = deaths.get(scenario.arbiter) if scenario.arbiter else None
    sittings = sorted(
        (event.date, SITTINGS[event.type], event.delegates or 1)
        for event in scenario.events
        if event.type in SITTINGS and scenario.start <= event.date <= scenario.end
    )
    after = [s for s in sittings if arbiter_death is not None and s[0] >= arbiter_death]
    if not after:
        return persistence(scenario, settlement)
    decisive = after[0][0]
    alive = [leader for leader in leader_ids if leader not in deaths or deaths[leader] > decisive]
    winner = max(alive, key=lambda leader: settlement.apparatus[leader])
    losers = {
        leader
        for leader in alive
        if leader != winner and _affinity(settlement, leader_ids, winner, leader) < 0
    }
    tenures = []
    for leader, post in settlement.holdings:
        end = deaths.get(leader)
        if leader in losers:
            end = decisive
        tenures.append((leader, post, str(scenario.start), str(end) if end else None))
    arbiters_offices = [post for leader, post in settlement.holdings if leader == scenario.arbiter]
    held_by_winner = {post for leader, post in settlement.holdings if leader == winner}
    tenures += [
        (winner, post, str(decisive), None)
        for post in arbiters_offices
        if post not in held_by_winner and scenario.posts[post].unique
    ]
    total = max(sum(settlement.apparatus.values()), 1e-12)
    opposition = sum(settlement.apparatus[leader] for leader in losers) / total
    condemned = ";".join(sorted(losers))
    votes = [
        {
            "date": str(date),
            "arena": arena.value,
            "motion": motion(Move.CONDEMNATION.value, condemned),
            "target": condemned,
            "votes_for": delegates - round(delegates * opposition),
            "votes_against": round(delegates * opposition),
            "carried": True,
        }
        for date, arena, delegates in after
        if arena in CONDEMNING_ARENAS and losers
    ]
    return _logs(scenario, settlement, tenures, votes)


NULL_MODELS = {"persistence": persistence, "apparatus": apparatus_decides}
"""The null models by name, as the report lists them."""
