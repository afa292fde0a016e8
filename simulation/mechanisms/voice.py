"""Voice: a leader beaten inside the leadership appeals to the party beyond it.

The oppositions of 1923-26 spoke knowing they would lose the vote: the
Declaration of the 46 and Trotsky's letters in October 1923, the Lessons of
October in the autumn of 1924, the Leningrad co-report at the 14th Congress,
the bloc's declaration to the July 1926 plenum and its sortie into the cells
that October. Each was answered by the majority, and for a man already
condemned the answer drew his verdict's conclusions: the army in January 1925,
the Politburo seats in July and October 1926 (source chapter, §The Party and
the Opposition after Lenin, §The Opposition and the NEP; chronology.csv
1924-10, 1925-01-17, 1925-12, 1926-07-23, 1926-10). Hirschman's voice is the
choice of the member who neither leaves nor stays loyal: here no one leaves,
and how hard a leader is pressed to speak is his grievance against the
strongest, held back, as his repositioning is, while an enemy they share
still stands (:func:`.positions.common_threat`). A failure of the line pinned
on the leadership presses him further, the more his stance lies from the
strongest's: both oppositions spoke after one (:func:`.positions.failure_weight`).

No rule names anyone: whoever is hostile to the strongest and aggrieved by
him may speak, at any plenum, conference or congress.

References:
    Hirschman, A. O. (1970). Exit, Voice, and Loyalty. Harvard UP.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
from numba import njit

from simulation.mechanisms.positions import shared_threat, standing_enemies

if TYPE_CHECKING:
    from simulation.model.random_source import GeneratorRef


@njit(cache=True)
def voice_pressure(
    grievance: np.ndarray,
    affinity: np.ndarray,
    power: np.ndarray,
    standing: np.ndarray,
    present: np.ndarray,
    strongest: int,
    stance: np.ndarray,
    failure: float,
) -> np.ndarray:
    """(n,) how hard each leader is pressed to speak out against the strongest, 0 and up.

    ``(G_i,strongest + f d_i) (1 - c)`` for a present leader hostile to the
    strongest (affinity below 0), ``c`` the threat of the strongest enemy they
    share (:func:`.positions.common_threat` over ``standing``), ``f`` the weight
    of a recent failure of the line and ``d_i`` the distance of his stance from
    the strongest's, as a share of the largest possible; 0 for the
    strongest himself and for anyone not hostile to him: a grievance nursed by
    an ally stays inside the leadership. A grievance is at most 1; after a
    failure the pressure may pass 1, and :func:`speakers` then makes him speak
    for certain once ``voice_rate`` times it does.
    """
    n = present.size
    pressure = np.zeros(n)
    if strongest < 0:
        return pressure
    threats = standing_enemies(affinity, standing, strongest)
    for i in range(n):
        hostile = affinity[i, strongest] < 0
        if i == strongest or not present[i] or not hostile:
            continue
        pressed = grievance[i, strongest]
        if failure > 0:
            d0 = stance[i, 0] - stance[strongest, 0]
            d1 = stance[i, 1] - stance[strongest, 1]
            pressed += failure * np.sqrt((d0 * d0 + d1 * d1) / 8.0)
        if pressed <= 0:
            continue
        shared = shared_threat(affinity, power, threats, i, power[strongest])
        pressure[i] = pressed * (1.0 - shared)
    return pressure


@njit(cache=True)
def speakers(source: GeneratorRef, pressure: np.ndarray, rate: float) -> np.ndarray:
    """(n,) bool: who speaks out at this sitting, each with probability ``rate * pressure``.

    One draw from the model's generator for each leader under any pressure, in
    index order; none for the others, so that a sitting where no one is
    aggrieved draws nothing.
    """
    speak = np.zeros(pressure.size, dtype=np.bool_)
    for i in range(pressure.size):
        if pressure[i] > 0:
            speak[i] = source.rng.random() < rate * pressure[i]
    return speak
