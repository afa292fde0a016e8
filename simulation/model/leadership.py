"""What every leader does in a month of free mode, compiled into one call.

Each month in which there is something to decide (:mod:`.month` says when), in
this order: purges decided by last month's congress are carried out
(:mod:`.purges`); offices are filled (:mod:`.offices`); then the Politburo
(when it campaigns this month) and any plenum, conference or congress sitting
this month. The first plenum after a congress elects the bodies: their empty
seats are filled then (:func:`elects`). At a plenum, conference or congress,
those hostile to the strongest may first speak out and be answered
(:func:`_voice`); then every present leader weighs a motion against his rival
(:func:`_plan`) and the sitting takes one or none (:func:`_choose`), at a
conference or congress only
if no speaker was answered.
:mod:`simulation.model.decisions` turns what was decided into the run's logs.

While the scenario's ``arbiter`` lives (Lenin), no rival is condemned or
removed: the chapter dates the first reorganisation of power to his death,
which ended two years in which none had been possible (§The Party and the
Opposition after Lenin). Partners may still take the chief appointer's offices
from one much weaker than they are, or from one who has outgrown them, as
Lenin's postscript asked of Stalin's; the arbiter himself, at work again, may
too, whatever enemy he and the chief appointer share.

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

from simulation.mechanisms.agency import (
    anticipate,
    carry_probability,
    choose_motion,
    motion_utility,
    office_gain,
    rival_gain,
)
from simulation.mechanisms.alliances import add_tie, open_breach
from simulation.mechanisms.contests import (
    Move,
    choose_office_holder,
    choose_rival,
    commanding_office,
    motion_targets,
    open_to_verdict,
    plenum_moves,
    rival_eligibility,
    still_standing,
    whose_verdict,
)
from simulation.mechanisms.influence import shock
from simulation.mechanisms.patronage import appointing_reach
from simulation.mechanisms.positions import failure_to_answer, failure_weight
from simulation.mechanisms.power import dominant
from simulation.mechanisms.voice import speakers, voice_pressure
from simulation.mechanisms.voting import AGAINST, leader_sides, opinion_for
from simulation.model.actions import mark_condemned, power_now, vacate
from simulation.model.offices import (
    enlarge_politburo,
    fill_seats,
    fill_vacancies,
    take_over_organisations,
)
from simulation.model.parameters import Parameter
from simulation.model.purges import carry_out_purges, schedule_purges
from simulation.model.rows import (
    write_appeal,
    write_plenum_removal,
    write_sanction,
    write_vote,
    write_vote_target,
)
from simulation.model.votes import (
    CONGRESS,
    PLENUM,
    POLITBURO,
    share_and_spread,
    sitting,
    vote,
)

MOVES = list(Move)
"""Move codes are positions in this list."""
CAMPAIGN = MOVES.index(Move.CAMPAIGN)
CONDEMNATION = MOVES.index(Move.CONDEMNATION)
REMOVAL = MOVES.index(Move.REMOVAL)
EXPULSION = MOVES.index(Move.EXPULSION)


def log_rows(leaders: int, posts: int, organisations: int, sittings: int, factions: int) -> int:
    """Rows a month can write at most.

    Every purge, vacancy and motion with every target, and every faction formed
    or dissolved (:func:`simulation.model.month.advance_month`).
    """
    per_motion = 2 * leaders + 1
    purges = organisations * (leaders + 2)
    plenum = 2 * (per_motion + leaders * posts)
    appeals = sittings * (leaders + per_motion)
    return purges + 2 * posts + (sittings + 1) * per_motion + sittings * plenum + appeals + factions


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
def _rivals(state, arena, eligible, shares, reach, members, hostility, margin, provocation, truce):
    """Whom each leader present would move against: (n,) leaders, -1 for no one or absent.

    Given the offices' ``reach``, the holder of those most worth taking
    (:func:`simulation.mechanisms.contests.choose_office_holder`; during the
    arbiter's ``truce``, only a partner; ``members`` hold a Politburo seat);
    else his rival (:func:`simulation.mechanisms.contests.choose_rival`). In the
    Politburo only its members move. The parameters come from the sitting, read
    once for all its leaders. One call for them all, not one a leader: each
    compiled call counts a reference to every array it is given, an atomic
    increment and decrement (``benchmarks/README.md``).
    """
    affinity, apparatus, alive, health = state.affinity, state.apparatus, state.alive, state.health
    obligation, grievance = state.obligation, state.grievance  # read once, not once a leader
    rivals = np.full(alive.size, -1)
    standing = np.zeros(0, dtype=np.bool_)  # read only by the office motion's choice
    if reach.size > 0:
        standing = still_standing(alive, state.condemned, state.holds, state.unique_post)
    for i in range(alive.size):
        present = alive[i] and health[i] >= 0.5
        if not present or (arena == POLITBURO and not members[i]):
            continue
        if reach.size > 0:
            rivals[i] = choose_office_holder(
                affinity,
                reach,
                shares,
                eligible,
                members,
                standing,
                obligation,
                grievance,
                i,
                hostility,
                margin,
                provocation,
                not truce,
                state.arbiter,
            )
        else:
            rivals[i] = choose_rival(affinity, apparatus, eligible, i, hostility)
    return rivals


@njit(cache=True)
def _plan(leaders, arena, view, proposer, rival, shares, with_allies, reach, sides):
    """What moving against ``rival`` is worth to a leader: ``(utility, targets, sides, opinion)``.

    The motion's targets and sides are those of
    :func:`simulation.mechanisms.contests.motion_targets`; the supporters then
    anticipate (:func:`simulation.mechanisms.agency.anticipate`); the expected
    share and its spread at the sitting (``view``: :func:`.votes.sitting` and the
    leaders' standing) give the chance of carrying, and the utility weighs the
    gain against the costs of failing and of waiting. A motion whose expected
    share is below ``move_threshold`` is not considered (utility -1). Given
    ``reach`` (each leader's
    :func:`simulation.mechanisms.patronage.appointing_reach`), the motion is to
    take the rival's appointing offices, and what the proposer's side would fill
    them with counts in the gain (:func:`simulation.mechanisms.agency.office_gain`).
    The sides are written into ``sides``, which the sitting's plans share.
    ``leaders`` holds the state's parameters, affinities, living and grievances,
    read once by the sitting (:func:`_choose`): each read of the state's arrays
    counts a reference, and a sitting draws up a plan for every leader present.
    """
    p, affinity, alive, grievance = leaders
    targets = motion_targets(
        sides,
        affinity,
        alive,
        proposer,
        rival,
        with_allies,
        p[Parameter.side_threshold],
        p[Parameter.ally_threshold],
    )
    anticipate(
        sides,
        affinity,
        shares,
        proposer,
        targets,
        p[Parameter.anticipation],
        p[Parameter.ally_threshold],
    )
    voters, counts, loyalty, discipline, standing = view
    p_opinion = opinion_for(standing, sides, p[Parameter.opinion_gamma])
    share, spread = share_and_spread(arena, voters, counts, loyalty, discipline, sides, p_opinion)
    if share < p[Parameter.move_threshold]:
        return -1.0, targets, sides, p_opinion
    gain = rival_gain(shares, affinity, sides, proposer, targets)
    if reach.size > 0:
        gain += office_gain(shares, sides, proposer, reach[rival], p[Parameter.office_value])
    waiting = p[Parameter.waiting_cost] * grievance[proposer, rival]
    utility = motion_utility(
        carry_probability(share, spread), gain, p[Parameter.failure_cost], waiting
    )
    return utility, targets, sides, p_opinion


@njit(cache=True)
def _choose(state, arena, delegates, shares, with_allies, office):
    """Every leader present weighs his motion; the sitting takes one, or none (proposer -1).

    In the Politburo only its members move; at a plenum, conference or congress any
    present leader may. Each picks whom he would move against once (:func:`_rivals`);
    one with no one has no motion to weigh. With ``office``, the motions are to take
    a colleague's appointing offices.

    Returns ``(proposer, targets, sides, p_opinion)`` of the motion taken
    (:func:`simulation.mechanisms.agency.choose_motion`).
    """
    p = state.parameter_values
    view = (*sitting(state, arena, delegates), state.influence * state.alive)
    eligible = rival_eligibility(state.alive, state.condemned, state.holds)
    reach = np.zeros(0)
    if office:
        eligible &= ~state.condemned
        reach = appointing_reach(
            state.holds, state.unique_post, state.patronage_reach, state.members
        )
    n = state.alive.size
    hostility, margin = p[Parameter.hostility], p[Parameter.partner_margin]
    truce = _truce(state)
    leaders = (p, state.affinity, state.alive, state.grievance)
    politburo = state.politburo_post
    members = np.zeros(n, dtype=np.bool_)
    if politburo >= 0:
        members[:] = state.holds[:, politburo]
    utilities = np.full(n, -1.0)
    provocation = p[Parameter.fear_provocation]
    rivals = _rivals(
        state, arena, eligible, shares, reach, members, hostility, margin, provocation, truce
    )
    sides = np.empty(n, dtype=np.int64)  # each plan's, then the chosen motion's
    for i in range(n):
        if rivals[i] >= 0:
            plan = _plan(leaders, arena, view, i, rivals[i], shares, with_allies, reach, sides)
            utilities[i] = plan[0]
    proposer = choose_motion(state.source, utilities, p[Parameter.choice_temperature])
    if proposer < 0:
        return proposer, np.zeros(0, dtype=np.int64), np.zeros(n, dtype=np.int64), 0.5
    _, targets, sides, p_opinion = _plan(
        leaders, arena, view, proposer, rivals[proposer], shares, with_allies, reach, sides
    )
    return proposer, targets, sides, p_opinion


@njit(cache=True)
def _contest(state, k, arena, delegates, shares, row):
    """Campaign (Politburo) or condemnation (conference, congress): who moves, and against whom.

    Every present leader weighs moving against his rival (:func:`_plan`);
    at a conference or congress only in the wake of a failure of the line
    (:func:`simulation.mechanisms.positions.failure_to_answer`). The sitting
    takes one motion by a logit choice
    (:func:`simulation.mechanisms.agency.choose_motion`), or none, and puts it
    to the vote (:func:`_put_to_vote`).
    """
    politburo = arena == POLITBURO
    if not politburo and (_truce(state) or not failure_to_answer(state.failed_in[0], k)):
        return row
    proposer, targets, sides, p_opinion = _choose(
        state, arena, delegates, shares, not politburo, False
    )
    if proposer < 0:
        return row
    move = CAMPAIGN if politburo else CONDEMNATION
    return _put_to_vote(state, k, arena, delegates, move, proposer, targets, sides, p_opinion, row)


@njit(cache=True)
def _put_to_vote(state, k, arena, delegates, move, proposer, targets, sides, p_opinion, row):
    """Vote on a campaign or condemnation: sanction its targets if it carries, else cost its mover.

    A carried motion does what :func:`sanction` says; a defeated one costs its
    proposer ``failure_cost`` of standing (:func:`_failed`). The contest's motion
    and the strongest's answer to a speaker go through here alike.
    """
    carried, row = _motion(state, arena, delegates, move, proposer, targets, sides, p_opinion, row)
    if not carried:
        _failed(state, proposer)
        return row
    return sanction(state, k, arena, move, proposer, targets, sides, row)


@njit(cache=True)
def sanction(state, k, arena, move, proposer, targets, sides, row):
    """What a carried campaign or condemnation does to its targets, logged.

    It costs them standing, leaves them aggrieved and breaks the proposer's bond
    with them at once (:func:`simulation.mechanisms.alliances.open_breach`); a
    condemnation does the same with the leader behind its majority when another
    moved it (:func:`simulation.mechanisms.contests.whose_verdict`), breaks the
    bond of every other leader who did not vote against it with them (speaking for
    a verdict is an open act: after the 14th Congress its speakers, Bukharin first,
    were the Leningrad leaders' enemies, and Tomsky sat in the delegation that purged
    Leningrad; a leader who took no side goes with the verdict once it is carried,
    as the unaligned delegates do; the grievance still falls on the mover and the
    strongest alone), marks them
    condemned, remembers who voted for it (``denounced``: the enemies a later
    bloc unites), and a congress's schedules the purge of their organisations
    and enlarges the Politburo. A target
    already condemned who has since joined another defeated opposition is
    marked condemned with his bloc (``bloc_condemned``): its verdict is not
    repeated either.
    """
    p = state.parameter_values
    size = p[Parameter.campaign_size] if move == CAMPAIGN else p[Parameter.condemnation_size]
    shock(state.influence, state.record, targets, state.alive, -size)
    answerable = np.full(1, proposer)
    if move == CONDEMNATION:
        leader = whose_verdict(sides, state.power, state.alive)
        if leader >= 0 and leader != proposer:
            answerable = np.array([proposer, leader])
    add_tie(state.grievance, targets, answerable, p[Parameter.polemic_grievance])
    # A campaign breaks its mover's bond alone; a verdict, that of every leader not
    # against it, the answerable among them (the mover and the leader are for it).
    breakers = answerable
    if move == CONDEMNATION:
        breakers = np.flatnonzero((sides != AGAINST) & state.alive)
    for attacker in breakers:
        open_breach(state.affinity, targets, attacker, p[Parameter.polemic_grievance])
    for target in targets:
        row = write_sanction(state.decision_log, row, arena, move, proposer, target)
    if move == CONDEMNATION:
        mark_condemned(state, k, targets, sides)
        if arena == CONGRESS:
            schedule_purges(state, k, targets, sides, proposer)
            enlarge_politburo(state)
    return row


@njit(cache=True)
def _voice(state, k, arena, delegates, shares, strongest, row):
    """Who speaks out against the strongest at this sitting, and the majority's answer.

    Each present leader hostile to the strongest speaks with probability
    ``voice_rate`` times his pressure (:func:`simulation.mechanisms.voice.voice_pressure`).
    A condemned speaker has ``defied`` his verdict: a plenum may take his seat
    at once, if he is in a bloc of the defeated, while his offices still wait
    ``removal_delay`` (:func:`simulation.mechanisms.contests.plenum_moves`).
    The strongest answers the most pressed speaker not yet condemned with a
    motion to condemn him and those close enough to share his fate: the
    sitting's one motion of condemnation. A verdict is not repeated on a man
    already condemned: his voice is defiance, answered by the verdict's
    conclusions (his seat) rather than by another verdict, which would strip him
    of standing at every sitting he spoke at; once more only, with the bloc he
    has joined since, and by a conference or congress, not a plenum
    (:func:`simulation.mechanisms.contests.open_to_verdict`). While
    the arbiter lives, leaders may speak out (the Declaration of the 46 was
    made in his lifetime), but no one is condemned.

    Returns:
        ``(row, answered)``: the next row, and whether a motion answered a speaker.
    """
    p = state.parameter_values
    if strongest < 0:
        return row, False
    alive = state.alive
    present = alive & (state.health >= 0.5)
    standing = still_standing(alive, state.condemned, state.holds, state.unique_post)
    failure = failure_weight(state.failed_in[0], k, p[Parameter.failure_salience])
    pressure = voice_pressure(
        state.grievance,
        state.affinity,
        shares,
        standing,
        present,
        strongest,
        state.stance,
        failure,
    )
    speak = speakers(state.source, pressure, p[Parameter.voice_rate])
    if not speak.any():
        return row, False
    loudest = -1
    for i in range(speak.size):
        if speak[i]:
            row = write_appeal(state.decision_log, row, arena, i)
            state.defied[i] |= state.condemned[i]
            state.spoke_in[i] = k
            fresh = open_to_verdict(
                i,
                state.condemned,
                state.bloc_condemned,
                state.affinity,
                state.condemned_since,
                state.denounced,
                alive,
                p[Parameter.ally_threshold],
                arena != PLENUM,
            )
            if fresh and (loudest < 0 or pressure[i] > pressure[loudest]):
                loudest = i
    if _truce(state) or loudest < 0:
        return row, False
    sides = np.empty(alive.size, dtype=np.int64)
    targets = motion_targets(
        sides,
        state.affinity,
        alive,
        strongest,
        loudest,
        True,
        p[Parameter.side_threshold],
        p[Parameter.ally_threshold],
    )
    p_opinion = opinion_for(state.influence * alive, sides, p[Parameter.opinion_gamma])
    row = _put_to_vote(
        state, k, arena, delegates, CONDEMNATION, strongest, targets, sides, p_opinion, row
    )
    return row, True


@njit(cache=True)
def _plenum(state, k, delegates, proposer, row):
    """Strip condemned, diminished rivals of their posts, one motion per kind of move.

    A removal takes one executive office a plenum, the one commanding most
    (:func:`simulation.mechanisms.contests.commanding_office`); an expulsion
    his seat and every post left.

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
        state.defied,
        state.purged_in,
        state.influence,
        k,
        proposer,
        p[Parameter.removal_delay],
        p[Parameter.removal_threshold],
        p[Parameter.expulsion_threshold],
        state.affinity,
        p[Parameter.ally_threshold],
        state.apparatus,
        state.denounced,
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
            if move == REMOVAL:
                post = commanding_office(
                    holds[target], unique_post, state.patronage_reach, state.members
                )
                vacate(state, target, post)
                row = write_plenum_removal(state.decision_log, row, move, target, post)
                continue
            for post in range(unique_post.size):
                if holds[target, post]:
                    vacate(state, target, post)
                    row = write_plenum_removal(state.decision_log, row, move, target, post)
        add_tie(state.grievance, targets, proposer_side, p[Parameter.polemic_grievance])
    return row


@njit(cache=True)
def _office_motion(state, delegates, shares, row):
    """A plenum may take his appointing offices from a colleague who has not been condemned.

    Every present leader weighs it (:func:`_plan` with ``office``); the plenum
    takes one motion by logit choice, or none. This is the motion the
    General Secretary's colleagues could have carried: the cave proposal of
    1923 to put the Secretariat under a collective, Lenin's postscript asking
    that Stalin be moved, Kamenev's call at the 14th Congress. If it carries,
    the rival's appointing offices fall vacant and the proposer's side fills
    them (:func:`.offices.fill_vacancies`); if it fails, the proposer pays
    ``failure_cost``.
    """
    p = state.parameter_values
    proposer, targets, sides, p_opinion = _choose(state, PLENUM, delegates, shares, False, True)
    if proposer < 0:
        return row
    carried, row = _motion(
        state, PLENUM, delegates, REMOVAL, proposer, targets, sides, p_opinion, row
    )
    if not carried:
        _failed(state, proposer)
        return row
    for target in targets:
        for post in range(state.unique_post.size):
            appoints = state.patronage_reach[post].sum() > 0
            if state.holds[target, post] and state.unique_post[post] and appoints:
                vacate(state, target, post)
                state.vacated_by[post] = proposer
                row = write_plenum_removal(state.decision_log, row, REMOVAL, target, post)
    add_tie(state.grievance, targets, np.full(1, proposer), p[Parameter.polemic_grievance])
    return row


@njit(cache=True)
def _failed(state, proposer):
    """A defeated proposer loses ``failure_cost`` of standing, for good."""
    cost = state.parameter_values[Parameter.failure_cost]
    shock(state.influence, state.record, np.full(1, proposer), state.alive, -cost)


@njit(cache=True)
def elects(state, arena):
    """Whether a sitting of ``arena`` elects the bodies: the first plenum after a congress.

    A congress elects the Central Committee, whose first plenum elects the
    Politburo and the other bodies; between congresses a seat emptied by death
    or expulsion stays empty. Lenin's seat, empty from January 1924, went to
    Bukharin at the plenum after the 13th Congress (June 1924), and the seats
    the 14th Congress's winners added were filled at the plenum of January
    1926. Called for every sitting, in every mode, so that a run branching
    from history knows whether its next plenum elects.
    """
    if arena == CONGRESS:
        state.elections_due[0] = True
    elif arena == PLENUM and state.elections_due[0]:
        state.elections_due[0] = False
        return True
    return False


@njit(cache=True)
def decide_month(state, k, campaign, sittings, delegates):
    """Make month ``k``'s decisions (see the module docstring for the order).

    ``state`` is the model's :class:`simulation.model.state.ModelState`, whose
    arrays are updated in place; ``sittings`` and ``delegates`` are the codes of
    the arenas other than the Politburo sitting this month, in calendar order,
    and their delegates.

    Returns:
        The rows written to the state's ``decision_log``.
    """
    row = carry_out_purges(state, k, 0)
    if campaign or sittings.size > 0 or state.vacated.any():
        shares = power_now(state)
        appointer = dominant(shares, state.alive, state.health)
        row = take_over_organisations(state, row)
        if state.vacated.any():
            row = fill_vacancies(state, appointer, shares, row)
        if campaign:
            row = _contest(state, k, POLITBURO, 0, shares, row)
        for s in range(sittings.size):
            row, answered = _voice(state, k, sittings[s], delegates[s], shares, appointer, row)
            if elects(state, sittings[s]):
                row = fill_seats(state, appointer, row)
            if sittings[s] == PLENUM:
                row = _plenum(state, k, delegates[s], appointer, row)
                row = _office_motion(state, delegates[s], shares, row)
            elif not answered:
                row = _contest(state, k, sittings[s], delegates[s], shares, row)
    return row
