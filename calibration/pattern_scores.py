"""The score of one run against the historical patterns, and of many runs together.

A run is scored from its :class:`PatternLogs`: the spells in office, the votes,
the monthly affinities, grievances and stances and the months in which each faction
was active. Model runs and null models produce the same logs, so both are judged by
this code.
Per pattern a run gets a hit or a miss, the month error where the pattern is
timed, and the value measured (Jaccard overlap, seats, the opposition's share,
the affinity, the grievance, the stance).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from calibration.patterns import (
    Alignment,
    Axis,
    FactionForms,
    Grievance,
    Holds,
    Pattern,
    Politburo,
    PolitburoSize,
    Position,
    Removal,
    Sign,
    Spared,
    Succeeds,
    Vote,
)
from simulation.calendar import Month
from simulation.mechanisms.contests import Move
from simulation.model.rows import is_motion
from simulation.scenario import Scenario

AXES = (Axis.ECONOMIC, Axis.REGIME)
"""The stance's axes in the model's order (``stance[..., 0]`` is economic)."""


@dataclass(frozen=True)
class PatternLogs:
    """What scoring needs of one run.

    Attributes:
        tenures: ``(leader, post, start, end)`` spells; ``end`` is the first month
            no longer held, None if held at the end.
        votes: dicts with date, arena, motion, target (``;``-joined), votes_for,
            votes_against, carried.
        leader_ids: the leaders in scenario order (the affinity's pair order).
        start: the scenario's first month (row 0 of ``affinity``).
        affinity: (months, pairs) affinity at the end of each month, pairs ``i < j`` in row order.
        grievance: (months, pairs, 2) grievance at the end of each month, same pairs: of
            ``i`` against ``j``, then of ``j`` against ``i``.
        factions_formed: each faction's first active month, None if never active.
        stance: (months, leaders, 2) stance at the end of each month, leaders in
            ``leader_ids`` order, axes as :data:`AXES`; NaN where the outputs keep none.
        politburo: the post whose holders are the Politburo's full members (the scenario's
            post that ``votes_in`` the Politburo: :func:`politburo_post`), None if none.
    """

    tenures: Sequence[tuple[str, str, str, str | None]]
    votes: Sequence[dict]
    leader_ids: Sequence[str]
    start: Month
    affinity: np.ndarray
    grievance: np.ndarray
    factions_formed: dict[str, str | None]
    stance: np.ndarray
    politburo: str | None

    def held_months(self, leader: str, post: str) -> list[tuple[int, int]]:
        """The leader's spells in the post as ``(first, last)`` month ordinals held."""
        last_month = self.start.ordinal + self.affinity.shape[0] - 1
        return [
            (_ordinal(start), last_month if end is None else _ordinal(end) - 1)
            for who, what, start, end in self.tenures
            if who == leader and what == post
        ]

    def holders(self, post: str, month: Month) -> set[str]:
        """Who holds the post at the end of ``month``."""
        when = month.ordinal
        return {
            who
            for who, what, start, end in self.tenures
            if what == post and _ordinal(start) <= when and (end is None or _ordinal(end) > when)
        }

    def affinity_of(self, first: str, second: str, month: Month) -> float:
        """The affinity of two leaders at the end of ``month``."""
        row, pair, _ = self._pair(first, second, month)
        return float(self.affinity[row, pair])

    def grievance_of(self, holder: str, toward: str, month: Month) -> float:
        """The grievance of ``holder`` against ``toward`` at the end of ``month``."""
        row, pair, reverse = self._pair(holder, toward, month)
        return float(self.grievance[row, pair, int(reverse)])

    def stance_of(self, leader: str, axis: Axis, month: Month) -> float:
        """The leader's stance on ``axis`` at the end of ``month``."""
        row = min(max(month.ordinal - self.start.ordinal, 0), self.stance.shape[0] - 1)
        return float(self.stance[row, self.leader_ids.index(leader), AXES.index(axis)])

    def _pair(self, first: str, second: str, month: Month) -> tuple[int, int, bool]:
        """The month's row, the pair's column (``i < j``), and whether ``first`` is ``j``."""
        a, b = self.leader_ids.index(first), self.leader_ids.index(second)
        i, j = sorted((a, b))
        n = len(self.leader_ids)
        pair = i * n - i * (i + 1) // 2 + (j - i - 1)
        row = min(max(month.ordinal - self.start.ordinal, 0), self.affinity.shape[0] - 1)
        return row, pair, a > b


