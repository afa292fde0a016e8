"""What the leadership decides in a month of free mode, compiled into one call.

Each month in which there is something to decide, in this order: purges
decided by last month's congress are carried out; vacant offices are filled
by the dominant leader; then the Politburo (when it campaigns this month) and
any plenum, conference or congress sitting this month hold their contest.
:mod:`simulation.decisions` says when a month has something to decide and
turns what was decided into the run's logs.

While the scenario's ``arbiter`` lives (Lenin), no Politburo member is
condemned or removed: the chapter dates the first reorganisation of power to
his death, which ended two years in which none had been possible (§The Party
and the Opposition after Lenin).

Why compiled: a month's decisions are a few dozen small array operations and
two or three votes. Made one by one from Python, their call overhead cost
more than the rest of the run; compiled, with the votes drawn from the model's
generator through :class:`simulation.random_source.GeneratorRef`, they cost a
few microseconds. Every rule is one of the tested functions of
:mod:`simulation.mechanisms`; this module fixes their order and their effects.

What was decided is written as rows of integers, ``(kind, a, b, c, d, e, f)``
with the kinds below, into a buffer the caller owns.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
from numba import njit

from simulation.mechanisms.alliances import add_tie
from simulation.mechanisms.contests import (
    Move,
    choose_successor,
    expected_delegate_share,
    expected_member_share,
    plan_motion,
    plenum_moves,
)
from simulation.mechanisms.influence import blame, shock
from simulation.mechanisms.membership import delegate_counts, delegate_discipline
from simulation.mechanisms.patronage import apparatus_shares, purge
from simulation.mechanisms.power import dominant, post_prestige, power_shares
from simulation.mechanisms.voting import (
    delegate_vote,
    leader_sides,
    member_vote,
    opinion_for,
    present_holders,
)
from simulation.scenario.schema import Arena

if TYPE_CHECKING:
    from simulation.scenario.schema import Parameters

ARENAS = list(Arena)
"""Arena codes are positions in this list."""
POLITBURO = ARENAS.index(Arena.POLITBURO)
PLENUM = ARENAS.index(Arena.PLENUM)
CONGRESS = ARENAS.index(Arena.CONGRESS)

MOVES = list(Move)
"""Move codes are positions in this list."""
CAMPAIGN = MOVES.index(Move.CAMPAIGN)
CONDEMNATION = MOVES.index(Move.CONDEMNATION)
REMOVAL = MOVES.index(Move.REMOVAL)
EXPULSION = MOVES.index(Move.EXPULSION)

# Kinds of decision rows and what their columns a, b, c, d, e, f hold.
PURGE_REMOVAL = 0  # leader, post, organisation: the purged organisation's head loses his post
PURGE = 1  # organisation, beneficiary
APPOINTMENT = 2  # appointee, post, appointer
VOTE_TARGET = 3  # leader: one target of the vote row that follows
VOTE = 4  # arena, move, proposer, votes for, votes against, carried
SANCTION = 5  # arena, move, proposer, target: a carried campaign or condemnation
PLENUM_REMOVAL = 6  # move, leader, post
LOG_WIDTH = 7

DECISION_PARAMETERS = (
    "hostility",
    "side_threshold",
    "ally_threshold",
    "opinion_gamma",
    "move_threshold",
    "campaign_size",
    "condemnation_size",
    "polemic_grievance",
    "appointment_obligation",
    "removal_delay",
    "removal_threshold",
    "expulsion_threshold",
    "purge_trigger",
    "purge_share",
    "threat_aversion",
    "discipline",
    "recruit_discipline",
    "plenum_discipline",
    "power_influence_weight",
    "power_apparatus_weight",
    "power_posts_weight",
)
"""The scenario parameters decisions read, in the order of :func:`decision_parameters`."""
(
    _HOSTILITY,
    _SIDE_THRESHOLD,
    _ALLY_THRESHOLD,
    _OPINION_GAMMA,
    _MOVE_THRESHOLD,
    _CAMPAIGN_SIZE,
    _CONDEMNATION_SIZE,
    _POLEMIC_GRIEVANCE,
    _APPOINTMENT_OBLIGATION,
    _REMOVAL_DELAY,
    _REMOVAL_THRESHOLD,
    _EXPULSION_THRESHOLD,
    _PURGE_TRIGGER,
    _PURGE_SHARE,
    _THREAT_AVERSION,
    _DISCIPLINE,
    _RECRUIT_DISCIPLINE,
    _PLENUM_DISCIPLINE,
    _POWER_INFLUENCE,
    _POWER_APPARATUS,
    _POWER_POSTS,
) = range(len(DECISION_PARAMETERS))


def decision_parameters(parameters: Parameters) -> np.ndarray:
    """The parameters as one float array, which a compiled call takes at no cost."""
    return np.array([getattr(parameters, name) for name in DECISION_PARAMETERS], dtype=float)


def log_rows(leaders: int, posts: int, organisations: int, sittings: int) -> int:
    """Rows a month can write at most: every purge, vacancy and motion with every target."""
    per_motion = 2 * leaders + 1
    purges = organisations * (leaders + 1)
    plenum = 2 * (per_motion + leaders * posts)
    return purges + posts + (sittings + 1) * per_motion + sittings * plenum


@njit(cache=True)
def _write(log, row, kind, a=0, b=0, c=0, d=0, e=0, f=0):
    log[row, 0] = kind
    log[row, 1] = a
    log[row, 2] = b
    log[row, 3] = c
    log[row, 4] = d
    log[row, 5] = e
    log[row, 6] = f
    return row + 1


@njit(cache=True)
def delegation(arena, delegates, organisations, p):
    """Who votes in a delegate arena: ``(delegates, loyalty, discipline)`` per body.

    A plenum is one body following the Central Committee elected at the last
    congress; conferences and congresses draw delegates by membership, and
    recruits follow the apparatus more readily than old members.
    """
    members, recruits, loyalty, plenum_loyalty, _ = organisations
    if arena == PLENUM:
        return (
            np.full(1, delegates, dtype=np.int64),
            plenum_loyalty,
            np.full(1, p[_PLENUM_DISCIPLINE]),
        )
    return (
        delegate_counts(delegates, members),
        loyalty,
        delegate_discipline(members, recruits, p[_DISCIPLINE], p[_RECRUIT_DISCIPLINE]),
    )


@njit(cache=True)
def expected_share(arena, delegates, sides, p_opinion, offices, organisations, politburo_post, p):
    """The share of the arena's votes a motion can expect (what a challenger counts on)."""
    holds, _, _, alive, health, _, _, _ = offices
    if arena == POLITBURO:
        voters = present_holders(holds, politburo_post, alive, health)
        return expected_member_share(sides[voters], p_opinion)
    counts, loyalty, discipline = delegation(arena, delegates, organisations, p)
    return expected_delegate_share(counts, loyalty, discipline, sides, p_opinion)


