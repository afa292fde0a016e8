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
def influence_support(
    health: np.ndarray,
    post_prestige: np.ndarray,
    apparatus: np.ndarray,
    record: np.ndarray,
    client_weight: float,
) -> np.ndarray:
    """The standing a leader's position can sustain, 0..1.

    ``health * min(1, prestige of posts + client_weight * apparatus + record)``.
    """
    return health * np.clip(post_prestige + client_weight * apparatus + record, 0.0, 1.0)


@njit(cache=True)
def drift_influence(influence: np.ndarray, support: np.ndarray, rate: float) -> np.ndarray:
    """Move standing a step toward its support: ``I <- I + rate (S - I)``."""
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
    dominant: int,
    posts: np.ndarray,
    sizes: np.ndarray,
    resentment: float,
) -> None:
    """Pin a failure on the living holders of the posts answerable for it, in place.

    Each holder of ``posts[b]`` takes a shock of ``-sizes[b]`` (see
    :func:`shock`); all but the dominant leader, who pins the blame, resent him
    by ``resentment`` (the grievance of an attack). In the baseline: the
    scissors crisis of 1923 pinned on VSNKh, the failed German October on the
    Comintern's chairman, the grain failure of 1925 on the Sovnarkom.
    """
    n = alive.size
    for b in range(posts.size):
        blamed = np.zeros(n, dtype=np.bool_)
        for i in range(n):
            blamed[i] = holds[i, posts[b]] and alive[i]
        shock(influence, record, np.flatnonzero(blamed), alive, -sizes[b])
        blamed[dominant] = False
        for i in np.flatnonzero(blamed):
            grievance[i, dominant] = min(grievance[i, dominant] + resentment, 1.0)
