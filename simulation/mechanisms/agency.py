"""Agency: whether a leader moves a motion, weighed by what he expects to gain and risk.

Every present leader may move against his rival at a sitting. He counts the
votes he can expect and how uncertain they are, and weighs the gain of
weakening a hostile rival against the cost of failing (a challenger who loses
is diminished). Appeals made knowing the vote is lost, such as the Declaration
of the 46 or the Leningrad co-report at the 14th Congress, are not motions but
voice (:mod:`.voice`). Supporters anticipate what comes after: a loose ally of
a proposer who would dominate the winning coalition fears he is next and
abstains (Acemoglu, Egorov & Sonin 2008). Among the motions worth moving, the
sitting takes one by a logit choice, with doing nothing as the outside option:
the best motion is the likeliest, not a certainty.

References:
    Acemoglu, D., Egorov, G., Sonin, K. (2008). Coalition formation in
    non-democracies. Review of Economic Studies 75(4), 987-1009.
    Bueno de Mesquita, B. (1994). Political forecasting: an expected utility
    method. In European Community Decision Making, Yale UP.
    McFadden, D. (1974). Conditional logit analysis of qualitative choice
    behavior. In Frontiers in Econometrics, Academic Press.
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING

import numpy as np
from numba import njit

from simulation.mechanisms.voting import FOR, UNDECIDED, organisation_lean

if TYPE_CHECKING:
    from simulation.model.random_source import GeneratorRef

_LEAST_SPREAD = 1e-3
"""A vote's spread never below this: a certain vote is a very steep, not a vertical, curve."""


@njit(cache=True)
def carry_probability(share: float, spread: float) -> float:
    """Probability that a motion expecting ``share`` of the votes, give or take ``spread``, carries.

    The share for is taken as normal: ``P = Phi((share - 1/2) / spread)``.
    """
    z = (share - 0.5) / max(spread, _LEAST_SPREAD)
    return 0.5 * (1.0 + math.erf(z / math.sqrt(2.0)))


@njit(cache=True)
def motion_utility(carry: float, gain: float, failure_cost: float, waiting_cost: float) -> float:
    """Expected utility of moving rather than waiting.

    ``P * gain - (1 - P) * failure_cost + waiting_cost``: what a motion is
    expected to bring, plus what the proposer expects to lose by doing nothing
    while his rival goes on taking his machine: a leader being ground down may
    move on poorer odds than one who is not.
    """
    return carry * gain - (1.0 - carry) * failure_cost + waiting_cost


@njit(cache=True)
def power_for(shares: np.ndarray, sides: np.ndarray) -> float:
    """The power of a motion's side: the shares of the leaders for it."""
    total = 0.0
    for i in range(sides.size):
        if sides[i] == FOR:
            total += shares[i]
    return total


@njit(cache=True)
def rival_gain(
    shares: np.ndarray,
    affinity: np.ndarray,
    sides: np.ndarray,
    proposer: int,
    targets: np.ndarray,
) -> float:
    """What weakening the targets is worth to the proposer.

    ``sum_t share_t (1 - A_pt) / 2``, the targets' power as hostile as they
    are, times the proposer's part of his side's power: the spoils of a
    victory go to the winning coalition in proportion to its members' power
    (Acemoglu, Egorov & Sonin 2008), so the leaders of a side gain most by
    moving, and a follower little.
    """
    side_power = power_for(shares, sides)
    if side_power <= 0:
        return 0.0
    gain = 0.0
    for t in targets:
        gain += shares[t] * (1.0 - affinity[proposer, t]) / 2.0
    return gain * shares[proposer] / side_power


@njit(cache=True)
def office_gain(
    shares: np.ndarray, sides: np.ndarray, proposer: int, reach: float, value: float
) -> float:
    """What taking a colleague's appointing offices for his own side is worth to the proposer.

    ``value * reach``, the power his side expects from offices that appoint
    ``reach`` of the party (``value`` is what appointing across the whole
    party is worth), times the proposer's part of his side's power, as in
    :func:`rival_gain`: his side fills the offices.
    """
    side_power = power_for(shares, sides)
    if side_power <= 0:
        return 0.0
    return value * reach * shares[proposer] / side_power


