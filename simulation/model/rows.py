"""The rows a run logs, as named types: scenario and model events, votes, and decisions.

:class:`EventRow` and :class:`VoteRow` are the rows of a run's ``events`` and
``votes`` frames (their fields are the columns, :data:`EVENT_COLUMNS` and
:data:`VOTE_COLUMNS`). Free-mode decisions are made in compiled code, which
writes them as rows of integers into the model state's ``decision_log``; the
``write_*`` functions below encode them, a row's kind first (:func:`kind_code`),
then its values in the order of the fields of its named type (:class:`Appointment`,
:class:`Vote`, ...). :func:`.decisions.log_decisions` reads them back in that order.
"""

from __future__ import annotations

from typing import NamedTuple

from numba import njit


class EventRow(NamedTuple):
    """One row of a run's event log."""

    date: str
    event_id: str
    type: str
    actor: str
    """The leaders acting (or, for a removal, removed), joined by ``;``."""
    post: str
    origin: str
    """``scenario`` for a scenario event, ``model`` for a decision the model made."""
    detail: str
    organisation: str


class VoteRow(NamedTuple):
    """One row of a run's vote log: a motion put to an arena and its count."""

    date: str
    arena: str
    motion: str
    sponsor: str
    target: str
    votes_for: int
    votes_against: int
    carried: bool
    forced: bool
    """Whether the scenario forced the outcome: ``carried`` is then the scenario's, whatever
    the count (in replay, how far the latent state supported a historical decision)."""


EVENT_COLUMNS = list(EventRow._fields)
VOTE_COLUMNS = list(VoteRow._fields)


def motion(move: str, named: str) -> str:
    """A model's motion as the vote log writes it: the move, then its ``;``-joined targets.

    A scenario's vote carries its own text instead; :func:`is_motion` tells the model's apart.
    """
    return f"{move} of {named}"


def is_motion(text: str, move: str) -> bool:
    """Whether a vote log's motion ``text`` is a model's motion of kind ``move``."""
    return text.startswith(motion(move, ""))


# --- decisions made in compiled code ---------------------------------------------


class PurgeRemoval(NamedTuple):
    """The purged organisation's head loses his post."""

    leader: int
    post: int
    organisation: int


class Purge(NamedTuple):
    """An organisation's secretaries purged in favour of the beneficiary."""

    organisation: int
    beneficiary: int
    replaced: int
    """1 if the secretaries were replaced by his; 0 if he had died since the congress (the
    dead are given no secretaries, as in a replayed purge)."""


class Appointment(NamedTuple):
    """A vacant office filled."""

    appointee: int
    post: int
    appointer: int


class VoteTarget(NamedTuple):
    """One target of the :class:`Vote` that follows (a reader folds it into the vote)."""

    leader: int


class Vote(NamedTuple):
    """A motion put to the vote (arena and move codes: see :mod:`.leadership`)."""

    arena: int
    move: int
    proposer: int
    votes_for: int
    votes_against: int
    carried: int
    targets: tuple[int, ...] = ()
    """The motion's targets, from the :class:`VoteTarget` rows written before it."""


class Sanction(NamedTuple):
    """A carried campaign or condemnation, for one of its targets."""

    arena: int
    move: int
    proposer: int
    target: int


class PlenumRemoval(NamedTuple):
    """A plenum takes a post from a leader (by removal or expulsion)."""

    move: int
    leader: int
    post: int


class Takeover(NamedTuple):
    """A regional head replaced because another leader's clients hold his organisation."""

    leader: int
    post: int
    organisation: int
    master: int


class Appeal(NamedTuple):
    """A leader speaks out against the strongest at a sitting (see :mod:`.leadership`)."""

    arena: int
    leader: int


class FactionChange(NamedTuple):
    """A declared faction formed (``formed`` 1) or dissolved (0) in free mode."""

    faction: int
    formed: int


