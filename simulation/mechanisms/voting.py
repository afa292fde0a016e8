"""Votes on motions: who sides with whom, and how delegates and leaders vote.

A delegate follows his organisation's apparatus with a discipline
probability, voting as his patron sides; otherwise he votes by opinion, for
the side whose leaders carry more standing. Leaders in the Politburo vote
their side; the undecided vote by the same opinion rule.

References:
    Rigby, T. H. (1981). Early provincial cliques and the rise of Stalin.
    Soviet Studies 33(1), 3-28.
    KAPSARC Toolkit for Behavioral Analysis (KTAB): the victory-probability
    family P(A) = S_A^g / (S_A^g + S_B^g).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
from numba import njit

if TYPE_CHECKING:
    from simulation.model.random_source import GeneratorRef

FOR, AGAINST, UNDECIDED = 1, -1, 0


@njit(cache=True)
def leader_sides(
    affinity: np.ndarray,
    alive: np.ndarray,
    sponsors: np.ndarray,
    targets: np.ndarray,
    threshold: float,
) -> np.ndarray:
    """Each leader's side on a motion: FOR, AGAINST or UNDECIDED.

    Sponsors are for, targets against; every other living leader takes the
    side to which his mean affinity leans by more than ``threshold``.

    Args:
        affinity: (n, n) signed affinities, -1..1.
        alive: (n,) bool.
        sponsors: indices of the motion's sponsors.
        targets: indices of those it is aimed at (may be empty).
        threshold: margin of affinity needed to take a side.

    Returns:
        (n,) int array of FOR / AGAINST / UNDECIDED.
    """
    sides = np.empty(alive.size, dtype=np.int64)
    fill_sides(sides, affinity, alive, sponsors, targets, threshold)
    return sides


@njit(cache=True)
def fill_sides(
    sides: np.ndarray,
    affinity: np.ndarray,
    alive: np.ndarray,
    sponsors: np.ndarray,
    targets: np.ndarray,
    threshold: float,
) -> None:
    """:func:`leader_sides` written into ``sides``, in place.

    A sitting weighs a motion for every leader present, one after the other, in
    one array. A motion of one sponsor against one target, the usual one, is
    counted by :func:`sides_between`.
    """
    if sponsors.size == 1 and targets.size == 1:
        sides_between(sides, affinity, alive, sponsors[0], targets[0], threshold)
        return
    if sponsors.size == 1 and targets.size > 1:
        sides_against(sides, affinity, alive, sponsors[0], targets, threshold)
        return
    for i in range(alive.size):
        sides[i] = UNDECIDED
        if not alive[i]:
            continue
        margin = 0.0
        if sponsors.size:
            toward = 0.0
            for j in sponsors:
                toward += affinity[i, j]
            margin += toward / sponsors.size
        if targets.size:
            toward = 0.0
            for j in targets:
                toward += affinity[i, j]
            margin -= toward / targets.size
        if margin > threshold:
            sides[i] = FOR
        elif margin < -threshold:
            sides[i] = AGAINST
    for j in sponsors:
        sides[j] = FOR
    for j in targets:
        sides[j] = AGAINST


@njit(cache=True)
def sides_between(
    sides: np.ndarray,
    affinity: np.ndarray,
    alive: np.ndarray,
    sponsor: int,
    target: int,
    threshold: float,
) -> None:
    """:func:`fill_sides` for one sponsor and one target: the margin is one difference.

    The means of one affinity are the affinities themselves, so every side is
    the same; the loops over sponsors and targets, and the divisions, cost more
    than the rest.
    """
    for i in range(alive.size):
        sides[i] = UNDECIDED
        if not alive[i]:
            continue
        margin = affinity[i, sponsor] - affinity[i, target]
        if margin > threshold:
            sides[i] = FOR
        elif margin < -threshold:
            sides[i] = AGAINST
    sides[sponsor] = FOR
    sides[target] = AGAINST


@njit(cache=True)
def sides_against(
    sides: np.ndarray,
    affinity: np.ndarray,
    alive: np.ndarray,
    sponsor: int,
    targets: np.ndarray,
    threshold: float,
) -> None:
    """:func:`fill_sides` for one sponsor and several targets (a condemnation of a bloc).

    The mean affinity to one sponsor is the affinity itself (a sum from zero,
    divided by one, is exact), so only the targets' mean is worked out.
    """
    for i in range(alive.size):
        sides[i] = UNDECIDED
        if not alive[i]:
            continue
        toward = 0.0
        for j in targets:
            toward += affinity[i, j]
        margin = affinity[i, sponsor] - toward / targets.size
        if margin > threshold:
            sides[i] = FOR
        elif margin < -threshold:
            sides[i] = AGAINST
    sides[sponsor] = FOR
    for j in targets:
        sides[j] = AGAINST


@njit(cache=True)
def opinion_for(influence: np.ndarray, sides: np.ndarray, gamma: float) -> float:
    """Probability that an undecided voter backs the motion.

    ``P = I_for^g / (I_for^g + I_against^g)``, with ``I`` the summed standing
    of the leaders on each side; a motion nobody opposes passes on opinion.
    """
    standing_for = 0.0
    standing_against = 0.0
    for i in range(sides.size):
        if sides[i] == FOR:
            standing_for += influence[i]
        elif sides[i] == AGAINST:
            standing_against += influence[i]
    strength_for = standing_for**gamma
    strength_against = standing_against**gamma
    total = strength_for + strength_against
    return strength_for / total if total > 0 else 0.5


@njit(cache=True)
def organisation_lean(loyalty: np.ndarray, sides: np.ndarray, o: int) -> tuple[float, float, float]:
    """How organisation ``o``'s secretaries lean: with the motion, against it, neither.

    The three sum to one: the secretaries loyal to leaders on each side, and the
    unaligned or undecided rest, whom a disciplined delegate cannot follow.
    """
    with_motion = 0.0
    against = 0.0
    for i in range(sides.size):
        if sides[i] == FOR:
            with_motion += loyalty[o, i]
        elif sides[i] == AGAINST:
            against += loyalty[o, i]
    neither = max(1.0 - with_motion - against, 0.0)
    total = with_motion + against + neither
    return with_motion / total, against / total, neither / total


@njit(cache=True)
def apparatus_split(loyalty: np.ndarray, sides: np.ndarray) -> np.ndarray:
    """(m, 3) how each organisation's secretaries lean (:func:`organisation_lean`)."""
    m = loyalty.shape[0]
    split = np.zeros((m, 3))
    for o in range(m):
        split[o, 0], split[o, 1], split[o, 2] = organisation_lean(loyalty, sides, o)
    return split


