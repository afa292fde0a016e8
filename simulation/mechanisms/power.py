"""Power share: the outcome measure, derived from standing, apparatus and posts."""

from __future__ import annotations

import numpy as np
from numba import njit


@njit(cache=True)
def power_shares(
    influence: np.ndarray,
    apparatus: np.ndarray,
    post_prestige: np.ndarray,
    alive: np.ndarray,
    weights: tuple[float, float, float],
) -> np.ndarray:
    """Each living leader's share of power; the shares sum to 1.

    ``raw = w_i * influence + w_a * apparatus + w_p * prestige of posts``,
    normalised over the living; the dead have none.
    """
    w_influence, w_apparatus, w_posts = weights
    raw = (w_influence * influence + w_apparatus * apparatus + w_posts * post_prestige) * alive
    total = raw.sum()
    return raw / total if total > 0 else raw


@njit(cache=True)
def post_prestige(holds: np.ndarray, prestige: np.ndarray) -> np.ndarray:
    """(n,) summed prestige of the posts each leader holds."""
    n, posts = holds.shape
    summed = np.zeros(n)
    for i in range(n):
        for q in range(posts):
            if holds[i, q]:
                summed[i] += prestige[q]
    return summed
