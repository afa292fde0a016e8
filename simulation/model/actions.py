"""What scenario events and the leadership's decisions both do to the state, done once.

A post is vacated, an organisation purged and a failure blamed in the same
way whether the scenario forces it (replay) or the model decides it (free
mode), so each is one compiled function of the model state
(:class:`simulation.model.state.ModelState`), called from Python by
:mod:`.events` and from compiled code by :mod:`.leadership`.
"""

from __future__ import annotations

import numpy as np
from numba import njit

from simulation.mechanisms.alliances import add_tie, fill_reconcilable, fill_similarity
from simulation.mechanisms.contests import in_opposition_bloc
from simulation.mechanisms.influence import blame, shock
from simulation.mechanisms.patronage import fill_apparatus_shares, purge
from simulation.mechanisms.power import dominant, fill_power_shares, post_prestige
from simulation.mechanisms.voting import FOR, leader_sides
from simulation.model.parameters import Parameter


@njit(cache=True)
def vacate(state, leader, post):
    """Take a post from a leader; a unique office stays vacant until it is filled.

    No one will give it back to him (``lost``): an appointer who returned an office
    to the man a plenum had taken it from would reverse the plenum, and in
    1922-26 no leader who lost an office got it back. Without this rule a General
    Secretary voted out came back within months, as the own man of the apparatus
    his appointees still held (16 times in 300 posterior runs of the fits before the rule).
    """
    state.holds[leader, post] = False
    state.lost[leader, post] = True
    if state.unique_post[post]:
        state.vacated[post] = True


@njit(cache=True)
def mark_condemned(state, k, targets, sides):
    """Record a carried verdict on ``targets`` in month ``k``, as the rules read it later.

    Each target is marked condemned (since his first verdict; with his bloc when he
    has since joined another defeated opposition: ``bloc_condemned``), and every
    leader on the verdict's side (``sides``) as having denounced him: the former
    enemies a later bloc unites, reconciled only once both stand condemned.
    """
    ally_threshold = state.parameter_values[Parameter.ally_threshold]
    for target in targets:
        state.verdict_in[target] = k
        if not state.condemned[target]:
            state.condemned_since[target] = k
        elif in_opposition_bloc(
            target,
            state.affinity,
            state.condemned_since,
            state.denounced,
            state.alive,
            ally_threshold,
        ):
            state.bloc_condemned[target] = True
        state.condemned[target] = True
        for voter in range(sides.size):
            state.denounced[voter, target] |= sides[voter] == FOR
    fill_reconcilable(state.reconcilable, state.denounced, state.condemned)


@njit(cache=True)
def scenario_verdict(state, sponsors, targets, k):
    """A scenario's carried condemnation, recorded as the model's own verdicts are.

    Replayed history condemned Trotsky in 1923-24; a run branching from it after
    that must find him condemned, and those who voted for it his enemies, or its
    rules would read the Left's defeat as never having happened. The sides are the
    vote's (:func:`simulation.model.votes.count_vote`): those the sponsors' and the
    targets' friends make, before the verdict's effects move anyone.

    Only the majority's verdict is one: the strongest living leader must be on its
    side, as he is behind every verdict the model passes. A censure of the strongest
    himself (a counterfactual's: the Testament read to the 13th Congress) marks no
    one defeated; it acts through its vote, its cost in standing and its grievance.
    """
    sides = leader_sides(
        state.affinity,
        state.alive,
        sponsors,
        targets,
        state.parameter_values[Parameter.side_threshold],
    )
    strongest = np.argmax(state.power * state.alive)
    if sides[strongest] == FOR:
        mark_condemned(state, k, targets, sides)


@njit(cache=True)
def die(state, leader):
    """A leader dies: his posts fall vacant, and his standing, health, secretaries and ties end."""
    for post in range(state.holds.shape[1]):
        if state.holds[leader, post]:
            vacate(state, leader, post)
    state.alive[leader] = False
    state.health[leader] = 0.0
    state.influence[leader] = 0.0
    state.record[leader] = 0.0
    state.loyalty[:, leader] = 0.0
    state.affinity[leader, :] = 0.0
    state.affinity[:, leader] = 0.0
    state.absence_ends[leader] = -1


@njit(cache=True)
def appoint(state, who, post, by):
    """The living among ``who`` take ``post``; a unique office's other holders lose it.

    The appointed owe those who appointed them (``by``: :func:`.alliances.add_tie`,
    by ``appointment_obligation``).

    Returns:
        ``(holder, appointee)`` of each holder displaced, in order, for the log.
    """
    holds = state.holds
    living = who[state.alive[who]]
    displaced = np.empty((living.size * holds.shape[0], 2), dtype=np.int64)
    count = 0
    for i in living:
        if state.unique_post[post]:
            for holder in range(holds.shape[0]):
                if holds[holder, post] and holder != i:
                    vacate(state, holder, post)
                    displaced[count, 0] = holder
                    displaced[count, 1] = i
                    count += 1
        holds[i, post] = True
    obligation = state.parameter_values[Parameter.appointment_obligation]
    add_tie(state.obligation, living, by, obligation)
    return displaced[:count]


