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
from simulation.model.leadership import ARENAS, MOVES

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
    """Write the month's decisions, as :mod:`.leadership` coded them, to the logs."""
    leaders, posts, organisations = model.leader_ids, model.post_ids, model.organisation_ids
    date, events = model.date, model.event_log
    targets: list[str] = []
    for kind, a, b, c, d, e, f in model.decision_log[:rows].tolist():
        if kind == leadership.VOTE_TARGET:
            targets.append(leaders[a])
        elif kind == leadership.VOTE:
            named = ";".join(targets)
            targets = []
            motion = f"{_MOVE_NAMES[b]} of {named}"
            model.vote_log.append((date, _ARENA_NAMES[a], motion, leaders[c], named, d, e, bool(f)))
        elif kind == leadership.SANCTION:
            move, target = _MOVE_NAMES[b], leaders[d]
            detail = f"{_ARENA_NAMES[a]}: {move} of {target}"
            events.append(
                (date, f"{move}-{target}", _SANCTION_KIND[b], leaders[c], "", MODEL, detail, "")
            )
        elif kind == leadership.PLENUM_REMOVAL:
            move, target = _MOVE_NAMES[a], leaders[b]
            detail = f"plenum: {move} of {target}"
            events.append(
                (date, f"{move}-{target}", "removal", target, posts[c], MODEL, detail, "")
            )
        elif kind == leadership.PURGE_REMOVAL:
            detail = "removed in the purge of his organisation"
            event_id = f"purge-{organisations[c]}"
            events.append((date, event_id, "removal", leaders[a], posts[b], MODEL, detail, ""))
        elif kind == leadership.PURGE:
            detail = f"purge of {model.parameters.purge_share:.0%} of the secretaries"
            organisation = organisations[a]
            events.append(
                (
                    date,
                    f"purge-{organisation}",
                    "purge",
                    leaders[b],
                    "",
                    MODEL,
                    detail,
                    organisation,
                )
            )
        elif kind == leadership.APPOINTMENT:
            post, detail = posts[b], f"appointed by {leaders[c]}"
            events.append(
                (date, f"appointment-{post}", "appointment", leaders[a], post, MODEL, detail, "")
            )


def update_factions(model: PartyModel) -> None:
    """Mark each declared faction active while its members' cohesion is above threshold."""
    active = model.cohesion > model.parameters.faction_threshold
    for f in np.flatnonzero(active != model.faction_active):
        faction = model.factions[f]
        kind = "faction_formed" if active[f] else "faction_dissolved"
        model.log(f"{kind}-{faction.faction_id}", kind, "", None, MODEL, faction.name)
    model.faction_active[:] = active
