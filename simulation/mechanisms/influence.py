"""Influence: standing drifts toward what posts, clients and record support.

Authority is a stock separate from organisation: a leader's personal record
(prestige from the revolution and the civil war, from polemics won and lost)
decays unless converted into posts and clients, and all support vanishes in
absence: an invalid or a leader away on a cure loses standing month by month.

References:
    Kremlin-style games and KTAB separate clout from salience; here the
    separation is between record (a stock) and posts and clients (flows).
"""

from __future__ import annotations

import numpy as np
from numba import njit


@njit(cache=True)
def drift_toward_support(
    influence: np.ndarray,
    health: np.ndarray,
    post_prestige: np.ndarray,
    apparatus: np.ndarray,
    record: np.ndarray,
    alive: np.ndarray,
    client_weight: float,
    rate: float,
) -> None:
    """One month's drift of standing toward what the position supports, in place; the dead 0.

    The support is ``health * min(1, prestige of posts + client_weight * apparatus
    + record)``, 0..1, and standing moves a step toward it: ``I <- I + rate (S -
    I)``. One pass, with no temporary arrays (a quarter of a microsecond a month,
    as much as the arithmetic).
    """
    for i in range(influence.size):
        if alive[i]:
            support = _support(health[i], post_prestige[i], apparatus[i], record[i], client_weight)
            influence[i] = _drifted(influence[i], support, rate)
        else:
            influence[i] = 0.0


@njit(cache=True)
def _support(
    health: float, post_prestige: float, apparatus: float, record: float, client_weight: float
) -> float:
    sustained = post_prestige + client_weight * apparatus + record
    return health * min(max(sustained, 0.0), 1.0)


@njit(cache=True)
def _drifted(influence: float, support: float, rate: float) -> float:
    return influence + rate * (support - influence)


def initial_record(
    influence: np.ndarray, post_prestige: np.ndarray, apparatus: np.ndarray, client_weight: float
) -> np.ndarray:
    """The part of the starting standing not explained by posts and clients.

    Chosen so that a healthy leader starts at rest: his influence is what his
    position supports, and changes only as his position or record does.
    """
    return np.clip(influence - post_prestige - client_weight * apparatus, 0.0, 1.0)


@njit(cache=True)
def shock(
    influence: np.ndarray, record: np.ndarray, who: np.ndarray, alive: np.ndarray, delta: float
) -> None:
    """Move the living among ``who`` by ``delta`` in standing and in record, in place, 0..1.

    A shock (a polemic lost, a condemnation, blame for a failure) is not only
    this month's standing: it enters the record that standing drifts back to.
    """
    for i in who:
        if alive[i]:
            influence[i] = min(max(influence[i] + delta, 0.0), 1.0)
            record[i] = min(max(record[i] + delta, 0.0), 1.0)


@njit(cache=True)
def blame(
    influence: np.ndarray,
    record: np.ndarray,
    grievance: np.ndarray,
    holds: np.ndarray,
    alive: np.ndarray,
    power: np.ndarray,
    affinity: np.ndarray,
    blamer: int,
    posts: np.ndarray,
    sizes: np.ndarray,
    resentment: float,
    chosen: bool,
) -> None:
    """Pin a failure on holders of the posts answerable for it, in place.

    With ``chosen`` (the months the leaders decide), the blamer, the most
    powerful leader, picks one scapegoat among the living holders of the
    answerable posts: the one whose fall would serve him most,
    ``power_i (1 - A_bi) / 2`` (himself only if he alone answers). The
    scapegoat takes a shock of ``-size`` (:func:`shock`) for each answerable
    post he holds: in 1925 the failed grain purchases could fall on the
    head of government or on the chairman of the Labour and Defence Council,
    and whom the leadership chose said where it stood. Without ``chosen``
    (replay) every holder of ``posts[b]`` takes ``-sizes[b]``, as the scenario
    says. A scapegoat chosen over another colleague who also answered resents
    the blamer by ``resentment``; no one else does. A failure only one man
    answers for is his office's, not a choice made against him (the 1926 trade
    shortfall fell on the head of government alone and did not set him against
    the General Secretary), and nor is one the scenario shares out among every
    answerable office: replayed history chose no scapegoat, and a run branching
    from it must not find the head of government set against the General
    Secretary by a grain failure he shared with his deputy.
    """
    n = alive.size
    blamed = np.zeros(n, dtype=np.bool_)
    size = np.zeros(n)
    for b in range(posts.size):
        for i in range(n):
            if holds[i, posts[b]] and alive[i]:
                blamed[i] = True
                size[i] += sizes[b]
    choice = blamed.sum() - blamed[blamer] > 1  # another colleague could have been blamed
    if chosen:
        scapegoat = -1
        best = -1.0
        for i in range(n):
            if blamed[i] and i != blamer:
                worth = power[i] * (1.0 - affinity[blamer, i]) / 2.0
                if worth > best:
                    scapegoat, best = i, worth
        if scapegoat < 0 and blamed[blamer]:
            scapegoat = blamer
        blamed[:] = False
        if scapegoat >= 0:
            blamed[scapegoat] = True
    for i in np.flatnonzero(blamed):
        shock(influence, record, np.full(1, i), alive, -size[i])
        if i != blamer and choice and chosen:
            grievance[i, blamer] = min(grievance[i, blamer] + resentment, 1.0)
