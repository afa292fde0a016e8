"""The month after its scenario events, as one compiled call: decisions, then mechanisms.

Each mechanism is its own tested function in :mod:`simulation.mechanisms`, and
the decisions' rules are in :mod:`.leadership`; this module fixes their order
(membership, patronage, influence, alliances, grievances), updates the model's
arrays in place and writes the month's row of the recorder. Why one compiled
call: see ``benchmarks/README.md``.
"""

from __future__ import annotations

from numba import njit

from simulation.mechanisms.alliances import (
    fill_similarity,
    reweigh_affinities,
    threat_adjustment,
)
from simulation.mechanisms.contests import (
    faction_cohesion,
    leads,
    politburo_seated,
    seated_members,
    still_standing,
)
from simulation.mechanisms.illness import illness_month
from simulation.mechanisms.influence import drift_toward_support
from simulation.mechanisms.membership import allocate_intake, attrition
from simulation.mechanisms.patronage import (
    appointment_pressure,
    capture_loyalty,
    fill_apparatus_shares,
)
from simulation.mechanisms.positions import capture_grievance, failure_weight, reposition
from simulation.mechanisms.power import dominant, fill_post_prestige
from simulation.mechanisms.voting import present_holders
from simulation.model.actions import head_holders, power_given
from simulation.model.leadership import decide_month, elects
from simulation.model.parameters import Parameter
from simulation.model.rows import write_faction_change


@njit(cache=True)
def record_month(state, k):
    """Copy the recorded arrays into row ``k`` of their monthly records.

    The recorded arrays are views into two flat arrays, numbers and flags
    (:class:`.state.ArrayGroup`), so this is two row copies.
    """
    state.numbers_by_month[k] = state.recorded_numbers
    state.flags_by_month[k] = state.recorded_flags


@njit(cache=True)
def advance_month(state, k, free, row):
    """Run membership, patronage, influence and alliances for month ``k`` and record it.

    ``state`` is the model's :class:`simulation.model.state.ModelState`: its
    arrays are updated in place and row ``k`` of each recorded array is
    written (:func:`record_month`). Running member intakes add their monthly
    members, in the order they began. In free mode a declared faction forms
    when its leaders' cohesion is above ``faction_threshold`` and it comes
    forward (:func:`comes_forward`), and dissolves when its cohesion falls
    below it; each formation or dissolution is logged at ``row`` of the ``decision_log``, after
    the month's decisions (replay's factions are the scenario's dated events). A faction
    the model formed stood above the threshold every month until its cohesion fell; one
    a replayed month formed (a branch's inheritance) may never have risen above it by the
    model's measure, and it is dissolved once its ties have grown and broken, not for
    ties that never grew: the Left of October 1923 stood until the bloc of 1926 (the
    scenario's dates), whatever its members' attachments a month after the Declaration.

    Returns:
        The next free row of the ``decision_log``.
    """
    members, recruits, recruitment_weight = state.members, state.recruits, state.recruitment_weight
    loyalty, reach = state.loyalty, state.patronage_reach
    protection = state.protection
    holds, prestige, alive, health = state.holds, state.prestige, state.alive, state.health
    influence, record, apparatus = state.influence, state.record, state.apparatus
    affinity, similarity, grievance = state.affinity, state.similarity, state.grievance
    obligation, faction_membership = state.obligation, state.faction_membership
    cohesion, faction_active = state.cohesion, state.faction_active
    parameters = state.parameter_values
    p = parameters
    weights = (  # an AffinityWeights, as a plain tuple: compiled code need not build the class
        p[Parameter.stance_weight],
        p[Parameter.grievance_weight],
        p[Parameter.obligation_weight],
        p[Parameter.threat_weight],
        p[Parameter.structural_balance_weight],
    )

    attrition(members, recruits, p[Parameter.membership_attrition])
    for q in range(state.intake_count[0]):
        months_left = state.intake_months_left[q]
        if months_left == 0:
            continue
        added = allocate_intake(state.intake_per_month[q], recruitment_weight, members)
        members += added
        recruits += added
        if months_left > 0:
            state.intake_months_left[q] = months_left - 1

    head_holder = head_holders(state)
    pressure, captured = state.organisation_work[0], state.organisation_work[1]
    appointment_pressure(
        pressure,
        holds,
        alive,
        reach,
        health,
        influence,
        p[Parameter.patronage_standing],
        head_holder,
        protection,
        state.power,
    )
    capture_loyalty(
        captured, loyalty, pressure, p[Parameter.patronage_rate], p[Parameter.loyalty_decay]
    )
    # Replayed months too: the secretaries lost to a rival's appointments are the
    # mechanism's, whoever decided the appointments, and a branch must inherit the
    # grievance they left (Kamenev's Moscow men, taken from 1922 on).
    capture_grievance(grievance, loyalty, captured, members, alive, p[Parameter.capture_grievance])
    loyalty[:] = captured
    fill_apparatus_shares(apparatus, loyalty, members)

    record *= 1.0 - p[Parameter.record_decay]
    prestige_held = state.prestige_held
    fill_post_prestige(prestige_held, holds, prestige)
    drift_toward_support(
        influence,
        health,
        prestige_held,
        apparatus,
        record,
        alive,
        p[Parameter.client_weight],
        p[Parameter.influence_drift],
    )

    standing = still_standing(alive, state.condemned, holds, state.unique_post)
    strongest = dominant(state.power, alive, health) if free else -1  # replay moves no stance
    if free and reposition(
        state.stance,
        affinity,
        grievance,
        obligation,
        state.power,
        alive,
        health,
        strongest,
        p[Parameter.reposition_rate],
        p[Parameter.bandwagon_below],
        standing,
        failure_weight(state.failed_in[0], k, p[Parameter.failure_salience]),
        p[Parameter.ally_pull],
        p[Parameter.ally_threshold],
    ):
        fill_similarity(similarity, state.stance)
    work = state.pair_work
    threat = work[4]
    threat_adjustment(threat, influence, alive, p[Parameter.balancing])
    reweigh_affinities(
        affinity,
        similarity,
        grievance,
        obligation,
        threat,
        alive,
        p[Parameter.alliance_rate],
        weights,
        standing,
        work,
        state.reconcilable,
    )
    # The month's cohesion; ``cohesion`` keeps last month's, which the sittings saw, until
    # the factions have come forward.
    seated = politburo_seated(holds, state.politburo_post, alive)  # where factions are led
    united = faction_cohesion(affinity, faction_membership, alive, seated)
    grievance *= 1.0 - p[Parameter.grievance_decay]
    obligation *= 1.0 - p[Parameter.obligation_decay]

    power_given(state, prestige_held, state.power)  # no post changed hands since
    if free:
        threshold = p[Parameter.faction_threshold]
        for f in range(united.size):
            active = united[f] > threshold
            if faction_active[f] and not cohesion[f] > threshold:
                active = True  # formed by replayed history and never held together: not broken
            elif active and not faction_active[f]:
                active = comes_forward(
                    f,
                    faction_membership,
                    united,
                    threshold,
                    cohesion[f] > threshold,  # as the month's sittings found it
                    state.spoke_in,
                    state.verdict_in,
                    seated,
                    strongest,
                    state.arbiter,
                    k,
                    holds,
                    state.politburo_post,
                    alive,
                    health,
                )
            if active != faction_active[f]:
                faction_active[f] = active
                row = write_faction_change(state.decision_log, row, f, active)
    cohesion[:] = united
    record_month(state, k)
    return row


