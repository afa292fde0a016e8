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

from dataclasses import dataclass
from typing import TYPE_CHECKING

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
    motion,
    new_row,
)
from simulation.model.votes import ARENAS, PLENUM

if TYPE_CHECKING:
    from simulation.model.party_model import PartyModel

MODEL = "model"
_ARENA_NAMES = [arena.value for arena in ARENAS]
_MOVE_NAMES = [move.value for move in MOVES]
_SANCTION_KIND = {
    leadership.CAMPAIGN: "polemic",
    leadership.CONDEMNATION: "condemnation",
}
SANCTION_TYPES = frozenset(_SANCTION_KIND.values())
"""The event types of the model's verdicts, whose logged actor is their mover (of a removal,
its target)."""
_FACTION_KINDS = ("faction_dissolved", "faction_formed")
_DETAIL_WORDS = {
    "campaign": "campaign against {}",
    "condemnation": "condemnation of {}",
    "removal": "removal of {}",
    "expulsion": "expulsion of {} from the leading bodies",
}
"""A move's detail in the event log, by its name: read in the dashboard's chronicle, where
"campaign of trotsky" read as Trotsky's own and "expulsion of zinoviev" as from the party."""
_VOTE_TARGET, _VOTE, _SANCTION, _APPOINTMENT, _FACTION_CHANGE = map(
    kind_code, (VoteTarget, Vote, Sanction, Appointment, FactionChange)
)
_PLENUM_REMOVAL, _PURGE_REMOVAL, _PURGE, _TAKEOVER, _APPEAL = map(
    kind_code, (PlenumRemoval, PurgeRemoval, Purge, Takeover, Appeal)
)


@dataclass(frozen=True, eq=False)
class DecisionTexts:
    """The words of the decisions' log rows that only the scenario's names make up.

    Written once per scenario (:class:`.initial_state.ScenarioFrame`) and indexed by
    the rows' integers: formatting them anew for each of a run's two hundred rows was
    the larger part of logging them.
    """

    move_ids: tuple[tuple[str, ...], ...]
    """``[move][leader]``: a sanction's or plenum removal's event id, ``condemnation-X``."""
    moves_in: tuple[tuple[tuple[str, ...], ...], ...]
    """``[arena][move][leader]``: its detail, ``congress: condemnation of X``
    (:data:`_DETAIL_WORDS`)."""
    appointment_ids: tuple[str, ...]
    """``[post]``: an appointment's event id."""
    appointed_by: tuple[str, ...]
    """``[leader]``: an appointment's detail."""
    appeal_ids: tuple[str, ...]
    """``[leader]``: an appeal's event id."""
    speaks_out: tuple[str, ...]
    """``[arena]``: an appeal's detail."""
    faction_ids: tuple[tuple[str, ...], ...]
    """``[formed][faction]``: a faction change's event id."""
    faction_names: tuple[str, ...]
    """``[faction]``: a faction change's detail."""

    @classmethod
    def of(cls, leaders: list[str], posts: list[str], factions: list[tuple[str, str]]):
        """The texts of a scenario's ``leaders``, ``posts`` and ``factions`` (id, name)."""
        return cls(
            move_ids=tuple(tuple(f"{move}-{leader}" for leader in leaders) for move in _MOVE_NAMES),
            moves_in=tuple(
                tuple(
                    tuple(f"{arena}: {_DETAIL_WORDS[move].format(leader)}" for leader in leaders)
                    for move in _MOVE_NAMES
                )
                for arena in _ARENA_NAMES
            ),
            appointment_ids=tuple(f"appointment-{post}" for post in posts),
            appointed_by=tuple(f"appointed by {leader}" for leader in leaders),
            appeal_ids=tuple(f"appeal-{leader}" for leader in leaders),
            speaks_out=tuple(f"{arena}: speaks out against the majority" for arena in _ARENA_NAMES),
            faction_ids=tuple(
                tuple(faction_change_id(kind, faction_id) for faction_id, _ in factions)
                for kind in _FACTION_KINDS
            ),
            faction_names=tuple(name for _, name in factions),
        )


def faction_change_id(kind: str, faction_id: str) -> str:
    """The event id the model logs a faction's change with: ``faction_formed-troika``."""
    return f"{kind}-{faction_id}"


def log_decisions(model: PartyModel, rows: int) -> None:
    """Write the month's decisions, as :mod:`.leadership` logged them, to the run's logs.

    One pass over the rows of integers, each unpacked in the order of its named
    type's fields (:mod:`.rows`): building the named rows first cost as much as
    writing the logs from them.
    """
    leaders, posts, organisations = model.leader_ids, model.post_ids, model.organisation_ids
    date, events, texts = model.date, model.event_log, model.decision_texts
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
                        motion(_MOVE_NAMES[move], named),
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
            detail, event_id = texts.moves_in[arena][move][target], texts.move_ids[move][target]
            sanction = _SANCTION_KIND[move]
            events.append(
                new_row(
                    EventRow, (date, event_id, sanction, leaders[proposer], "", MODEL, detail, "")
                )
            )
        elif kind == _APPOINTMENT:
            _, appointee, post, appointer, _, _, _ = row
            event_id, detail = texts.appointment_ids[post], texts.appointed_by[appointer]
            events.append(
                new_row(
                    EventRow,
                    (
                        date,
                        event_id,
                        "appointment",
                        leaders[appointee],
                        posts[post],
                        MODEL,
                        detail,
                        "",
                    ),
                )
            )
        elif kind == _APPEAL:
            _, arena, leader, _, _, _, _ = row
            event_id, detail = texts.appeal_ids[leader], texts.speaks_out[arena]
            events.append(
                new_row(
                    EventRow, (date, event_id, "appeal", leaders[leader], "", MODEL, detail, "")
                )
            )
        elif kind == _FACTION_CHANGE:
            _, f, formed, _, _, _, _ = row
            event_id, name = texts.faction_ids[formed][f], texts.faction_names[f]
            events.append(
                new_row(EventRow, (date, event_id, _FACTION_KINDS[formed], "", "", MODEL, name, ""))
            )
        elif kind == _PLENUM_REMOVAL:
            _, move, leader, post, _, _, _ = row
            target_id, event_id = leaders[leader], texts.move_ids[move][leader]
            detail = texts.moves_in[PLENUM][move][leader]
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
            _, organisation, beneficiary, replaced, _, _, _ = row
            detail = (
                f"purge of {model.parameters.purge_share:.0%} of the secretaries"
                if replaced
                else "its head removed; no secretaries replaced: the purge's beneficiary died"
            )
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
