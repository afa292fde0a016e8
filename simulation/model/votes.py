"""How an arena counts a motion: the Politburo's present members, or delegates.

Scenario events (replay) and the leadership's decisions (free mode) put
motions to the same arenas and have them counted here, with the votes drawn
from the model's generator. Arenas are coded as positions in :data:`ARENAS`
so that compiled code can take them.
"""

from __future__ import annotations

import numpy as np
from numba import njit

from simulation.mechanisms.agency import delegate_share_spread, member_share_spread
from simulation.mechanisms.contests import expected_delegate_share, expected_member_share
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
def expected_share(state, arena, delegates, sides, p_opinion):
    """The share of the arena's votes a motion can expect (what a challenger counts on)."""
    if arena == POLITBURO:
        return expected_member_share(sides[_politburo_voters(state)], p_opinion)
    counts, loyalty, discipline = delegation(state, arena, delegates)
    return expected_delegate_share(counts, loyalty, discipline, sides, p_opinion)


@njit(cache=True)
def share_spread(state, arena, delegates, sides, p_opinion):
    """How uncertain that share is: its standard deviation under :func:`vote`."""
    if arena == POLITBURO:
        return member_share_spread(sides[_politburo_voters(state)], p_opinion)
    counts, loyalty, discipline = delegation(state, arena, delegates)
    return delegate_share_spread(counts, loyalty, discipline, sides, p_opinion, arena != PLENUM)


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
