"""Illness: episodes that take a leader with a record of illness away for a while.

Lenin's strokes and the deaths of the period are the scenario's own dated
events; what is left to chance is the recurrence of illness in leaders known
for it (Trotsky's fevers from the autumn of 1923 kept him from the decisive
meetings of that winter and recurred in the years after: source chapter,
§Events of 1923 in Germany, n. 31). An absent leader (health below one half)
neither votes in the Politburo nor fills a vacancy, nor moves his stance; his offices'
pull on the secretaries is weighted by his health (:mod:`.patronage`), so an ill
office-holder keeps three tenths of it (his staff appoint in his name); and his standing
drifts down with his health (:mod:`.influence`): a fever in the month of a congress
can change its vote.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
from numba import njit

if TYPE_CHECKING:
    from simulation.model.random_source import GeneratorRef

ILL_HEALTH = 0.3
"""Health during an episode: below one half, so the leader counts as absent."""


@njit(cache=True)
def illness_month(
    source: GeneratorRef,
    health: np.ndarray,
    alive: np.ndarray,
    absence_ends: np.ndarray,
    ill_until: np.ndarray,
    health_before: np.ndarray,
    rate: np.ndarray,
    months: np.ndarray,
    first: np.ndarray,
    scale: float,
    month: int,
) -> None:
    """End the episodes due this month and draw new ones, in place.

    An episode that ends restores the health the leader had before it, unless
    something else (an incapacitation, a death) changed his health meanwhile.
    A leader present, not on a scenario absence and not already ill, falls
    ill with probability ``min(1, scale * rate)``: one draw for each leader
    with a record of illness from the month it begins (``first``), in scenario
    order.
    """
    for i in range(health.size):
        if ill_until[i] == month:
            ill_until[i] = -1
            if alive[i] and health[i] == ILL_HEALTH:
                health[i] = health_before[i]
    for i in range(health.size):
        if rate[i] <= 0 or scale <= 0 or month < first[i]:
            continue
        falls_ill = source.rng.random() < min(1.0, scale * rate[i])
        if falls_ill and alive[i] and health[i] >= 0.5 and absence_ends[i] < 0 and ill_until[i] < 0:
            health_before[i] = health[i]
            health[i] = ILL_HEALTH
            ill_until[i] = month + months[i]