@njit(cache=True)
def majority_leader(state):
    """The leader whose majority decides this month: the present one of most power.

    The leaders' own appointments are his (:func:`.leadership.decide_month`), and a
    replayed one whose deciders the scenario does not name is taken to be his too.
    """
    return dominant(power_now(state), state.alive, state.health)


@njit(cache=True)
def aggrieve(state, victims, attackers):
    """``victims`` resent ``attackers`` (:func:`.alliances.add_tie`, by ``polemic_grievance``)."""
    add_tie(
        state.grievance, victims, attackers, state.parameter_values[Parameter.polemic_grievance]
    )


@njit(cache=True)
def set_health(state, who, level):
    """The living among ``who`` are at health ``level``: the dead are given none."""
    for i in who:
        if state.alive[i]:
            state.health[i] = level


@njit(cache=True)
def begin_intake(state, per_month, months):
    """An intake of members begins: ``per_month`` a month, for ``months`` (-1: without end)."""
    q = state.intake_count[0]
    state.intake_per_month[q] = per_month
    state.intake_months_left[q] = months
    state.intake_count[0] = q + 1


@njit(cache=True)
def elect_central_committee(state):
    """A congress elects the Central Committee, whose loyalties plenums then follow."""
    state.plenum_loyalty[0] = state.apparatus


@njit(cache=True)
def shift_standing(state, who, delta):
    """A shock moves the living among ``who`` in standing and in the record it rests on, for good.

    See :func:`simulation.mechanisms.influence.shock`.
    """
    shock(state.influence, state.record, who, state.alive, delta)


@njit(cache=True)
def refill_similarity(state):
    """The stances' similarity again, in place, after an event set some stances.

    :func:`simulation.mechanisms.alliances.fill_similarity`, as the month's repositioning
    does: through numba's dispatcher, ``stance_similarity`` had the stances typed at
    every call, and its new array copied.
    """
    fill_similarity(state.similarity, state.stance)


@njit(cache=True)
def begin_absence(state, leaders, until, level):
    """The living among ``leaders`` leave on a cure until month ``until``, at health ``level``.

    Each returns to the health he had before the first of overlapping absences.
    """
    for i in leaders:
        if state.alive[i]:
            if state.absence_ends[i] < 0:
                state.health_after_absence[i] = state.health[i]
            state.absence_ends[i] = until
            state.health[i] = level


@njit(cache=True)
def head_holders(state):
    """(m,) the living leader holding each organisation's head post, or -1."""
    head_post, holds, alive = state.head_post, state.holds, state.alive
    holder = np.full(head_post.size, -1)
    for o in range(head_post.size):
        if head_post[o] >= 0:
            for i in range(alive.size):
                if alive[i] and holds[i, head_post[o]]:
                    holder[o] = i
                    break
    return holder


@njit(cache=True)
def purge_organisation(state, organisation, targets, beneficiary, share):
    """Replace ``share`` of the targets' secretaries in an organisation by the beneficiary's.

    The national apparatus shares follow at once (see
    :func:`simulation.mechanisms.patronage.purge`).
    """
    purge(state.loyalty, organisation, targets, beneficiary, share)
    fill_apparatus_shares(state.apparatus, state.loyalty, state.members)


@njit(cache=True)
def power_now(state):
    """Each living leader's power share now.

    See :func:`simulation.mechanisms.power.fill_power_shares`.
    """
    shares = np.empty(state.influence.size)
    power_given(state, post_prestige(state.holds, state.prestige), shares)
    return shares


@njit(cache=True)
def power_given(state, prestige_held, shares):
    """Write the power shares now into ``shares``, when the month has summed the posts' prestige."""
    p = state.parameter_values
    fill_power_shares(
        shares,
        state.influence,
        state.apparatus,
        prestige_held,
        state.alive,
        (
            p[Parameter.power_influence_weight],
            p[Parameter.power_apparatus_weight],
            p[Parameter.power_posts_weight],
        ),
    )


@njit(cache=True)
def pin_blame(state, posts, sizes, chosen):
    """The leadership pins a failure on holders of the answerable posts.

    The most powerful leader pins it, choosing the scapegoat when ``chosen``
    (see :func:`simulation.mechanisms.influence.blame`), and the blamed resent
    him as they would an attack.
    """
    shares = power_now(state)
    blame(
        state.influence,
        state.record,
        state.grievance,
        state.holds,
        state.alive,
        shares,
        state.affinity,
        np.argmax(shares),
        posts,
        sizes,
        state.parameter_values[Parameter.polemic_grievance],
        chosen,
    )
