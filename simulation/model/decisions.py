"""Free mode: when the leadership decides, and what its decisions write in the logs.

Replay forces the scenario's decisions; in free mode the leaders make them
each month, after the month's exogenous events, by the rules of
:mod:`simulation.model.leadership`. Most months there is nothing to decide: no
purge is due, no office is vacant, no body other than the Politburo sits, and
the Politburo does not campaign (it does with probability ``campaign_rate``).
Those months cost one draw. After the month's mechanisms,
:func:`update_factions` records the declared factions as active or not from
their members' new affinities.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from simulation.model import leadership
from simulation.model.leadership import MOVES
from simulation.model.rows import (
    Appointment,
    EventRow,
    PlenumRemoval,
    Purge,
    PurgeRemoval,
    Sanction,
    Takeover,
    Vote,
    VoteRow,
    decode,
    new_row,
)
from simulation.model.votes import ARENAS

if TYPE_CHECKING:
    from simulation.model.party_model import PartyModel

MODEL = "model"
_ARENA_NAMES = [arena.value for arena in ARENAS]
_MOVE_NAMES = [move.value for move in MOVES]
_SANCTION_KIND = {
    leadership.CAMPAIGN: "polemic",
    leadership.CONDEMNATION: "condemnation",
}
NO_SITTING = (np.zeros(0, dtype=np.int64),) * 2
"""The arenas and delegates of a month in which nothing but the Politburo sits.

Read-only, like the calendar's own arrays, so that compiled code sees one type
in every month and mode (and is compiled once, not once per mode).
"""
NO_SITTING[0].flags.writeable = False


def agenda(model: PartyModel) -> tuple[bool, bool, np.ndarray, np.ndarray]:
    """Whether the leadership decides this month, and what sits.

    Returns:
        ``(decide, campaign, arenas, delegates)`` as
        :func:`simulation.model.month.simulate_month` takes them.
    """
    campaign = model.rng.random() < model.parameters.campaign_rate
    sittings = model.sittings_by_step.get(model.step_index)
    decide = bool(campaign or sittings or model.vacancy_open or model.purges_next_month)
    return (decide, campaign, *(sittings or NO_SITTING))


def log_decisions(model: PartyModel, rows: int) -> None:
    """Write the month's decisions, as :mod:`.leadership` logged them, to the run's logs."""
    leaders, posts, organisations = model.leader_ids, model.post_ids, model.organisation_ids
    date, events = model.date, model.event_log
    for decision in decode(model.decision_log[:rows]):
        kind = type(decision)  # dispatch on the type: faster than match
        if kind is Vote:
            arena, move, proposer, votes_for, votes_against, carried, targets = decision
            named = ";".join([leaders[target] for target in targets])
            motion = f"{_MOVE_NAMES[move]} of {named}"
            model.vote_log.append(
                new_row(
                    VoteRow,
                    (
                        date,
                        _ARENA_NAMES[arena],
                        motion,
                        leaders[proposer],
                        named,
                        votes_for,
                        votes_against,
                        bool(carried),
                        False,
                    ),
                )
            )
        elif kind is Sanction:
            arena, move, proposer, target = decision
            move_name, target_id = _MOVE_NAMES[move], leaders[target]
            detail = f"{_ARENA_NAMES[arena]}: {move_name} of {target_id}"
            event_id = f"{move_name}-{target_id}"
            sanction = _SANCTION_KIND[move]
            events.append(
                new_row(
                    EventRow, (date, event_id, sanction, leaders[proposer], "", MODEL, detail, "")
                )
            )
        elif kind is PlenumRemoval:
            move, leader, post = decision
            move_name, target_id = _MOVE_NAMES[move], leaders[leader]
            detail = f"plenum: {move_name} of {target_id}"
            event_id = f"{move_name}-{target_id}"
            events.append(
                new_row(
                    EventRow, (date, event_id, "removal", target_id, posts[post], MODEL, detail, "")
                )
            )
        elif kind is PurgeRemoval:
            leader, post, organisation = decision
            detail = "removed in the purge of his organisation"
            event_id = f"purge-{organisations[organisation]}"
            events.append(
                new_row(
                    EventRow,
                    (date, event_id, "removal", leaders[leader], posts[post], MODEL, detail, ""),
                )
            )
        elif kind is Purge:
            organisation, beneficiary = decision
            detail = f"purge of {model.parameters.purge_share:.0%} of the secretaries"
            org_id = organisations[organisation]
            events.append(
                new_row(
                    EventRow,
                    (
                        date,
                        f"purge-{org_id}",
                        "purge",
                        leaders[beneficiary],
                        "",
                        MODEL,
                        detail,
                        org_id,
                    ),
                )
            )
        elif kind is Takeover:
            leader, post, organisation, master = decision
            org_id = organisations[organisation]
            detail = f"{leaders[master]}'s appointees hold the {org_id} organisation"
            events.append(
                new_row(
                    EventRow,
                    (
                        date,
                        f"takeover-{org_id}",
                        "removal",
                        leaders[leader],
                        posts[post],
                        MODEL,
                        detail,
                        org_id,
                    ),
                )
            )
        elif kind is Appointment:
            appointee, post, appointer = decision
            post_id, detail = posts[post], f"appointed by {leaders[appointer]}"
            events.append(
                new_row(
                    EventRow,
                    (
                        date,
                        f"appointment-{post_id}",
                        "appointment",
                        leaders[appointee],
                        post_id,
                        MODEL,
                        detail,
                        "",
                    ),
                )
            )


def update_factions(model: PartyModel) -> None:
    """Mark each declared faction active while its members' cohesion is above threshold."""
    active = model.cohesion > model.parameters.faction_threshold
    for f in np.flatnonzero(active != model.faction_active):
        faction = model.factions[f]
        kind = "faction_formed" if active[f] else "faction_dissolved"
        model.log(f"{kind}-{faction.faction_id}", kind, "", None, MODEL, faction.name)
    model.faction_active[:] = active
