"""The score of runs against the historical targets.

A run is scored from three logs that every mode and every output format has:
its tenures (leader, post, start, end), its votes and its events. Per target a
run gets a hit or a miss, the timing error in months where the target has a
date, and the vote-share error where it has a historical share.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from calibration.targets import (
    Condemned,
    HoldsThroughout,
    LeavesPost,
    Order,
    Purged,
    Succeeds,
    Target,
)
from simulation.calendar import Month

Tenure = tuple[str, str, str, str | None]


@dataclass(frozen=True)
class RunLogs:
    """What scoring needs of one run.

    Attributes:
        tenures: (leader, post, start, end) spells; end None if held at the end.
        votes: dicts with date, arena, target, votes_for, votes_against, carried.
        purges: (date, organisation) of every purge.
        start: the scenario's first month.
        end: the scenario's last month.
    """

    tenures: Sequence[Tenure]
    votes: Sequence[dict]
    purges: Sequence[tuple[str, str]]
    start: Month
    end: Month


@dataclass(frozen=True)
class TargetScore:
    """A run against one target: met or not, and how far off."""

    hit: bool
    timing_error: float = np.nan
    share_error: float = np.nan


def _ordinal(text: str) -> int:
    return Month.parse(text).ordinal


def _spells(logs: RunLogs, leader: str, post: str) -> list[tuple[int, int | None]]:
    return [
        (_ordinal(start), None if end in (None, "") or pd.isna(end) else _ordinal(end))
        for who, what, start, end in logs.tenures
        if who == leader and what == post
    ]


def _first_loss(logs: RunLogs, leader: str, post: str) -> int | None:
    ends = [end for _, end in _spells(logs, leader, post) if end is not None]
    return min(ends) if ends else None


def _holds_throughout(target: HoldsThroughout, logs: RunLogs) -> TargetScore:
    first, last = target.from_.ordinal, logs.end.ordinal
    for start, end in _spells(logs, target.leader, target.post):
        if start <= first and (end is None or end > last):
            return TargetScore(True)
    return TargetScore(False)


def _succeeds(target: Succeeds, logs: RunLogs) -> TargetScore:
    after = target.after.ordinal
    starts = [
        (_ordinal(start), who)
        for who, what, start, _ in logs.tenures
        if what == target.post and _ordinal(start) >= after
    ]
    if not starts:
        return TargetScore(False)
    when, who = min(starts)
    error = abs(when - target.date.ordinal)
    rivals_got_it = any(name in target.instead_of for _, name in starts)
    hit = who == target.leader and error <= target.tolerance and not rivals_got_it
    return TargetScore(hit, float(error) if who == target.leader else np.nan)


def _leaves_post(target: LeavesPost, logs: RunLogs) -> TargetScore:
    lost = _first_loss(logs, target.leader, target.post)
    if lost is None:
        return TargetScore(False)
    delta = lost - target.date.ordinal
    hit = delta <= 0 if target.by else abs(delta) <= target.tolerance
    return TargetScore(hit, float(max(delta, 0) if target.by else abs(delta)))


def _condemned(target: Condemned, logs: RunLogs) -> TargetScore:
    month = str(target.date)
    best = None
    for vote in logs.votes:
        if vote["date"] != month or vote["arena"] != target.arena.value or not vote["carried"]:
            continue
        if target.leader not in str(vote["target"]).split(";"):
            continue
        cast = vote["votes_for"] + vote["votes_against"]
        share = vote["votes_for"] / cast if cast else 0.0
        best = share if best is None else max(best, share)
    if best is None:
        return TargetScore(False)
    error = abs(best - target.share) if target.share is not None else np.nan
    return TargetScore(best >= target.min_share, 0.0, error)


def _purged(target: Purged, logs: RunLogs) -> TargetScore:
    months = [_ordinal(date) for date, org in logs.purges if org == target.organisation]
    if not months:
        return TargetScore(False)
    error = min(abs(month - target.date.ordinal) for month in months)
    return TargetScore(error <= target.tolerance, float(error))


def _first_condemnation(logs: RunLogs, leader: str) -> int | None:
    months = [
        _ordinal(vote["date"])
        for vote in logs.votes
        if vote["carried"]
        and vote["arena"] in ("conference", "congress")
        and leader in str(vote["target"]).split(";")
    ]
    return min(months) if months else None


def _order(target: Order, logs: RunLogs) -> TargetScore:
    first = _first_condemnation(logs, target.first)
    if first is None:
        return TargetScore(False)
    later = [_first_condemnation(logs, leader) for leader in target.then]
    return TargetScore(all(when is None or when > first for when in later))


_SCORERS = {
    HoldsThroughout: _holds_throughout,
    Succeeds: _succeeds,
    LeavesPost: _leaves_post,
    Condemned: _condemned,
    Purged: _purged,
    Order: _order,
}


def score_run(targets: Iterable[Target], logs: RunLogs) -> dict[str, TargetScore]:
    """Score one run against every target.

    Args:
        targets: the targets.
        logs: the run's logs.
    """
    return {target.id: _SCORERS[type(target)](target, logs) for target in targets}


def ensemble_table(run_scores: Sequence[dict[str, TargetScore]]) -> pd.DataFrame:
    """Per target: the fraction of runs meeting it and the median timing and share errors."""
    rows = []
    for target_id in run_scores[0] if run_scores else []:
        scores = [run[target_id] for run in run_scores]
        timing = np.array([s.timing_error for s in scores], dtype=float)
        share = np.array([s.share_error for s in scores], dtype=float)
        rows.append(
            {
                "target": target_id,
                "met": float(np.mean([s.hit for s in scores])),
                "median_timing_error": float(np.nanmedian(timing))
                if np.isfinite(timing).any()
                else np.nan,
                "median_share_error": float(np.nanmedian(share))
                if np.isfinite(share).any()
                else np.nan,
            }
        )
    all_met = float(np.mean([all(s.hit for s in run.values()) for run in run_scores]))
    rows.append(
        {
            "target": "ALL",
            "met": all_met,
            "median_timing_error": np.nan,
            "median_share_error": np.nan,
        }
    )
    return pd.DataFrame(rows)