@njit(cache=True)
def anticipate(
    sides: np.ndarray,
    affinity: np.ndarray,
    shares: np.ndarray,
    proposer: int,
    targets: np.ndarray,
    dominance: float,
    ally_threshold: float,
) -> None:
    """The sides, changed in place, after the supporters have thought about who is next.

    When the proposer would hold more than ``dominance`` of the winning side's
    power once the targets are gone, his supporters who are not close allies
    (affinity to him at most ``ally_threshold``) abstain: the motion would make
    him the master of those who carried it. The targets keep their sides; the
    side's power is that before anyone abstains. In place, because a sitting
    weighs every leader's motion in one array of sides.
    """
    side_power = power_for(shares, sides)
    if side_power <= 0 or shares[proposer] <= dominance * side_power:
        return
    for i in range(sides.size):
        loose_ally = sides[i] == FOR and i != proposer and affinity[i, proposer] <= ally_threshold
        if loose_ally and not _named(targets, i):
            sides[i] = UNDECIDED


@njit(cache=True)
def _named(leaders: np.ndarray, leader: int) -> bool:
    """Whether ``leader`` is among ``leaders``."""
    k = 0
    while k < leaders.size and leaders[k] != leader:
        k += 1
    return k < leaders.size


@njit(cache=True)
def member_share_spread(voter_sides: np.ndarray, p_opinion: float) -> float:
    """Standard deviation of the share for in a vote of named members (the undecided draw)."""
    if voter_sides.size == 0:
        return 0.0
    undecided = 0
    for side in voter_sides:
        if side == UNDECIDED:
            undecided += 1
    return math.sqrt(undecided * p_opinion * (1.0 - p_opinion)) / voter_sides.size


@njit(cache=True)
def delegate_share_moments(
    delegates: np.ndarray,
    loyalty: np.ndarray,
    discipline: np.ndarray,
    sides: np.ndarray,
    p_opinion: float,
    blocs: bool,
) -> tuple[float, float]:
    """Mean and standard deviation of the share for in a delegate vote.

    The mean of ``voting.delegate_vote``'s tally: per body, ``c_o f_o + (1 -
    c_o) p`` with ``f_o`` the share for of a delegation following its apparatus
    (its secretaries for, and the unaligned by opinion). With ``blocs``, each
    delegation follows or not as one body, and that choice dominates the
    spread: ``sum_o (d_o / D)^2 c_o (1 - c_o) (f_o - p)^2``; every vote also
    has the independent delegates' binomial spread, ``p (1 - p) / D``.
    """
    count = delegates.sum()
    if count <= 0:
        return 0.0, 0.0
    mean = 0.0
    variance = p_opinion * (1.0 - p_opinion) / count
    for o in range(delegates.size):
        with_motion, _, neither = organisation_lean(loyalty, sides, o)
        following = with_motion + neither * p_opinion
        weight = delegates[o] / count
        mean += weight * (discipline[o] * following + (1.0 - discipline[o]) * p_opinion)
        if blocs:
            spread = following - p_opinion
            variance += weight**2 * discipline[o] * (1.0 - discipline[o]) * spread**2
    return mean, math.sqrt(variance)


@njit(cache=True)
def choose_motion(source: GeneratorRef, utilities: np.ndarray, temperature: float) -> int:
    """Which motion a sitting takes: a logit choice over those of positive utility, or -1.

    ``P(m) = exp(U_m / t) / (1 + sum exp(U_k / t))`` over the motions with
    ``U > 0``; the 1 is doing nothing (utility 0). One draw from the model's
    generator when there is a motion worth moving, none otherwise. As ``t``
    goes to 0 the best motion is always taken.
    """
    best = -1
    for m in range(utilities.size):
        if utilities[m] > 0 and (best < 0 or utilities[m] > utilities[best]):
            best = m
    if best < 0:
        return -1
    t = max(temperature, 1e-6)
    top = utilities[best] / t
    weights = np.zeros(utilities.size)
    total = math.exp(-top)  # doing nothing, scaled by the best so that nothing overflows
    for m in range(utilities.size):
        if utilities[m] > 0:
            weights[m] = math.exp(utilities[m] / t - top)
            total += weights[m]
    draw = source.rng.random() * total
    for m in range(utilities.size):
        if weights[m] > 0:
            if draw < weights[m]:
                return m
            draw -= weights[m]
    return -1