@njit(cache=True)
def _rules(members, seats):
    """Whether a group holds at least half of the Politburo's present seats."""
    held = 0
    for i in seats:
        held += members[i] != 0
    return 2 * held >= seats.size


@njit(cache=True)
def _smaller_group_rules(f, membership, cohesion, threshold, strongest, seats):
    """Whether a cohesive group inside faction ``f`` that counts the strongest already rules."""
    for g in range(membership.shape[0]):
        if g == f or not cohesion[g] > threshold or membership[g, strongest] == 0:
            continue
        inside = True
        for i in range(membership.shape[1]):
            inside &= membership[g, i] == 0 or membership[f, i] != 0
        if inside and membership[g].sum() < membership[f].sum() and _rules(membership[g], seats):
            return True
    return False


@njit(cache=True)
def comes_forward(
    f,
    membership,
    cohesion,
    threshold,
    declarable,
    spoke_in,
    verdict_in,
    seated,
    strongest,
    arbiter,
    k,
    holds,
    politburo,
    alive,
    health,
):
    """Whether cohesive faction ``f`` (a row of ``membership``) comes forward this month.

    A group that counts the strongest is a ruling group: it needs no declaration,
    but it rules only while its members hold at least half of the Politburo's
    present seats (:func:`simulation.mechanisms.voting.present_holders`), as the
    trio did once Lenin's illness kept him away (three of six; source chapter,
    §Party and Opposition after Lenin). It forms only when it is needed: not
    while the arbiter sits in the Politburo and is not one of them (he leads it;
    the trio was a caucus of his absence), and not while a smaller cohesive
    group inside it (``cohesion`` above ``threshold``) already rules. A ruling
    coalition is as small as will win (Riker 1962): the Seven formed when the
    trio no longer held half the seats, once Bukharin had taken Lenin's seat in
    June 1924 (the baseline's ``bukharin_politburo``; chronology.csv 1924-08).
    Any other group is an opposition, which exists for the party only once one
    of its leaders (:func:`simulation.mechanisms.contests.leads`: its members in
    the Politburo when two or more sit there) speaks out at a sitting
    (:func:`.leadership._voice`), or once a verdict strikes two of its leaders
    together (``verdict_in``): the Left Opposition with the Declaration of the
    46 (October 1923), the New Opposition with the Leningrad leaders' open
    attack of autumn 1925 and the 14th Congress's verdict on them (chronology.csv
    1923-10-15, 1925-10, 1925-12-18). A majority that condemns two leaders
    together names their group, as the congress named the Leningrad opposition.
    Cohesion alone would count a like-minded group as a faction from the first
    month. A speech or a verdict declares only a group that held together when
    it was made (``declarable``: its cohesion above ``threshold`` at the end of
    the month before): the month's sittings come before its moves of affinity,
    so a group that coheres only after the sitting waits for the next.

    References:
        Riker, W. H. (1962). The Theory of Political Coalitions. Yale UP.
    """
    members = membership[f]
    if strongest >= 0 and members[strongest] != 0:
        if politburo < 0:
            return True
        seats = present_holders(holds, politburo, alive, health)
        led = arbiter >= 0 and members[arbiter] == 0 and (seats == arbiter).any()
        if led or not _rules(members, seats):
            return False
        return not _smaller_group_rules(f, membership, cohesion, threshold, strongest, seats)
    if not declarable:
        return False
    core = seated_members(membership, f, seated)
    heard = False
    struck = 0
    for i in range(members.size):  # a loop: numba compiles no generator for any()
        if leads(membership, f, seated, i, core):
            heard |= spoke_in[i] == k
            struck += verdict_in[i] == k
    return heard or struck >= 2


