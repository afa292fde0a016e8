"""Free mode: what the leadership's decisions write in the logs.

Replay forces the scenario's decisions; in free mode the leaders make them
each month, after the month's exogenous events, by the rules of
:mod:`simulation.model.leadership`, when there is something to decide
(:func:`simulation.model.month.simulate_month`), and the month's mechanisms
then mark the declared factions active or not from their members' new
affinities. All of it is compiled and written as rows of integers;
:func:`log_decisions` turns them into the rows of the run's logs.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from simulation.model import leadership
from simulation.model.leadership import MOVES
from simulation.model.rows import (
    Appeal,
    Appointment,
    EventRow,
    FactionChange,
    PlenumRemoval,
    Purge,
    PurgeRemoval,
    Sanction,
    Takeover,
    Vote,
    VoteRow,
    VoteTarget,
    kind_code,
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
_FACTION_KINDS = ("faction_dissolved", "faction_formed")
_VOTE_TARGET, _VOTE, _SANCTION, _APPOINTMENT, _FACTION_CHANGE = map(
    kind_code, (VoteTarget, Vote, Sanction, Appointment, FactionChange)
)
_PLENUM_REMOVAL, _PURGE_REMOVAL, _PURGE, _TAKEOVER, _APPEAL = map(
    kind_code, (PlenumRemoval, PurgeRemoval, Purge, Takeover, Appeal)
)


def log_decisions(model: PartyModel, rows: int) -> None:
    """Write the month's decisions, as :mod:`.leadership` logged them, to the run's logs.

    One pass over the rows of integers, each unpacked in the order of its named
    type's fields (:mod:`.rows`): building the named rows first (:func:`.rows.decode`)
    cost as much as writing the logs from them.
    """
    leaders, posts, organisations = model.leader_ids, model.post_ids, model.organisation_ids
    date, events = model.date, model.event_log
    targets = []  # the ids of the targets of the vote that follows
    for row in model.decision_log[:rows].tolist():
        kind = row[0]
        if kind == _VOTE_TARGET:
            targets.append(leaders[row[1]])
        elif kind == _VOTE:
            _, arena, move, proposer, votes_for, votes_against, carried = row
            named = ";".join(targets)
            targets = []
            model.vote_log.append(
                new_row(
                    VoteRow,
                    (
                        date,
                        _ARENA_NAMES[arena],
                        f"{_MOVE_NAMES[move]} of {named}",
                        leaders[proposer],
                        named,
                        votes_for,
                        votes_against,
                        bool(carried),
                        False,
                    ),
                )
            )
        elif kind == _SANCTION:
            _, arena, move, proposer, target, _, _ = row
            move_name, target_id = _MOVE_NAMES[move], leaders[target]
            detail = f"{_ARENA_NAMES[arena]}: {move_name} of {target_id}"
            event_id = f"{move_name}-{target_id}"
            sanction = _SANCTION_KIND[move]
            events.append(
                new_row(
                    EventRow, (date, event_id, sanction, leaders[proposer], "", MODEL, detail, "")
                )
            )
        elif kind == _APPOINTMENT:
            _, appointee, post, appointer, _, _, _ = row
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
        elif kind == _APPEAL:
            _, arena, leader, _, _, _, _ = row
            speaker = leaders[leader]
            detail = f"{_ARENA_NAMES[arena]}: speaks out against the majority"
            events.append(
                new_row(
                    EventRow, (date, f"appeal-{speaker}", "appeal", speaker, "", MODEL, detail, "")
                )
            )
        elif kind == _FACTION_CHANGE:
            _, f, formed, _, _, _, _ = row
            faction = model.factions[f]
            event_kind = _FACTION_KINDS[formed]
            event_id = f"{event_kind}-{faction.faction_id}"
            events.append(
                new_row(EventRow, (date, event_id, event_kind, "", "", MODEL, faction.name, ""))
            )
        elif kind == _PLENUM_REMOVAL:
            _, move, leader, post, _, _, _ = row
            move_name, target_id = _MOVE_NAMES[move], leaders[leader]
            detail = f"plenum: {move_name} of {target_id}"
            event_id = f"{move_name}-{target_id}"
            events.append(
                new_row(
                    EventRow, (date, event_id, "removal", target_id, posts[post], MODEL, detail, "")
                )
            )
        elif kind == _PURGE_REMOVAL:
            _, leader, post, organisation, _, _, _ = row
            detail = "removed in the purge of his organisation"
            event_id = f"purge-{organisations[organisation]}"
            events.append(
                new_row(
                    EventRow,
                    (date, event_id, "removal", leaders[leader], posts[post], MODEL, detail, ""),
                )
            )
        elif kind == _PURGE:
            _, organisation, beneficiary, _, _, _, _ = row
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
        elif kind == _TAKEOVER:
            _, leader, post, organisation, master, _, _ = row
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