@njit(cache=True)
def delegate_vote(
    source: GeneratorRef,
    delegates: np.ndarray,
    loyalty: np.ndarray,
    discipline: np.ndarray,
    sides: np.ndarray,
    p_opinion: float,
    blocs: bool,
) -> tuple[int, int]:
    """Count a vote of delegates drawn from organisations (congress, conference, plenum).

    Per organisation, with ``blocs`` (a congress or conference), the delegation
    follows its apparatus as one body with probability ``discipline``, or else
    votes by opinion: delegations were elected and instructed by their
    organisation's conference, and voted together (Leningrad's at the 14th
    Congress), so a vote is as uncertain as a few large organisations' choices,
    not as certain as hundreds of independent ones. Without ``blocs`` (a
    plenum's members) the disciplined delegates are ``Binomial(delegates,
    discipline)``. The expected share is the same either way. The
    disciplined split ``Multinomial`` over the apparatus's lean
    (:func:`apparatus_split`), drawn as numpy does, by successive binomials;
    the undisciplined and those whose secretaries lean neither way vote for
    with probability ``p_opinion``. The draws are numpy's own, in numpy's order.

    Args:
        source: the model's generator.
        delegates: (m,) delegates per organisation.
        loyalty: (m, n) loyalty of each organisation's secretaries.
        discipline: (m,) probability a delegate follows the apparatus.
        sides: (n,) each leader's side.
        p_opinion: probability an undisciplined or unaligned delegate votes for.
        blocs: whether each organisation's delegation follows its apparatus as one body.

    Returns:
        ``(votes_for, votes_against)``.
    """
    rng = source.rng
    shares = apparatus_split(loyalty, sides)
    m = delegates.size
    disciplined = np.empty(m, dtype=np.int64)
    for o in range(m):
        if blocs:
            disciplined[o] = delegates[o] if rng.random() < discipline[o] else 0
        else:
            disciplined[o] = rng.binomial(delegates[o], discipline[o])
    following = np.zeros((m, 3), dtype=np.int64)
    for o in range(m):
        remaining_p = 1.0
        left = disciplined[o]
        for lean in range(2):
            following[o, lean] = rng.binomial(left, shares[o, lean] / remaining_p)
            left -= following[o, lean]
            if left <= 0:
                break
            remaining_p -= shares[o, lean]
        if left > 0:
            following[o, 2] = left
    votes_for = 0
    for o in range(m):
        votes_for += following[o, 0]
    for o in range(m):
        votes_for += rng.binomial(delegates[o] - disciplined[o] + following[o, 2], p_opinion)
    return votes_for, delegates.sum() - votes_for


@njit(cache=True)
def present_holders(
    holds: np.ndarray, post: int, alive: np.ndarray, health: np.ndarray
) -> np.ndarray:
    """Indices of the living holders of a post present to vote (health at least one half)."""
    n = alive.size
    present = np.zeros(n, dtype=np.bool_)
    for i in range(n):
        present[i] = holds[i, post] and alive[i] and health[i] >= 0.5
    return np.flatnonzero(present)


@njit(cache=True)
def member_vote(
    source: GeneratorRef, voters: np.ndarray, sides: np.ndarray, p_opinion: float
) -> tuple[int, int]:
    """Count a vote of named leaders (the Politburo): each votes his side.

    Args:
        source: the model's generator.
        voters: indices of the leaders entitled and present to vote.
        sides: (n,) each leader's side.
        p_opinion: probability an undecided member votes for.

    Returns:
        ``(votes_for, votes_against)``.
    """
    decided_for = 0
    undecided = 0
    for i in voters:
        if sides[i] == FOR:
            decided_for += 1
        elif sides[i] == UNDECIDED:
            undecided += 1
    votes_for = decided_for + source.rng.binomial(undecided, p_opinion)
    return votes_for, voters.size - votes_for