@njit(cache=True)
def vote(source, arena, delegates, sides, p_opinion, offices, organisations, politburo_post, p):
    """Count a motion in an arena: the Politburo's present members, or delegates."""
    holds, _, _, alive, health, _, _, _ = offices
    if arena == POLITBURO:
        voters = present_holders(holds, politburo_post, alive, health)
        return member_vote(source, voters, sides, p_opinion)
    counts, loyalty, discipline = delegation(arena, delegates, organisations, p)
    return delegate_vote(source, counts, loyalty, discipline, sides, p_opinion)


@njit(cache=True)
def _motion(
    source,
    arena,
    delegates,
    move,
    proposer,
    targets,
    sides,
    p_opinion,
    offices,
    organisations,
    politburo_post,
    p,
    log,
    row,
):
    """Put a motion to the vote and log it; returns whether it carried, and the next row."""
    for target in targets:
        row = _write(log, row, VOTE_TARGET, target)
    votes_for, votes_against = vote(
        source, arena, delegates, sides, p_opinion, offices, organisations, politburo_post, p
    )
    carried = votes_for > votes_against
    row = _write(log, row, VOTE, arena, move, proposer, votes_for, votes_against, carried)
    return carried, row


@njit(cache=True)
def _contest(
    source,
    k,
    arena,
    delegates,
    proposer,
    offices,
    standing,
    ties,
    organisations,
    verdicts,
    politburo_post,
    arbiter,
    p,
    log,
    row,
):
    """Campaign (Politburo) or condemnation (conference, congress) against the main rival."""
    holds, unique_post, _, alive, _, _, _, _ = offices
    influence, record, apparatus = standing
    affinity, grievance, _ = ties
    condemned, condemned_since, _, _, _ = verdicts
    politburo = arena == POLITBURO
    if not politburo and arbiter >= 0 and alive[arbiter]:
        return row
    rival, targets, sides, p_opinion = plan_motion(
        affinity,
        apparatus,
        influence,
        alive,
        condemned,
        holds,
        unique_post,
        proposer,
        not politburo,
        p[_HOSTILITY],
        p[_SIDE_THRESHOLD],
        p[_ALLY_THRESHOLD],
        p[_OPINION_GAMMA],
    )
    if rival < 0:
        return row
    share = expected_share(
        arena, delegates, sides, p_opinion, offices, organisations, politburo_post, p
    )
    if share < p[_MOVE_THRESHOLD]:
        return row
    move = CAMPAIGN if politburo else CONDEMNATION
    carried, row = _motion(
        source,
        arena,
        delegates,
        move,
        proposer,
        targets,
        sides,
        p_opinion,
        offices,
        organisations,
        politburo_post,
        p,
        log,
        row,
    )
    if not carried:
        return row
    size = p[_CAMPAIGN_SIZE] if move == CAMPAIGN else p[_CONDEMNATION_SIZE]
    shock(influence, record, targets, alive, -size)
    add_tie(grievance, targets, np.full(1, proposer), p[_POLEMIC_GRIEVANCE])
    for target in targets:
        row = _write(log, row, SANCTION, arena, move, proposer, target)
    if move == CONDEMNATION:
        for target in targets:
            if not condemned[target]:
                condemned_since[target] = k
            condemned[target] = True
        if arena == CONGRESS:
            _schedule_purges(k, targets, proposer, offices, organisations, verdicts, p)
    return row


