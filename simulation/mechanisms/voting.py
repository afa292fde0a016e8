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

from dataclasses import dataclass

import numpy as np

FOR, AGAINST, UNDECIDED = 1, -1, 0


@dataclass(frozen=True, slots=True)
class Tally:
    """The count of one vote."""

    votes_for: int
    votes_against: int


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
    margin = np.zeros(alive.size)
    if len(sponsors):
        margin += affinity[:, sponsors].mean(axis=1)
    if len(targets):
        margin -= affinity[:, targets].mean(axis=1)
    sides = np.where(margin > threshold, FOR, np.where(margin < -threshold, AGAINST, UNDECIDED))
    sides[~alive] = UNDECIDED
    sides[sponsors] = FOR
    sides[targets] = AGAINST
    return sides


def opinion_for(influence: np.ndarray, sides: np.ndarray, gamma: float) -> float:
    """Probability that an undecided voter backs the motion.

    ``P = I_for^g / (I_for^g + I_against^g)``, with ``I`` the summed standing
    of the leaders on each side; a motion nobody opposes passes on opinion.
    """
    strength_for = influence[sides == FOR].sum() ** gamma
    strength_against = influence[sides == AGAINST].sum() ** gamma
    total = strength_for + strength_against
    return strength_for / total if total > 0 else 0.5


def delegate_vote(
    rng: np.random.Generator,
    delegates: np.ndarray,
    loyalty: np.ndarray,
    discipline: np.ndarray,
    sides: np.ndarray,
    p_opinion: float,
) -> Tally:
    """Count a vote of delegates drawn from organisations (congress, conference, plenum).

    Args:
        rng: the model's generator.
        delegates: (m,) delegates per organisation.
        loyalty: (m, n) loyalty of each organisation's secretaries.
        discipline: (m,) probability a delegate follows the apparatus.
        sides: (n,) each leader's side.
        p_opinion: probability an undisciplined or unaligned delegate votes for.

    Returns:
        The tally.
    """
    share_for = loyalty[:, sides == FOR].sum(axis=1)
    share_against = loyalty[:, sides == AGAINST].sum(axis=1)
    shares = np.stack([share_for, share_against, np.zeros_like(share_for)], axis=1)
    shares[:, 2] = np.clip(1.0 - share_for - share_against, 0.0, None)
    shares /= shares.sum(axis=1, keepdims=True)
    disciplined = rng.binomial(delegates, discipline)
    following = rng.multinomial(disciplined, shares)
    by_opinion = delegates - disciplined + following[:, 2]
    opinion_yes = rng.binomial(by_opinion, p_opinion)
    votes_for = int(following[:, 0].sum() + opinion_yes.sum())
    return Tally(votes_for, int(delegates.sum()) - votes_for)


def member_vote(
    rng: np.random.Generator, voters: np.ndarray, sides: np.ndarray, p_opinion: float
) -> Tally:
    """Count a vote of named leaders (the Politburo): each votes his side.

    Args:
        rng: the model's generator.
        voters: indices of the leaders entitled and present to vote.
        sides: (n,) each leader's side.
        p_opinion: probability an undecided member votes for.
    """
    voter_sides = sides[voters]
    undecided = int((voter_sides == UNDECIDED).sum())
    votes_for = int((voter_sides == FOR).sum()) + int(rng.binomial(undecided, p_opinion))
    return Tally(votes_for, len(voters) - votes_for)
