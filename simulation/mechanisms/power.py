"""Power share: the outcome measure, derived from standing, apparatus and posts."""

from __future__ import annotations

import numpy as np
from numba import njit


@njit(cache=True)
def fill_power_shares(
    shares: np.ndarray,
    influence: np.ndarray,
    apparatus: np.ndarray,
    post_prestige: np.ndarray,
    alive: np.ndarray,
    weights: tuple[float, float, float],
) -> None:
    """Each living leader's share of power, written into ``shares``; the shares sum to 1.

    ``raw = w_i * influence + w_a * apparatus + w_p * prestige of posts``,
    normalised over the living; the dead have none. In place, with no temporary:
    the month computes it every month. The raw values are summed in leader order.
    """
    w_influence, w_apparatus, w_posts = weights
    total = 0.0
    for i in range(shares.size):
        raw = w_influence * influence[i] + w_apparatus * apparatus[i] + w_posts * post_prestige[i]
        shares[i] = raw * alive[i]
        total += shares[i]
    if total > 0:
        for i in range(shares.size):
            shares[i] /= total


@njit(cache=True)
def post_prestige(holds: np.ndarray, prestige: np.ndarray) -> np.ndarray:
    """(n,) summed prestige of the posts each leader holds."""
    summed = np.empty(holds.shape[0])
    fill_post_prestige(summed, holds, prestige)
    return summed


@njit(cache=True)
def fill_post_prestige(summed: np.ndarray, holds: np.ndarray, prestige: np.ndarray) -> None:
    """Write :func:`post_prestige` into ``summed``: the month's, into the run's buffer."""
    n, posts = holds.shape
    summed[:] = 0.0
    for i in range(n):
        for q in range(posts):
            if holds[i, q]:
                summed[i] += prestige[q]
    return summed


@njit(cache=True)
def dominant(shares: np.ndarray, alive: np.ndarray, health: np.ndarray) -> int:
    """The living leader present (health at least one half) with the highest power share.

    He decides what the leadership does this month; ties go to the first in
    scenario order.
    """
    best = 0
    best_share = shares[0] if alive[0] and health[0] >= 0.5 else -1.0
    for i in range(1, shares.size):
        share = shares[i] if alive[i] and health[i] >= 0.5 else -1.0
        if share > best_share:
            best, best_share = i, share
    return best