@njit(cache=True)
def _plenum(
    source,
    k,
    delegates,
    proposer,
    offices,
    standing,
    ties,
    organisations,
    verdicts,
    politburo_post,
    arbiter,
    p,
    log,
    row,
):
    """Strip condemned, diminished rivals of their posts, one motion per kind of move.

    Only rivals condemned at least ``removal_delay`` months ago are ripe: a
    leader is not stripped of office the day he is condemned.
    """
    holds, unique_post, _, alive, _, _, _, vacated = offices
    influence = standing[0]
    affinity, grievance, _ = ties
    condemned, condemned_since, _, _, _ = verdicts
    if (arbiter >= 0 and alive[arbiter]) or not condemned.any():
        return row
    removals, expulsions, removals_first = plenum_moves(
        holds,
        unique_post,
        alive,
        condemned_since,
        influence,
        k,
        proposer,
        p[_REMOVAL_DELAY],
        p[_REMOVAL_THRESHOLD],
        p[_EXPULSION_THRESHOLD],
    )
    proposer_side = np.full(1, proposer)
    for turn in range(2):
        move = REMOVAL if (turn == 0) == removals_first else EXPULSION
        targets = removals if move == REMOVAL else expulsions
        if targets.size == 0:
            continue
        sides = leader_sides(affinity, alive, proposer_side, targets, p[_SIDE_THRESHOLD])
        p_opinion = opinion_for(influence * alive, sides, p[_OPINION_GAMMA])
        carried, row = _motion(
            source,
            PLENUM,
            delegates,
            move,
            proposer,
            targets,
            sides,
            p_opinion,
            offices,
            organisations,
            politburo_post,
            p,
            log,
            row,
        )
        if not carried:
            continue
        for target in targets:
            for post in range(unique_post.size):
                if holds[target, post] and (move == EXPULSION or unique_post[post]):
                    holds[target, post] = False
                    if unique_post[post]:
                        vacated[post] = True
                    row = _write(log, row, PLENUM_REMOVAL, move, target, post)
        add_tie(grievance, targets, proposer_side, p[_POLEMIC_GRIEVANCE])
    return row


