"""What the leadership decides in a month of free mode, compiled into one call.

Each month in which there is something to decide, in this order: purges
decided by last month's congress are carried out; vacant offices are filled
by the dominant leader; then the Politburo (when it campaigns this month) and
any plenum, conference or congress sitting this month hold their contest.
:mod:`simulation.model.decisions` says when a month has something to decide and
turns what was decided into the run's logs.

While the scenario's ``arbiter`` lives (Lenin), no Politburo member is
condemned or removed: the chapter dates the first reorganisation of power to
his death, which ended two years in which none had been possible (§The Party
and the Opposition after Lenin).

Every rule is one of the tested functions of :mod:`simulation.mechanisms`;
this module fixes their order and their effects. It is compiled, with the
votes drawn from the model's generator (:mod:`.random_source`), so that a
month's decisions are one call (see ``benchmarks/README.md``).

What was decided is written as rows of integers into the model state's
``decision_log`` by the ``write_*`` functions of :mod:`.rows`, which also
reads them back.
"""

from __future__ import annotations

import numpy as np
from numba import njit

from simulation.mechanisms.alliances import add_tie
from simulation.mechanisms.contests import Move, choose_successor, plan_motion, plenum_moves
from simulation.mechanisms.influence import shock
from simulation.mechanisms.power import dominant
from simulation.mechanisms.voting import leader_sides, opinion_for
from simulation.model.actions import power_now, purge_organisation, vacate
from simulation.model.parameters import Parameter
from simulation.model.rows import (
    write_appointment,
    write_plenum_removal,
    write_purge,
    write_purge_removal,
    write_sanction,
    write_vote,
    write_vote_target,
)
from simulation.model.votes import CONGRESS, PLENUM, POLITBURO, expected_share, vote

MOVES = list(Move)
"""Move codes are positions in this list."""
CAMPAIGN = MOVES.index(Move.CAMPAIGN)
CONDEMNATION = MOVES.index(Move.CONDEMNATION)
REMOVAL = MOVES.index(Move.REMOVAL)
EXPULSION = MOVES.index(Move.EXPULSION)


def log_rows(leaders: int, posts: int, organisations: int, sittings: int) -> int:
    """Rows a month can write at most: every purge, vacancy and motion with every target."""
    per_motion = 2 * leaders + 1
    purges = organisations * (leaders + 1)
    plenum = 2 * (per_motion + leaders * posts)
    return purges + posts + (sittings + 1) * per_motion + sittings * plenum


@njit(cache=True)
def _motion(state, arena, delegates, move, proposer, targets, sides, p_opinion, row):
    """Put a motion to the vote and log it; returns whether it carried, and the next row."""
    log = state.decision_log
    for target in targets:
        row = write_vote_target(log, row, target)
    votes_for, votes_against = vote(state, arena, delegates, sides, p_opinion)
    carried = votes_for > votes_against
    row = write_vote(log, row, arena, move, proposer, votes_for, votes_against, carried)
    return carried, row


@njit(cache=True)
def _truce(state):
    return state.arbiter >= 0 and state.alive[state.arbiter]


@njit(cache=True)
def _contest(state, k, arena, delegates, proposer, row):
    """Campaign (Politburo) or condemnation (conference, congress) against the main rival."""
    p = state.parameter_values
    politburo = arena == POLITBURO
    if not politburo and _truce(state):
        return row
    rival, targets, sides, p_opinion = plan_motion(
        state.affinity,
        state.apparatus,
        state.influence,
        state.alive,
        state.condemned,
        state.holds,
        state.unique_post,
        proposer,
        not politburo,
        p[Parameter.hostility],
        p[Parameter.side_threshold],
        p[Parameter.ally_threshold],
        p[Parameter.opinion_gamma],
    )
    if rival < 0:
        return row
    if expected_share(state, arena, delegates, sides, p_opinion) < p[Parameter.move_threshold]:
        return row
    move = CAMPAIGN if politburo else CONDEMNATION
    carried, row = _motion(state, arena, delegates, move, proposer, targets, sides, p_opinion, row)
    if not carried:
        return row
    size = p[Parameter.campaign_size] if move == CAMPAIGN else p[Parameter.condemnation_size]
    shock(state.influence, state.record, targets, state.alive, -size)
    add_tie(state.grievance, targets, np.full(1, proposer), p[Parameter.polemic_grievance])
    for target in targets:
        row = write_sanction(state.decision_log, row, arena, move, proposer, target)
    if move == CONDEMNATION:
        for target in targets:
            if not state.condemned[target]:
                state.condemned_since[target] = k
            state.condemned[target] = True
        if arena == CONGRESS:
            _schedule_purges(state, k, targets, proposer)
    return row


