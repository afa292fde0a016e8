"""The month's mechanisms, in their fixed order, compiled into one call.

A run is some sixty months of a dozen small array operations on two dozen
leaders. Called one by one from Python, their per-call overhead was most of a
run's time, far above the framework's own floor (issue 3 asks for at most five
times an empty Mesa model). Compiled together with numba, a month costs a few
microseconds. Each mechanism is still its own tested function in
:mod:`simulation.mechanisms`; this module only fixes their order, updates the
model's arrays in place and writes the month's row of the recorder.
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np
from numba import njit

from simulation.mechanisms.alliances import reweigh_affinities, threat_adjustment
from simulation.mechanisms.contests import faction_cohesion
from simulation.mechanisms.influence import drift_influence, influence_support
from simulation.mechanisms.membership import allocate_intake, attrition
from simulation.mechanisms.patronage import apparatus_shares, appointment_pressure, capture
from simulation.mechanisms.power import power_shares


class MonthParameters(NamedTuple):
    """The scenario parameters the monthly mechanisms read, as plain floats."""

    membership_attrition: float
    patronage_rate: float
    loyalty_decay: float
    record_decay: float
    client_weight: float
    influence_drift: float
    balancing: float
    alliance_rate: float
    grievance_decay: float
    obligation_decay: float
    faction_threshold: float


@njit(cache=True)
def advance_month(
    k,
    intakes,
    organisations,
    offices,
    standing,
    ties,
    history,
    parameters,
    affinity_weights,
    power_weights,
):
    """Run membership, patronage, influence and alliances for month ``k`` and record it.

    Arrays are updated in place; the tuples group them by what they describe:

    - ``intakes``: (q,) this month's member intakes, applied in order.
    - ``organisations``: ``(members, recruits, recruitment_weight, loyalty,
      patronage_reach, head_post, protection)``.
    - ``offices``: ``(holds, prestige, alive, health)``.
    - ``standing``: ``(influence, record, apparatus)``.
    - ``ties``: ``(affinity, similarity, grievance, obligation,
      faction_membership, cohesion, faction_active)``.
    - ``history``: the recorder's arrays ``(influence, apparatus, power,
      health, alive, holds, affinity, members, recruits, loyalty, cohesion)``,
      whose row ``k`` is written.

    Returns:
        Whether some faction's cohesion has crossed the faction threshold, so
        that the caller need look at factions only then.
    """
    members, recruits, recruitment_weight, loyalty, reach, head_post, protection = organisations
    holds, prestige, alive, health = offices
    influence, record, apparatus = standing
    affinity, similarity, grievance, obligation, faction_membership, cohesion, faction_active = ties
    p = parameters
    n, posts = holds.shape
    m = members.size

    kept_members, kept_recruits = attrition(members, recruits, p.membership_attrition)
    members[:] = kept_members
    recruits[:] = kept_recruits
    for amount in intakes:
        added = allocate_intake(amount, recruitment_weight, members)
        members += added
        recruits += added

    living_holds = np.zeros((n, posts), dtype=np.bool_)
    for i in range(n):
        if alive[i]:
            living_holds[i] = holds[i]
    head_holder = np.full(m, -1)
    for o in range(m):
        if head_post[o] >= 0:
            for i in range(n):
                if living_holds[i, head_post[o]]:
                    head_holder[o] = i
                    break
    pressure = appointment_pressure(living_holds, reach, health, head_holder, protection)
    keep, gain = capture(pressure, p.patronage_rate, p.loyalty_decay)
    for o in range(m):
        for i in range(n):
            loyalty[o, i] = keep[o] * loyalty[o, i] + gain[o, i]
    apparatus[:] = apparatus_shares(loyalty, members)

    record *= 1.0 - p.record_decay
    post_prestige = np.zeros(n)
    for i in range(n):
        for q in range(posts):
            if holds[i, q]:
                post_prestige[i] += prestige[q]
    support = influence_support(health, post_prestige, apparatus, record, p.client_weight)
    influence[:] = drift_influence(influence, support, p.influence_drift)
    for i in range(n):
        if not alive[i]:
            influence[i] = 0.0

    threat = threat_adjustment(influence, alive, p.balancing)
    affinity[:] = reweigh_affinities(
        affinity,
        similarity,
        grievance,
        obligation,
        threat,
        alive,
        p.alliance_rate,
        affinity_weights,
    )
    cohesion[:] = faction_cohesion(affinity, faction_membership, alive)
    grievance *= 1.0 - p.grievance_decay
    obligation *= 1.0 - p.obligation_decay

    (
        rec_influence,
        rec_apparatus,
        rec_power,
        rec_health,
        rec_alive,
        rec_holds,
        rec_affinity,
        rec_members,
        rec_recruits,
        rec_loyalty,
        rec_cohesion,
    ) = history
    rec_influence[k] = influence
    rec_apparatus[k] = apparatus
    rec_power[k] = power_shares(influence, apparatus, post_prestige, alive, power_weights)
    rec_health[k] = health
    rec_alive[k] = alive
    rec_holds[k] = holds
    rec_affinity[k] = affinity
    rec_members[k] = members
    rec_recruits[k] = recruits
    rec_loyalty[k] = loyalty
    rec_cohesion[k] = cohesion

    for f in range(cohesion.size):
        if (cohesion[f] > p.faction_threshold) != faction_active[f]:
            return True
    return False