DECISIONS = (
    PurgeRemoval,
    Purge,
    Appointment,
    VoteTarget,
    Vote,
    Sanction,
    PlenumRemoval,
    Takeover,
    FactionChange,
    Appeal,
)
"""The kinds of decision rows: a row's first integer is its kind's position here."""
ROW_WIDTH = 7
"""A row's integers: its kind and up to six values (a :class:`Vote`'s targets are rows of their
own, so that a row has a fixed width whatever the number of targets)."""
_PURGE_REMOVAL = DECISIONS.index(PurgeRemoval)
_PURGE = DECISIONS.index(Purge)
_APPOINTMENT = DECISIONS.index(Appointment)
_VOTE_TARGET = DECISIONS.index(VoteTarget)
_VOTE = DECISIONS.index(Vote)
_SANCTION = DECISIONS.index(Sanction)
_PLENUM_REMOVAL = DECISIONS.index(PlenumRemoval)
_TAKEOVER = DECISIONS.index(Takeover)
_FACTION_CHANGE = DECISIONS.index(FactionChange)
_APPEAL = DECISIONS.index(Appeal)


@njit(cache=True)
def _write(log, row, kind, a=0, b=0, c=0, d=0, e=0, f=0):
    log[row, 0] = kind
    log[row, 1] = a
    log[row, 2] = b
    log[row, 3] = c
    log[row, 4] = d
    log[row, 5] = e
    log[row, 6] = f
    return row + 1


@njit(cache=True)
def write_purge_removal(log, row, leader, post, organisation):
    """Log a :class:`PurgeRemoval` at ``row``; return the next row."""
    return _write(log, row, _PURGE_REMOVAL, leader, post, organisation)


@njit(cache=True)
def write_purge(log, row, organisation, beneficiary, replaced):
    """Log a :class:`Purge` at ``row``; return the next row."""
    return _write(log, row, _PURGE, organisation, beneficiary, replaced)


@njit(cache=True)
def write_appointment(log, row, appointee, post, appointer):
    """Log an :class:`Appointment` at ``row``; return the next row."""
    return _write(log, row, _APPOINTMENT, appointee, post, appointer)


@njit(cache=True)
def write_vote_target(log, row, leader):
    """Log a :class:`VoteTarget` at ``row``; return the next row."""
    return _write(log, row, _VOTE_TARGET, leader)


@njit(cache=True)
def write_vote(log, row, arena, move, proposer, votes_for, votes_against, carried):
    """Log a :class:`Vote` at ``row``; return the next row."""
    return _write(log, row, _VOTE, arena, move, proposer, votes_for, votes_against, carried)


@njit(cache=True)
def write_sanction(log, row, arena, move, proposer, target):
    """Log a :class:`Sanction` at ``row``; return the next row."""
    return _write(log, row, _SANCTION, arena, move, proposer, target)


@njit(cache=True)
def write_plenum_removal(log, row, move, leader, post):
    """Log a :class:`PlenumRemoval` at ``row``; return the next row."""
    return _write(log, row, _PLENUM_REMOVAL, move, leader, post)


@njit(cache=True)
def write_takeover(log, row, leader, post, organisation, master):
    """Log a :class:`Takeover` at ``row``; return the next row."""
    return _write(log, row, _TAKEOVER, leader, post, organisation, master)


@njit(cache=True)
def write_faction_change(log, row, faction, formed):
    """Log a :class:`FactionChange` at ``row``; return the next row."""
    return _write(log, row, _FACTION_CHANGE, faction, formed)


@njit(cache=True)
def write_appeal(log, row, arena, leader):
    """Log an :class:`Appeal` at ``row``; return the next row."""
    return _write(log, row, _APPEAL, arena, leader)


def kind_code(kind: type) -> int:
    """The integer that starts a row of ``kind``; the row's values follow in its fields' order.

    For the reader that unpacks the rows (:func:`.decisions.log_decisions`, which writes
    the run's logs in one pass).
    """
    return DECISIONS.index(kind)


new_row = tuple.__new__
"""``new_row(EventRow, values)``: a named row from a sequence of exactly its fields.

What ``EventRow._make`` does, without its check: a run logs some hundred rows, and the
checked constructors cost more than the rest of the logging.
"""
