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
_FACTION_KINDS = ("faction_dissolved", "faction_formed")


def log_decisions(model: PartyModel, rows: int) -> None:
    """Write the month's decisions, as :mod:`.leadership` logged them, to the run's logs."""
    date, texts = model.date, model.decision_texts
    events, vote_log = model.event_log, model.vote_log
    for decision in decode(model.decision_log[:rows]):
        if type(decision) is Vote:
            votes_for, votes_against, carried = decision[3:6]
            counted = (votes_for, votes_against, bool(carried), False)
            vote_log.append(new_row(VoteRow, (date, *texts.motion(decision), *counted)))
        else:
            events.append(new_row(EventRow, (date, *texts.event(decision))))


class DecisionTexts:
    """What each decision writes in the logs but its date and count, shared by a scenario's runs.

    The runs of an ensemble keep making the same decisions (the same rivals
    condemned, the same offices filled), and formatting their texts cost more
    than the rest of the logging: each is formatted once per scenario, when
    first made, and looked up after that.

    Args:
        leader_ids: the scenario's leaders, by index.
        post_ids: its posts, by index.
        organisation_ids: its organisations, by index.
        factions: each faction's ``(id, name)``, by index.
        purge_share: the share of an organisation's secretaries a purge replaces.
    """

    def __init__(
        self,
        leader_ids: list[str],
        post_ids: list[str],
        organisation_ids: list[str],
        factions: list[tuple[str, str]],
        purge_share: float,
    ):
        self.leaders = leader_ids
        self.posts = post_ids
        self.organisations = organisation_ids
        self.factions = factions
        self.purge_share = purge_share
        self._events: dict[type, dict[tuple, tuple]] = {kind: {} for kind in _EVENT_TEXTS}
        self._motions: dict[tuple, tuple[str, str, str, str]] = {}

    def event(self, decision: tuple) -> tuple:
        """The fields of a decision's :class:`.rows.EventRow` after its date."""
        made = self._events[type(decision)]
        fields = made.get(decision)
        if fields is None:
            fields = made[decision] = _EVENT_TEXTS[type(decision)](self, *decision)
        return fields

    def motion(self, vote: Vote) -> tuple[str, str, str, str]:
        """A vote's arena, motion, sponsor and targets, as its :class:`.rows.VoteRow` names them."""
        arena, move, proposer, *_, targets = vote
        key = (arena, move, proposer, targets)
        fields = self._motions.get(key)
        if fields is None:
            leaders = self.leaders
            named = ";".join([leaders[target] for target in targets])
            motion = f"{_MOVE_NAMES[move]} of {named}"
            fields = self._motions[key] = (_ARENA_NAMES[arena], motion, leaders[proposer], named)
        return fields


def _sanction(texts: DecisionTexts, arena: int, move: int, proposer: int, target: int) -> tuple:
    move_name, target_id = _MOVE_NAMES[move], texts.leaders[target]
    detail = f"{_ARENA_NAMES[arena]}: {move_name} of {target_id}"
    event_id = f"{move_name}-{target_id}"
    return (event_id, _SANCTION_KIND[move], texts.leaders[proposer], "", MODEL, detail, "")


def _plenum_removal(texts: DecisionTexts, move: int, leader: int, post: int) -> tuple:
    move_name, target_id = _MOVE_NAMES[move], texts.leaders[leader]
    detail = f"plenum: {move_name} of {target_id}"
    return (f"{move_name}-{target_id}", "removal", target_id, texts.posts[post], MODEL, detail, "")


def _purge_removal(texts: DecisionTexts, leader: int, post: int, organisation: int) -> tuple:
    event_id = f"purge-{texts.organisations[organisation]}"
    detail = "removed in the purge of his organisation"
    return (event_id, "removal", texts.leaders[leader], texts.posts[post], MODEL, detail, "")


def _purge(texts: DecisionTexts, organisation: int, beneficiary: int) -> tuple:
    detail = f"purge of {texts.purge_share:.0%} of the secretaries"
    org_id = texts.organisations[organisation]
    return (f"purge-{org_id}", "purge", texts.leaders[beneficiary], "", MODEL, detail, org_id)


def _takeover(
    texts: DecisionTexts, leader: int, post: int, organisation: int, master: int
) -> tuple:
    org_id = texts.organisations[organisation]
    detail = f"{texts.leaders[master]}'s appointees hold the {org_id} organisation"
    leader_id, post_id = texts.leaders[leader], texts.posts[post]
    return (f"takeover-{org_id}", "removal", leader_id, post_id, MODEL, detail, org_id)


def _faction_change(texts: DecisionTexts, faction: int, formed: int) -> tuple:
    faction_id, name = texts.factions[faction]
    event_kind = _FACTION_KINDS[formed]
    return (f"{event_kind}-{faction_id}", event_kind, "", "", MODEL, name, "")


def _appointment(texts: DecisionTexts, appointee: int, post: int, appointer: int) -> tuple:
    post_id, detail = texts.posts[post], f"appointed by {texts.leaders[appointer]}"
    event_id = f"appointment-{post_id}"
    return (event_id, "appointment", texts.leaders[appointee], post_id, MODEL, detail, "")


_EVENT_TEXTS = {
    Sanction: _sanction,
    PlenumRemoval: _plenum_removal,
    PurgeRemoval: _purge_removal,
    Purge: _purge,
    Takeover: _takeover,
    FactionChange: _faction_change,
    Appointment: _appointment,
}
"""How each kind of decision but a vote reads in the event log."""