@dataclass(frozen=True)
class PatternScore:
    """One run against one pattern: hit or miss, the month error, the value measured."""

    hit: bool
    error: float = np.nan
    value: float = np.nan


def _ordinal(text: str | Month) -> int:
    return text.ordinal if isinstance(text, Month) else Month.parse(text).ordinal


def _holds(pattern: Holds, logs: PatternLogs) -> PatternScore:
    when = pattern.date.ordinal
    distances = [
        0 if first <= when <= last else min(abs(first - when), abs(last - when))
        for first, last in logs.held_months(pattern.leader, pattern.post)
    ]
    if not distances:
        return PatternScore(False)
    error = min(distances)
    return PatternScore(error <= pattern.tolerance, float(error))


def _succeeds(pattern: Succeeds, logs: PatternLogs) -> PatternScore:
    after = pattern.after.ordinal
    posts = pattern.post if isinstance(pattern.post, list) else [pattern.post]
    starts = sorted(
        (_ordinal(start), who)
        for who, what, start, _ in logs.tenures
        if what in posts and _ordinal(start) >= after and _ordinal(start) > logs.start.ordinal
    )
    if not starts:
        return PatternScore(False)
    mine = [when for when, who in starts if who == pattern.leader]
    if not mine:
        return PatternScore(False)
    error = abs(mine[0] - pattern.date.ordinal)
    first_taker = starts[0][1]
    return PatternScore(first_taker == pattern.leader and error <= pattern.tolerance, float(error))


def politburo_post(scenario: Scenario) -> str | None:
    """The scenario's post whose holders vote in the Politburo (its full members), if any.

    Read from the posts, not named: a scenario whose ids are all renamed scores the same.
    """
    return next((name for name, post in scenario.posts.items() if post.votes_in), None)


def _removal(pattern: Removal, logs: PatternLogs) -> PatternScore:
    ends = [
        _ordinal(end)
        for who, what, _, end in logs.tenures
        if who == pattern.leader and what == pattern.post and end is not None
    ]
    if not ends:
        return PatternScore(False)
    error = abs(min(ends) - pattern.date.ordinal)
    return PatternScore(error <= pattern.tolerance, float(error))


def _politburo(pattern: Politburo, logs: PatternLogs) -> PatternScore:
    simulated = logs.holders(logs.politburo, pattern.date) if logs.politburo else set()
    history = set(pattern.members)
    overlap = len(simulated & history) / len(simulated | history)
    return PatternScore(overlap >= pattern.min_overlap, value=overlap)


def _politburo_size(pattern: PolitburoSize, logs: PatternLogs) -> PatternScore:
    seats = len(logs.holders(logs.politburo, pattern.date)) if logs.politburo else 0
    return PatternScore(abs(seats - pattern.size) <= pattern.tolerance, value=float(seats))


def _vote(pattern: Vote, logs: PatternLogs) -> PatternScore:
    best: tuple[float, int] | None = None
    for vote in logs.votes:
        if vote["arena"] != pattern.arena.value or not vote["carried"]:
            continue
        if pattern.target not in str(vote["target"]).split(";"):
            continue
        distance = abs(_ordinal(vote["date"]) - pattern.date.ordinal)
        if distance > pattern.tolerance:
            continue
        cast = vote["votes_for"] + vote["votes_against"]
        opposition = vote["votes_against"] / cast if cast else 0.0
        if best is None or opposition < best[0]:
            best = (opposition, distance)
    if best is None:
        return PatternScore(False)
    return PatternScore(best[0] <= pattern.max_opposition, float(best[1]), best[0])


