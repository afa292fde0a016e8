"""Who fills the offices: regional heads displaced, vacancies and seats filled (free mode).

A regional head whose organisation a rival's appointees have taken over loses
his post; a vacant office is filled by the leader who commands the majority
(the dominant leader, or the proposer whose motion vacated it); a body's free
seats are filled by promotion. Called by :func:`.leadership.decide_month`
before the sittings, so that a month's motions see the offices as filled.
No rule names a post: succession lines, seats and promotions are the
scenario's attributes of its posts (``succession``, ``seats``,
``promoted_from``, ``default_succession``).
"""

from __future__ import annotations

import numpy as np
from numba import njit

from simulation.mechanisms.alliances import add_tie
from simulation.mechanisms.contests import seats_for_majority
from simulation.mechanisms.patronage import takeovers
from simulation.mechanisms.succession import choose_member, choose_successor
from simulation.model.actions import head_holders, vacate
from simulation.model.parameters import Parameter
from simulation.model.rows import write_appointment, write_takeover


@njit(cache=True)
def _reach(state):
    """(m, n) the patronage each living leader's posts give him in each organisation."""
    posts, m = state.patronage_reach.shape
    n = state.alive.size
    reach = np.zeros((m, n))
    for i in range(n):
        if state.alive[i]:
            for q in range(posts):
                if state.holds[i, q]:
                    for o in range(m):
                        reach[o, i] += state.patronage_reach[q, o]
    return reach


@njit(cache=True)
def take_over_organisations(state, row):
    """Regional heads whose secretaries another leader's appointees now hold lose their post.

    See :func:`simulation.mechanisms.patronage.takeovers`; the displaced head
    resents the leader whose machine displaced him, as he would an attack.
    The post is then vacant, for the appointer to fill.
    """
    p = state.parameter_values
    head_post = state.head_post
    head_holder = head_holders(state)
    taken = takeovers(
        state.loyalty,
        state.affinity,
        state.obligation,
        _reach(state),
        head_holder,
        p[Parameter.takeover_margin],
        p[Parameter.hostility],
    )
    for o in range(taken.size):
        master = taken[o]
        if master < 0:
            continue
        head = head_holder[o]
        vacate(state, head, head_post[o])
        add_tie(
            state.grievance, np.full(1, head), np.full(1, master), p[Parameter.polemic_grievance]
        )
        row = write_takeover(state.decision_log, row, head, head_post[o], o, master)
    return row


@njit(cache=True)
def _successor(state, post, lines, chooser, shares):
    """Whom ``chooser`` puts in ``post`` (``choose_successor``).

    If the post heads an organisation, its own men come first, then the
    chooser's clients (those who owe him their career), then the holders of
    ``lines``; any other post is filled from ``lines`` alone.
    """
    p = state.parameter_values
    n = state.alive.size
    own_men = np.zeros(n, dtype=np.bool_)
    clients = np.zeros(n, dtype=np.bool_)
    for o in range(state.head_post.size):
        if state.head_post[o] == post:
            for i in range(n):
                own_men[i] = state.organisation_of[i] == o
                clients[i] = state.obligation[i, chooser] > 0
    return choose_successor(
        post,
        state.lost[:, post],
        lines,
        own_men,
        clients,
        chooser,
        state.affinity,
        shares,
        state.influence,
        state.alive,
        state.health,
        state.condemned,
        state.barred,
        state.holds,
        state.unique_post,
        p[Parameter.threat_aversion],
        p[Parameter.office_cost],
    )


@njit(cache=True)
def _appoint(state, chosen, post, chooser, row):
    """Give ``post`` to ``chosen``, who owes ``chooser`` for it; log it and return the next row.

    A deputy made head of the office he deputised for leaves the deputy's post
    (``deputy_to``): Rykov, made premier, gave up his deputy premiership, so that
    the government's failures were answered for by the premier and by the
    deputies left, among whom the leadership could choose a scapegoat.
    """
    state.holds[chosen, post] = True
    for deputy in range(state.deputy_to.size):
        if state.deputy_to[deputy] == post:
            state.holds[chosen, deputy] = False
    obligation = state.parameter_values[Parameter.appointment_obligation]
    add_tie(state.obligation, np.full(1, chosen), np.full(1, chooser), obligation)
    return write_appointment(state.decision_log, row, chosen, post, chooser)