@njit(cache=True)
def _schedule_purges(k, targets, beneficiary, offices, organisations, verdicts, p):
    """A congress defeat is followed next month by a purge of organisations that backed the losers.

    An organisation is purged when the losers hold its head post and their
    clients are a large share of its secretaries (``purge_trigger``): its
    delegation voted against the congress, as Leningrad's did in December 1925.
    """
    holds = offices[0]
    loyalty, head_post = organisations[2], organisations[4]
    _, _, purge_due, purge_targets, purge_beneficiary = verdicts
    for o in range(head_post.size):
        head = head_post[o]
        if head < 0:
            continue
        held = False
        clients = 0.0
        for target in targets:
            held = held or holds[target, head]
            clients += loyalty[o, target]
        if held and clients >= p[_PURGE_TRIGGER]:
            purge_due[o] = k + 1
            purge_targets[o] = False
            purge_targets[o, targets] = True
            purge_beneficiary[o] = beneficiary


@njit(cache=True)
def _carry_out_purges(k, offices, standing, organisations, verdicts, p, log, row):
    """The purges due this month: the losers' secretaries replaced, the head removed."""
    holds, unique_post, _, _, _, _, _, vacated = offices
    apparatus = standing[2]
    members, _, loyalty, _, head_post = organisations
    _, _, purge_due, purge_targets, purge_beneficiary = verdicts
    for o in range(purge_due.size):
        if purge_due[o] != k:
            continue
        purge_due[o] = -1
        targets = np.flatnonzero(purge_targets[o])
        beneficiary = purge_beneficiary[o]
        purge(loyalty, o, targets, beneficiary, p[_PURGE_SHARE])
        apparatus[:] = apparatus_shares(loyalty, members)
        head = head_post[o]
        for target in targets:
            if holds[target, head]:
                holds[target, head] = False
                if unique_post[head]:
                    vacated[head] = True
                row = _write(log, row, PURGE_REMOVAL, target, head, o)
        row = _write(log, row, PURGE, o, beneficiary)
    return row


@njit(cache=True)
def _fill_vacancies(appointer, shares, offices, ties, verdicts, p, log, row):
    """The dominant leader fills offices vacated during the run with loyal, modest men.

    Candidates are his living, present, uncondemned allies not barred from the
    post, taken from the holders of the post's ``succession`` posts in order of
    precedence (a deputy before the Politburo; by default Politburo members,
    then candidates), and among them first those holding no other unique
    office: a dominant leader does not give a colleague a second power base.
    """
    holds, unique_post, _, alive, health, barred, succession, vacated = offices
    affinity, _, obligation = ties
    condemned = verdicts[0]
    for post in range(vacated.size):
        if not vacated[post]:
            continue
        filled = False
        for i in range(alive.size):
            filled = filled or (alive[i] and holds[i, post])
        if filled:
            vacated[post] = False
            continue
        lines = succession[post]
        chosen = choose_successor(
            post,
            lines[lines >= 0],
            appointer,
            affinity,
            shares,
            alive,
            health,
            condemned,
            barred,
            holds,
            unique_post,
            p[_THREAT_AVERSION],
        )
        if chosen < 0:
            continue
        holds[chosen, post] = True
        add_tie(obligation, np.full(1, chosen), np.full(1, appointer), p[_APPOINTMENT_OBLIGATION])
        vacated[post] = False
        row = _write(log, row, APPOINTMENT, chosen, post, appointer)
    return row


