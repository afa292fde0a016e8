"""Free mode: when the leadership decides, and what its decisions write in the logs.

Replay forces the scenario's decisions; in free mode the leaders make them
each month, after the month's exogenous events, by the rules of
:mod:`simulation.leadership`. Most months there is nothing to decide: no
purge is due, no office is vacant, no body other than the Politburo sits, and
the Politburo does not campaign (it does with probability ``campaign_rate``).
Those months cost one draw. After the month's mechanisms,
:func:`update_factions` records the declared factions as active or not from
their members' new affinities.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from simulation import leadership
from simulation.leadership import ARENAS, MOVES
from simulation.mechanisms.contests import Move

if TYPE_CHECKING:
    from simulation.model import PartyModel

MODEL = "model"
_SANCTION_KIND = {Move.CAMPAIGN: "polemic", Move.CONDEMNATION: "condemnation"}
NO_SITTING = (np.zeros(0, dtype=np.int64),) * 2
"""The arenas and delegates of a month in which nothing but the Politburo sits."""


def agenda(model: PartyModel) -> tuple[bool, bool, np.ndarray, np.ndarray]:
    """Whether the leadership decides this month, and what sits.

    Returns:
        ``(decide, campaign, arenas, delegates)`` as
        :func:`simulation.monthly.simulate_month` takes them.
    """
    campaign = model.rng.random() < model.parameters.campaign_rate
    sittings = model.sittings_by_step.get(model.step_index)
    decide = bool(campaign or sittings or model.vacancy_open or model.purges_next_month)
    return (decide, campaign, *(sittings or NO_SITTING))


def log_decisions(model: PartyModel, rows: int) -> None:
    """Write the month's decisions, as :mod:`simulation.leadership` coded them, to the logs."""
    _log_rows(model, model.decision_log[:rows].tolist())


def _log_rows(model: PartyModel, rows: list[list[int]]) -> None:
    leaders, posts, organisations = model.leader_ids, model.post_ids, model.organisation_ids
    targets: list[str] = []
    for kind, a, b, c, d, e, f in rows:
        if kind == leadership.VOTE_TARGET:
            targets.append(leaders[a])
        elif kind == leadership.VOTE:
            named = ";".join(targets)
            targets = []
            model.vote_log.append(
                (model.date, ARENAS[a].value, f"{MOVES[b].value} of {named}", leaders[c], named)
                + (d, e, bool(f))
            )
        elif kind == leadership.SANCTION:
            move, target = MOVES[b], leaders[d]
            model.log(
                f"{move.value}-{target}",
                _SANCTION_KIND[move],
                leaders[c],
                None,
                MODEL,
                f"{ARENAS[a].value}: {move.value} of {target}",
            )
        elif kind == leadership.PLENUM_REMOVAL:
            move, target = MOVES[a], leaders[b]
            detail = f"plenum: {move.value} of {target}"
            model.log(f"{move.value}-{target}", "removal", target, posts[c], MODEL, detail)
        elif kind == leadership.PURGE_REMOVAL:
            detail = "removed in the purge of his organisation"
            model.log(f"purge-{organisations[c]}", "removal", leaders[a], posts[b], MODEL, detail)
        elif kind == leadership.PURGE:
            model.log(
                f"purge-{organisations[a]}",
                "purge",
                leaders[b],
                None,
                MODEL,
                f"purge of {model.parameters.purge_share:.0%} of the secretaries",
                organisations[a],
            )
        elif kind == leadership.APPOINTMENT:
            post = posts[b]
            detail = f"appointed by {leaders[c]}"
            model.log(f"appointment-{post}", "appointment", leaders[a], post, MODEL, detail)


def update_factions(model: PartyModel) -> None:
    """Mark each declared faction active while its members' cohesion is above threshold."""
    active = model.cohesion > model.parameters.faction_threshold
    if (active == model.faction_active).all():
        return
    for faction, now in zip(model.factions, active, strict=True):
        if now != faction.active:
            faction.active = bool(now)
            kind = "faction_formed" if now else "faction_dissolved"
            model.log(f"{kind}-{faction.faction_id}", kind, "", None, MODEL, faction.name)
