"""How an arena counts a motion: the Politburo's present members, or delegates.

Scenario events (replay) and the leadership's decisions (free mode) put
motions to the same arenas and have them counted here, with the votes drawn
from the model's generator. Arenas are coded as positions in :data:`ARENAS`
so that compiled code can take them.
"""

from __future__ import annotations

import numpy as np
from numba import njit

from simulation.mechanisms.agency import delegate_share_moments, member_share_spread
from simulation.mechanisms.contests import expected_member_share
from simulation.mechanisms.membership import delegate_counts, delegate_discipline
from simulation.mechanisms.voting import (
    delegate_vote,
    leader_sides,
    member_vote,
    opinion_for,
    present_holders,
)
from simulation.model.parameters import Parameter
from simulation.scenario.schema import Arena

ARENAS = list(Arena)
"""Arena codes are positions in this list."""
POLITBURO = ARENAS.index(Arena.POLITBURO)
PLENUM = ARENAS.index(Arena.PLENUM)
CONGRESS = ARENAS.index(Arena.CONGRESS)


@njit(cache=True)
def delegation(state, arena, delegates):
    """Who votes in a delegate arena: ``(delegates, loyalty, discipline)`` per body.

    A plenum is one body following the Central Committee elected at the last
    congress; conferences and congresses draw delegates by membership, and
    recruits follow the apparatus more readily than old members.
    """
    p = state.parameter_values
    if arena == PLENUM:
        return (
            np.full(1, delegates, dtype=np.int64),
            state.plenum_loyalty,
            np.full(1, p[Parameter.plenum_discipline]),
        )
    return (
        delegate_counts(delegates, state.members),
        state.loyalty,
        delegate_discipline(
            state.members, state.recruits, p[Parameter.discipline], p[Parameter.recruit_discipline]
        ),
    )


@njit(cache=True)
def _politburo_voters(state):
    return present_holders(state.holds, state.politburo_post, state.alive, state.health)


@njit(cache=True)
def sitting(state, arena, delegates):
    """Who votes at a sitting, worked out once for all the motions its members weigh.

    Returns ``(voters, counts, loyalty, discipline)``: the Politburo's present
    members (empty for a delegate arena), or the delegates per body, their
    secretaries' loyalties and their discipline (empty for the Politburo).
    """
    if arena == POLITBURO:
        empty = np.zeros(0, dtype=np.int64)
        return _politburo_voters(state), empty, state.loyalty, np.zeros(0)
    counts, loyalty, discipline = delegation(state, arena, delegates)
    return np.zeros(0, dtype=np.int64), counts, loyalty, discipline


@njit(cache=True)
def share_and_spread(arena, voters, counts, loyalty, discipline, sides, p_opinion):
    """The share of a sitting's votes a motion can expect, and its standard deviation.

    What a challenger counts on, and how sure he can be of it (see
    :func:`vote`; :func:`sitting` gives the voters).
    """
    if arena == POLITBURO:
        voter_sides = sides[voters]
        return (
            expected_member_share(voter_sides, p_opinion),
            member_share_spread(voter_sides, p_opinion),
        )
    blocs = arena != PLENUM
    return delegate_share_moments(counts, loyalty, discipline, sides, p_opinion, blocs)


@njit(cache=True)
def vote(state, arena, delegates, sides, p_opinion):
    """Count a motion in an arena: the Politburo's present members, or delegates."""
    if arena == POLITBURO:
        return member_vote(state.source, _politburo_voters(state), sides, p_opinion)
    counts, loyalty, discipline = delegation(state, arena, delegates)
    blocs = arena != PLENUM
    return delegate_vote(state.source, counts, loyalty, discipline, sides, p_opinion, blocs)


@njit(cache=True)
def count_vote(state, arena, delegates, sponsors, targets):
    """Count a motion of a scenario event: ``(votes_for, votes_against)`` (see :func:`vote`)."""
    p = state.parameter_values
    sides = leader_sides(
        state.affinity, state.alive, sponsors, targets, p[Parameter.side_threshold]
    )
    p_opinion = opinion_for(state.influence * state.alive, sides, p[Parameter.opinion_gamma])
    return vote(state, arena, delegates, sides, p_opinion)