@njit(cache=True)
def _decide(
    source,
    k,
    campaign,
    sittings,
    delegates,
    offices,
    standing,
    ties,
    organisations,
    verdicts,
    politburo_post,
    arbiter,
    p,
    log,
):
    holds, _, prestige, alive, health, _, _, vacated = offices
    influence, _, apparatus = standing
    row = _carry_out_purges(k, offices, standing, organisations, verdicts, p, log, 0)
    if campaign or sittings.size > 0 or vacated.any():
        shares = power_shares(
            influence,
            apparatus,
            post_prestige(holds, prestige),
            alive,
            (p[_POWER_INFLUENCE], p[_POWER_APPARATUS], p[_POWER_POSTS]),
        )
        appointer = dominant(shares, alive, health)
        if vacated.any():
            row = _fill_vacancies(appointer, shares, offices, ties, verdicts, p, log, row)
        if campaign:
            row = _contest(
                source,
                k,
                POLITBURO,
                0,
                appointer,
                offices,
                standing,
                ties,
                organisations,
                verdicts,
                politburo_post,
                arbiter,
                p,
                log,
                row,
            )
        for s in range(sittings.size):
            if sittings[s] == PLENUM:
                row = _plenum(
                    source,
                    k,
                    delegates[s],
                    appointer,
                    offices,
                    standing,
                    ties,
                    organisations,
                    verdicts,
                    politburo_post,
                    arbiter,
                    p,
                    log,
                    row,
                )
            else:
                row = _contest(
                    source,
                    k,
                    sittings[s],
                    delegates[s],
                    appointer,
                    offices,
                    standing,
                    ties,
                    organisations,
                    verdicts,
                    politburo_post,
                    arbiter,
                    p,
                    log,
                    row,
                )
    return row, (verdicts[2] == k + 1).any(), vacated.any()


@njit(cache=True)
def _offices(state):
    return (
        state.holds,
        state.unique_post,
        state.prestige,
        state.alive,
        state.health,
        state.barred,
        state.succession,
        state.vacated,
    )


@njit(cache=True)
def _organisations(state):
    return (
        state.members,
        state.recruits,
        state.loyalty,
        state.plenum_loyalty,
        state.head_post,
    )


@njit(cache=True)
def decide_month(state, k, campaign, sittings, delegates):
    """Make month ``k``'s decisions (see the module docstring for the order).

    ``state`` is the model's :class:`simulation.model_state.ModelState`, whose
    arrays are updated in place; ``sittings`` and ``delegates`` are the codes of
    the arenas other than the Politburo sitting this month, in calendar order,
    and their delegates.

    Returns:
        ``(rows, purges_next_month, vacancy_open)``: the rows written to the
        state's ``decision_log``, whether purges are due next month and whether
        an office stays vacant.
    """
    return _decide(
        state.source,
        k,
        campaign,
        sittings,
        delegates,
        _offices(state),
        (state.influence, state.record, state.apparatus),
        (state.affinity, state.grievance, state.obligation),
        _organisations(state),
        (
            state.condemned,
            state.condemned_since,
            state.purge_due,
            state.purge_targets,
            state.purge_beneficiary,
        ),
        state.politburo_post,
        state.arbiter,
        state.decision_parameters,
        state.decision_log,
    )


@njit(cache=True)
def count_vote(state, arena, delegates, sponsors, targets):
    """Count a motion of a scenario event: ``(votes_for, votes_against)`` (see :func:`vote`)."""
    p = state.decision_parameters
    alive = state.alive
    sides = leader_sides(state.affinity, alive, sponsors, targets, p[_SIDE_THRESHOLD])
    p_opinion = opinion_for(state.influence * alive, sides, p[_OPINION_GAMMA])
    return vote(
        state.source,
        arena,
        delegates,
        sides,
        p_opinion,
        _offices(state),
        _organisations(state),
        state.politburo_post,
        p,
    )


@njit(cache=True)
def pin_blame(state, posts, sizes):
    """The leadership pins a failure on the holders of the answerable posts.

    The most powerful leader pins it (see
    :func:`simulation.mechanisms.influence.blame`), and the blamed resent him
    as they would an attack.
    """
    p = state.decision_parameters
    shares = power_shares(
        state.influence,
        state.apparatus,
        post_prestige(state.holds, state.prestige),
        state.alive,
        (p[_POWER_INFLUENCE], p[_POWER_APPARATUS], p[_POWER_POSTS]),
    )
    blame(
        state.influence,
        state.record,
        state.grievance,
        state.holds,
        state.alive,
        np.argmax(shares),
        posts,
        sizes,
        p[_POLEMIC_GRIEVANCE],
    )
