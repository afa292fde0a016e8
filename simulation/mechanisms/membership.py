"""Membership: attrition, intakes and the allocation of congress delegates.

New members matter twice: organisations that grow weigh more in the apparatus
and send more delegates, and recruits, dependent on the secretaries who
admitted them, vote with the apparatus more often than old members do (the
chapter's account of the Lenin Enrolment, §The Party and the Opposition after
Lenin, n. 35).
"""

from __future__ import annotations

import numpy as np
from numba import njit


@njit(cache=True)
def attrition(members: np.ndarray, recruits: np.ndarray, rate: float) -> None:
    """Members lost to purges, lapses and deaths, recruits and old members alike, in place."""
    keep = 1.0 - rate
    members *= keep
    recruits *= keep


@njit(cache=True)
def allocate_intake(total: float, weights: np.ndarray, members: np.ndarray) -> np.ndarray:
    """Split an intake over organisations by size times recruitment weight.

    Industrial organisations (weight > 1) take more than their share, as the
    Lenin Enrolment drew workers from the bench.
    """
    pull = weights * members
    denominator = pull.sum()
    return total * pull / denominator if denominator > 0 else np.zeros_like(members)


@njit(cache=True)
def delegate_counts(delegates: int, members: np.ndarray) -> np.ndarray:
    """Delegates per organisation in proportion to membership (largest remainder).

    Deterministic, so a congress's composition does not add noise of its own.
    """
    total = members.sum()
    if total <= 0:
        return np.zeros(members.size, dtype=np.int64)
    quota = delegates * members / total
    counts = np.floor(quota).astype(np.int64)
    short = delegates - counts.sum()
    if short > 0:
        for o in stable_order_head(-(quota - counts), short):
            counts[o] += 1
    return counts


@njit(cache=True)
def stable_order_head(keys: np.ndarray, count: int) -> np.ndarray:
    """The first ``count`` indices of ``np.argsort(keys, kind="mergesort")``, NaN last.

    Picked one at a time, the first of equal keys first, as a stable sort orders
    them: the same indices for the handful of organisations a congress divides,
    without compiling numba's merge sort: delegate_counts compiles in 2.8 s of CPU, not 6.2 s.
    """
    taken = np.zeros(keys.size, dtype=np.bool_)
    head = np.empty(min(count, keys.size), dtype=np.int64)
    for c in range(head.size):
        first = -1
        for i in range(keys.size):
            if not taken[i] and (first < 0 or _sorts_before(keys[i], keys[first])):
                first = i
        taken[first] = True
        head[c] = first
    return head


@njit(cache=True)
def _sorts_before(a: float, b: float) -> bool:
    """Whether a stable sort puts key ``a`` before ``b``: numba's and NumPy's order, NaN last."""
    return a < b or (np.isnan(b) and not np.isnan(a))


@njit(cache=True)
def delegate_discipline(
    members: np.ndarray, recruits: np.ndarray, old_discipline: float, recruit_discipline: float
) -> np.ndarray:
    """Probability that an organisation's delegate votes with its apparatus."""
    discipline = np.full(members.size, old_discipline)
    for o in range(members.size):
        if members[o] > 0:
            discipline[o] += (recruit_discipline - old_discipline) * (recruits[o] / members[o])
    return discipline