@njit(cache=True)
def _plenum(state, k, delegates, proposer, row):
    """Strip condemned, diminished rivals of their posts, one motion per kind of move.

    Only rivals condemned at least ``removal_delay`` months ago are ripe: a
    leader is not stripped of office the day he is condemned.
    """
    p = state.parameter_values
    holds, unique_post, alive = state.holds, state.unique_post, state.alive
    if _truce(state) or not state.condemned.any():
        return row
    removals, expulsions, removals_first = plenum_moves(
        holds,
        unique_post,
        alive,
        state.condemned_since,
        state.influence,
        k,
        proposer,
        p[Parameter.removal_delay],
        p[Parameter.removal_threshold],
        p[Parameter.expulsion_threshold],
    )
    proposer_side = np.full(1, proposer)
    for turn in range(2):
        move = REMOVAL if (turn == 0) == removals_first else EXPULSION
        targets = removals if move == REMOVAL else expulsions
        if targets.size == 0:
            continue
        sides = leader_sides(
            state.affinity, alive, proposer_side, targets, p[Parameter.side_threshold]
        )
        p_opinion = opinion_for(state.influence * alive, sides, p[Parameter.opinion_gamma])
        carried, row = _motion(
            state, PLENUM, delegates, move, proposer, targets, sides, p_opinion, row
        )
        if not carried:
            continue
        for target in targets:
            for post in range(unique_post.size):
                if holds[target, post] and (move == EXPULSION or unique_post[post]):
                    vacate(state, target, post)
                    row = write_plenum_removal(state.decision_log, row, move, target, post)
        add_tie(state.grievance, targets, proposer_side, p[Parameter.polemic_grievance])
    return row


@njit(cache=True)
def _schedule_purges(state, k, targets, beneficiary):
    """A congress defeat is followed next month by a purge of organisations that backed the losers.

    An organisation is purged when the losers hold its head post and their
    clients are a large share of its secretaries (``purge_trigger``): its
    delegation voted against the congress, as Leningrad's did in December 1925.
    """
    head_post = state.head_post
    for o in range(head_post.size):
        head = head_post[o]
        if head < 0:
            continue
        held = False
        clients = 0.0
        for target in targets:
            held = held or state.holds[target, head]
            clients += state.loyalty[o, target]
        if held and clients >= state.parameter_values[Parameter.purge_trigger]:
            state.purge_due[o] = k + 1
            state.purge_targets[o] = False
            state.purge_targets[o, targets] = True
            state.purge_beneficiary[o] = beneficiary


@njit(cache=True)
def _carry_out_purges(state, k, row):
    """The purges due this month: the losers' secretaries replaced, the head removed."""
    for o in range(state.purge_due.size):
        if state.purge_due[o] != k:
            continue
        state.purge_due[o] = -1
        targets = np.flatnonzero(state.purge_targets[o])
        beneficiary = state.purge_beneficiary[o]
        share = state.parameter_values[Parameter.purge_share]
        purge_organisation(state, o, targets, beneficiary, share)
        head = state.head_post[o]
        for target in targets:
            if state.holds[target, head]:
                vacate(state, target, head)
                row = write_purge_removal(state.decision_log, row, target, head, o)
        row = write_purge(state.decision_log, row, o, beneficiary)
    return row


@njit(cache=True)
def _fill_vacancies(state, appointer, shares, row):
    """The dominant leader fills offices vacated during the run with loyal, modest men.

    Candidates are his living, present, uncondemned allies not barred from the
    post, taken from the holders of the post's ``succession`` posts in order of
    precedence (a deputy before the Politburo; by default Politburo members,
    then candidates), and among them first those holding no other unique
    office: a dominant leader does not give a colleague a second power base.
    """
    p = state.parameter_values
    holds, alive, vacated = state.holds, state.alive, state.vacated
    for post in range(vacated.size):
        if not vacated[post]:
            continue
        filled = False
        for i in range(alive.size):
            filled = filled or (alive[i] and holds[i, post])
        if filled:
            vacated[post] = False
            continue
        lines = state.succession[post]
        chosen = choose_successor(
            post,
            lines[lines >= 0],
            appointer,
            state.affinity,
            shares,
            alive,
            state.health,
            state.condemned,
            state.barred,
            holds,
            state.unique_post,
            p[Parameter.threat_aversion],
        )
        if chosen < 0:
            continue
        holds[chosen, post] = True
        add_tie(
            state.obligation,
            np.full(1, chosen),
            np.full(1, appointer),
            p[Parameter.appointment_obligation],
        )
        vacated[post] = False
        row = write_appointment(state.decision_log, row, chosen, post, appointer)
    return row


@njit(cache=True)
def decide_month(state, k, campaign, sittings, delegates):
    """Make month ``k``'s decisions (see the module docstring for the order).

    ``state`` is the model's :class:`simulation.model.state.ModelState`, whose
    arrays are updated in place; ``sittings`` and ``delegates`` are the codes of
    the arenas other than the Politburo sitting this month, in calendar order,
    and their delegates.

    Returns:
        ``(rows, purges_next_month)``: the rows written to the state's
        ``decision_log``, and whether purges are due next month.
    """
    row = _carry_out_purges(state, k, 0)
    if campaign or sittings.size > 0 or state.vacated.any():
        shares = power_now(state)
        appointer = dominant(shares, state.alive, state.health)
        if state.vacated.any():
            row = _fill_vacancies(state, appointer, shares, row)
        if campaign:
            row = _contest(state, k, POLITBURO, 0, appointer, row)
        for s in range(sittings.size):
            if sittings[s] == PLENUM:
                row = _plenum(state, k, delegates[s], appointer, row)
            else:
                row = _contest(state, k, sittings[s], delegates[s], appointer, row)
    return row, (state.purge_due == k + 1).any()