def _spared(pattern: Spared, logs: PatternLogs) -> PatternScore:
    for vote in logs.votes:
        if (
            vote["carried"]
            and is_motion(str(vote["motion"]), Move.CONDEMNATION.value)
            and pattern.leader in str(vote["target"]).split(";")
            and _ordinal(vote["date"]) <= pattern.date.ordinal
        ):
            return PatternScore(False)
    return PatternScore(True)


def _alignment(pattern: Alignment, logs: PatternLogs) -> PatternScore:
    first, second = pattern.leaders
    affinity = logs.affinity_of(first, second, pattern.date)
    hit = affinity > 0 if pattern.sign is Sign.CLOSE else affinity < 0
    return PatternScore(hit, value=affinity)


def _grievance(pattern: Grievance, logs: PatternLogs) -> PatternScore:
    holder, toward = pattern.leaders
    grievance = logs.grievance_of(holder, toward, pattern.date)
    return PatternScore(grievance >= pattern.at_least, value=grievance)


def _position(pattern: Position, logs: PatternLogs) -> PatternScore:
    stance = logs.stance_of(pattern.leader, pattern.axis, pattern.date)
    hit = stance < pattern.below if pattern.below is not None else stance > pattern.above
    return PatternScore(bool(hit), value=stance)  # NaN (no stance kept) is a miss


def _faction(pattern: FactionForms, logs: PatternLogs) -> PatternScore:
    formed = logs.factions_formed.get(pattern.faction)
    if formed is None:
        return PatternScore(False)
    error = abs(_ordinal(formed) - pattern.date.ordinal)
    return PatternScore(error <= pattern.tolerance, float(error))


_SCORERS = {
    Holds: _holds,
    Succeeds: _succeeds,
    Removal: _removal,
    Politburo: _politburo,
    PolitburoSize: _politburo_size,
    Vote: _vote,
    Spared: _spared,
    Alignment: _alignment,
    Grievance: _grievance,
    Position: _position,
    FactionForms: _faction,
}


def score_run(patterns: Sequence[Pattern], logs: PatternLogs) -> dict[str, PatternScore]:
    """Score one run against every pattern, keyed by pattern id."""
    return {pattern.id: _SCORERS[type(pattern)](pattern, logs) for pattern in patterns}


def score_frame(patterns: Sequence[Pattern], run_scores: Sequence[dict[str, PatternScore]]):
    """Long table of scores: one row per run and pattern (hit, error, value)."""
    rows = [
        (run, pattern.id, score.hit, score.error, score.value)
        for run, scores in enumerate(run_scores)
        for pattern in patterns
        for score in (scores[pattern.id],)
    ]
    return pd.DataFrame(rows, columns=["run", "pattern", "hit", "error", "value"])


def pattern_table(patterns: Sequence[Pattern], scores: pd.DataFrame) -> pd.DataFrame:
    """Per pattern: its level, role and date, the share of runs hitting it, the error quantiles.

    Args:
        patterns: the patterns, in the order of the table.
        scores: the long table of :func:`score_frame`.
    """
    grouped = scores.groupby("pattern", sort=False)
    hit = grouped["hit"].mean()
    error = grouped["error"].quantile([0.1, 0.5, 0.9]).unstack()
    value = grouped["value"].median()

    def error_at(pattern_id: str, level: float) -> float:
        return float(error.loc[pattern_id, level]) if pattern_id in error.index else np.nan

    rows = []
    for pattern in patterns:
        rows.append(
            {
                "pattern": pattern.id,
                "level": pattern.level.value,
                "role": pattern.role.value,
                "date": str(pattern.date),
                "hit": float(hit.get(pattern.id, np.nan)),
                "error_q10": error_at(pattern.id, 0.1),
                "error_median": error_at(pattern.id, 0.5),
                "error_q90": error_at(pattern.id, 0.9),
                "value_median": float(value.get(pattern.id, np.nan)),
            }
        )
    return pd.DataFrame(rows)


def joint_scores(table: pd.DataFrame) -> dict[str, float]:
    """The mean hit share over all patterns and per level (the joint score)."""
    joint = {"all": float(table["hit"].mean())}
    for level, rows in table.groupby("level", sort=False):
        joint[str(level)] = float(rows["hit"].mean())
    return joint