@njit(cache=True)
def fill_vacancies(state, appointer, shares, row):
    """The majority's leader fills offices vacated during the run with loyal, modest men.

    The appointer is the dominant leader, unless a carried motion vacated the
    office: then its proposer, whose side has the majority, fills it.

    Candidates are his living, present, uncondemned allies not barred from the
    post, taken from the holders of the post's ``succession`` posts in order of
    precedence (a deputy before the Politburo; by default Politburo members,
    then candidates), and among them first those holding no other unique
    office: a dominant leader does not give a colleague a second power base.
    """
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
        by = state.vacated_by[post]
        chooser = by if by >= 0 and alive[by] and state.health[by] >= 0.5 else appointer
        chosen = _successor(state, post, lines[lines >= 0], chooser, shares)
        if chosen < 0:
            continue
        row = _appoint(state, chosen, post, chooser, row)
        vacated[post] = False
        state.vacated_by[post] = -1
    return row


@njit(cache=True)
def fill_seats(state, appointer, row):
    """The majority fills every empty seat of each body (:func:`.leadership.elects` says when).

    A seat goes to the holder of the post's ``promoted_from`` posts with most
    standing among the appointer's allies (:func:`choose_member`; not the
    modest man an office goes to), who leaves the post he came from:
    Bukharin's promotion from candidate to full member of the Politburo after
    Lenin's death.
    """
    holds = state.holds
    for post in range(state.seats.size):
        if state.seats[post] == 0:
            continue
        filled = _living_members(state, post)
        lines = state.promoted_from[post]
        lines = lines[lines >= 0]
        while filled < state.seats[post]:
            chosen = choose_member(
                post,
                state.lost[:, post],
                lines,
                appointer,
                state.affinity,
                state.influence,
                state.alive,
                state.health,
                state.condemned,
                state.barred,
                holds,
            )
            if chosen < 0:
                break
            for line in lines:
                holds[chosen, line] = False
            row = _appoint(state, chosen, post, appointer, row)
            filled += 1
    return row


@njit(cache=True)
def enlarge_politburo(state):
    """After a won congress, add the Politburo seats its winners need (``secure_majority``).

    The condemned who still sit count against them; the new seats are filled by
    :func:`fill_seats` at the plenum after the congress, from the Politburo's candidates.
    """
    body = state.politburo_post
    if body < 0 or state.seats[body] == 0:
        return
    opponents = 0
    for i in range(state.alive.size):
        if state.alive[i] and state.holds[i, body] and state.condemned[i]:
            opponents += 1
    share = state.parameter_values[Parameter.secure_majority]
    state.seats[body] += seats_for_majority(state.seats[body], opponents, share)


@njit(cache=True)
def seat_the_inherited_members(state):
    """Give each body at least as many seats as it has living members.

    Called once, in the first month the leaders decide: history replayed up to a
    branch may have enlarged a body by appointments alone (the Politburo of nine in
    January 1926, with seven seats in the scenario), and the seats the majority fills
    (:func:`fill_seats`) and enlarges after a won congress (:func:`enlarge_politburo`)
    start from the body it inherits. Seats never shrink.
    """
    for post in range(state.seats.size):
        if state.seats[post] > 0:
            state.seats[post] = max(state.seats[post], _living_members(state, post))


@njit(cache=True)
def _living_members(state, post):
    """How many living leaders hold ``post`` (a body's seats filled)."""
    members = 0
    for i in range(state.alive.size):
        if state.alive[i] and state.holds[i, post]:
            members += 1
    return members


@njit(cache=True)
def open_headless_organisations(state):
    """Declare vacant the office of every organisation left without a head.

    Called once, in the first month the leaders decide: an organisation the
    settlement (or history, up to a branch) left headless gets a head from
    whoever fills vacancies (:func:`fill_vacancies`), as the trade unions got
    theirs in September 1922. Compiled: as a loop of numpy calls from Python it
    took 27 µs of a run, now 2.
    """
    for o in range(state.head_post.size):
        post = state.head_post[o]
        if post < 0:
            continue
        headed = False
        for i in range(state.alive.size):
            headed |= state.holds[i, post] and state.alive[i]
        if not headed:
            state.vacated[post] = True