@njit(cache=True)
def _sittings(state, k):
    """Month ``k``'s sittings but the Politburo's (arena codes), and their delegates.

    Read from the state, not handed to each month's call: two arrays unboxed a month
    cost a run more than this.
    """
    arenas = state.sitting_arenas[k]
    count = 0
    while count < arenas.size and arenas[count] >= 0:
        count += 1
    return arenas[:count], state.sitting_delegations[k, :count]


@njit(cache=True)
def replay_month(state, k):
    """Month ``k`` replayed, after its scenario events: history's bodies, then the mechanisms.

    History's decisions are the scenario's dated events, so the leadership decides
    nothing; the bodies sitting this month are elected all the same, for a branch
    must know who sits in them (:func:`simulation.model.leadership.elects`). Kept
    apart from :func:`simulation.model.month.simulate_month` so that a run that never
    decides never compiles the decisions, most of the month's machine code: a new
    machine's first replay (``make run``) waits for the mechanisms only.

    Returns:
        The rows written to the state's ``decision_log``: the factions formed or
        dissolved (none: replay's factions are the scenario's events).
    """
    sittings, _ = _sittings(state, k)
    for s in range(sittings.size):
        elects(state, sittings[s])
    return advance_month(state, k, False, 0)


@njit(cache=True)
def simulate_month(state, k):
    """Month ``k`` decided, after its scenario events: the decisions, then the mechanisms.

    The leadership decides (:func:`simulation.model.leadership.decide_month`)
    only when there is something to decide: a purge due, an office vacant, a
    body other than the Politburo sitting (:func:`_sittings`, with their
    delegates), or the Politburo campaigning, with probability
    ``campaign_rate`` (one draw, the month's first). Most months there is
    nothing. The mechanisms run every month (:func:`advance_month`). The months
    a branch replays are :func:`replay_month`'s.

    Returns:
        The rows written to the state's ``decision_log``: the month's decisions, then
        the factions formed or dissolved (:mod:`simulation.model.decisions` logs them).
    """
    rows = 0
    sittings, delegates = _sittings(state, k)
    p = state.parameter_values
    campaign = state.source.rng.random() < p[Parameter.campaign_rate]
    purge_due = _purge_due(state.purge_due, k)  # decided by last month's congress
    decide = campaign or sittings.size > 0 or state.vacated.any() or purge_due
    illness_month(
        state.source,
        state.health,
        state.alive,
        state.absence_ends,
        state.ill_until,
        state.health_before_illness,
        state.illness_rate,
        state.illness_months,
        state.illness_from,
        p[Parameter.illness_scale],
        k,
    )
    if decide:
        rows = decide_month(state, k, campaign, sittings, delegates)
    return advance_month(state, k, True, rows)


@njit(cache=True)
def _purge_due(purge_due, k):
    """Whether a purge is due in month ``k`` (a loop: ``(purge_due == k).any()`` allocates)."""
    due = False
    for month in purge_due:
        due |= month == k
    return due
