"""The typed, immutable form of a scenario file.

Field names are the ones a historian reads in the YAML, the ``--set`` flag and
the reports; each model forbids unknown fields so that a misspelt key is an
error, not a silently ignored line.

Every number has a finite range and a strict type: ``influence: true`` or
``influence: '0.5'`` is a mistake to report, not a value to convert, and a
count as large as ``delegates: 1e23`` would overflow the model's integers.
The bounds are far above anything in the party's history (the baseline's
largest organisation has 225,000 members, its largest congress 748 delegates).
"""

from __future__ import annotations

import re
from enum import StrEnum
from typing import Annotated, Literal

from pydantic import (
    AfterValidator,
    BeforeValidator,
    Field,
    StrictBool,
)

from simulation.calendar import MonthField
from simulation.scenario.frozen import Frozen
from simulation.scenario.parameters import Parameters

Identifier = Annotated[str, Field(pattern=r"^[a-z][a-z0-9_\-]*$", max_length=64)]
Share = Annotated[float, Field(ge=0.0, le=1.0, strict=True, allow_inf_nan=False)]
Delta = Annotated[float, Field(ge=-1.0, le=1.0, strict=True, allow_inf_nan=False)]

MAX_MEMBERS = 100_000_000
"""Members of one organisation, or recruits in one month: a hundred times the 1920s party."""

MAX_DELEGATES = 100_000
"""Delegates to one sitting, far above any congress of the period (the baseline's largest: 748)."""

MAX_MONTHS = 600
"""The longest span in months: a scenario's period, an absence, an intake's duration."""

MAX_RECRUITMENT_WEIGHT = 100.0
"""How many times its size an organisation may draw of an intake (the baseline's largest: 1.6)."""

MAX_SEATS = 1_000
"""Most seats a body may keep filled (the baseline's Politburo: 7)."""

_SLUG = re.compile(r"[A-Za-z0-9_\-][A-Za-z0-9_.\-]{0,99}")
_RESERVED = re.compile(r"(con|prn|aux|nul|com[1-9]|lpt[1-9])(\..*)?", re.IGNORECASE)
"""Names Windows gives no folder (a device's), with or without an extension."""


def _slug(name: str) -> str:
    """Refuse a scenario name that could not safely be a folder's name, on any system."""
    if not _SLUG.fullmatch(name) or ".." in name or name.endswith(".") or _RESERVED.fullmatch(name):
        raise ValueError(
            "expected a name of at most 100 letters, digits, '-', '_' and '.', not starting "
            "or ending with '.', without '..' and not a device's name on Windows (con, nul, "
            "aux, prn, com1, lpt1, ...): outputs are written in a folder of this name"
        )
    return name


Name = Annotated[str, Field(strict=True), AfterValidator(_slug)]


def _count(minimum: int, maximum: int) -> object:
    """A whole number from ``minimum`` to ``maximum``, written as an integer."""
    return Annotated[int, Field(ge=minimum, le=maximum, strict=True)]


Members = _count(0, MAX_MEMBERS)
Headcount = _count(1, MAX_MEMBERS)
"""A number of people that must be positive: functionaries, recruits per month, the purged."""
Delegates = _count(1, MAX_DELEGATES)
Months = _count(1, MAX_MONTHS)


def _as_list(value: object) -> object:
    """Let a single leader id stand where a list of ids is expected."""
    return [value] if isinstance(value, str) else value


IdList = Annotated[list[Identifier], BeforeValidator(_as_list)]


class EventType(StrEnum):
    """What happens in an event; each type has its own effect on the model."""

    INCAPACITATION = "incapacitation"
    RECOVERY = "recovery"
    DEATH = "death"
    ABSENCE = "absence"
    APPOINTMENT = "appointment"
    REMOVAL = "removal"
    DEMOTION = "demotion"
    RESOLUTION = "resolution"
    CONDEMNATION = "condemnation"
    FACTION_FORMED = "faction_formed"
    FACTION_DISSOLVED = "faction_dissolved"
    MEMBERSHIP_INTAKE = "membership_intake"
    PURGE = "purge"
    PUBLICATION = "publication"
    POLEMIC = "polemic"
    FOREIGN_SHOCK = "foreign_shock"
    ECONOMIC_SHOCK = "economic_shock"
    STANCE_SHIFT = "stance_shift"
    CONGRESS = "congress"
    CONFERENCE = "conference"
    PLENUM = "plenum"


class EventKind(StrEnum):
    """Exogenous events happen in every mode; decisions are forced only in replay.

    An event marked ``intervention`` (what a counterfactual adds or changes)
    applies in every mode whatever its kind.
    """

    EXOGENOUS = "exogenous"
    DECISION = "decision"


class Arena(StrEnum):
    """Where a motion is voted: the Politburo sits monthly, the others by the calendar."""

    POLITBURO = "politburo"
    PLENUM = "plenum"
    CONFERENCE = "conference"
    CONGRESS = "congress"


SITTINGS = {
    EventType.CONGRESS: Arena.CONGRESS,
    EventType.CONFERENCE: Arena.CONFERENCE,
    EventType.PLENUM: Arena.PLENUM,
}
"""Calendar event types that open a sitting of an arena."""


class Stance(Frozen):
    """Positions on the two axes of the 1920s debates, each from -1 to 1.

    ``economic``: -1 rapid industrialisation at the peasants' expense ... +1 NEP
    and concessions to the peasantry. ``regime``: -1 inner-party democracy ...
    +1 discipline and control by the apparatus.
    """

    economic: Delta
    regime: Delta


class StanceChange(Frozen):
    """A new position on one or both axes; an omitted axis keeps its value."""

    economic: Delta | None = None
    regime: Delta | None = None


class Leader(Frozen):
    """A party leader at the scenario's start."""

    id: Identifier
    name: str
    influence: Share = Field(description="standing and prestige in the party")
    apparatus: Share = Field(
        0.0,
        description="share of secretaries loyal to this leader in organisations "
        "that do not list their own loyalties",
    )
    posts: list[Identifier] = []
    stance: Stance
    stance_read_off: dict[Literal["economic", "regime"], str] = Field(
        {},
        description="for an axis of the starting stance estimated from what the leader did "
        "after the scenario's start, that later act: the hindsight audit lists it and "
        "measures the patterns with the axis at the leadership's average instead",
    )
    health: Share = 1.0
    illness_rate: Share = Field(
        0.0,
        description="monthly probability, in the months the leaders decide, that a leader "
        "with a record of illness falls ill and is absent for illness_months",
    )
    illness_months: int = Field(2, ge=1, le=24, strict=True)
    illness_from: MonthField | None = Field(
        None,
        description="the month his record of illness begins: no episode is drawn for him "
        "before it (by default, from the scenario's start)",
    )
    patron: Identifier | None = Field(
        None, description="the leader whose client he is at the start (his career depends on him)"
    )
    organisation: Identifier | None = Field(
        None,
        description="the organisation whose own man he is (a commander of the army, a "
        "trade-unionist): when its head's office falls vacant in free mode, its senior man "
        "the appointer can count on is the first choice",
    )
    barred_from: list[Identifier] = Field(
        [],
        description="offices his colleagues would not give him (or he would not accept) "
        "when filling a vacancy in free mode",
    )
    base: str = ""
    source: str


class Post(Frozen):
    """An office: what it gives in appointments (patronage) and in standing (prestige)."""

    name: str
    patronage: Share = 0.0
    prestige: Share = 0.0
    unique: StrictBool = True
    appoints_in: list[Identifier] | Literal["all"] = []
    succession: list[Identifier] = Field(
        [],
        description="posts whose holders may fill a vacancy in free mode, in order of "
        "precedence (default: the scenario's default_succession)",
    )
    votes_in: Literal["politburo"] | None = Field(
        None,
        description="the body whose votes this post's holders cast (one post at most: the "
        "Politburo's full members)",
    )
    seats: Annotated[int, Field(ge=1, le=MAX_SEATS, strict=True)] | None = Field(
        None,
        description="for a post of a body held by several: the seats the leadership keeps "
        "filled in free mode, promoting holders of the promoted_from posts",
    )
    promoted_from: list[Identifier] = Field(
        [],
        description="posts whose holders may be promoted to a free seat, in order of "
        "precedence; the promoted leave the post they came from",
    )
    deputy_to: Identifier | None = Field(
        None,
        description="the office this post deputises for: a holder the model appoints to it "
        "leaves this post (a deputy premier made premier)",
    )
    description: str = ""
    source: str


class Organisation(Frozen):
    """A party organisation or institution that sends delegates and has secretaries."""

    id: Identifier
    name: str
    members: Members
    functionaries: Headcount
    head_post: Identifier | None = None
    protection: Share = 0.0
    loyalty: dict[Identifier, Share] | None = None
    recruitment_weight: Annotated[
        float, Field(ge=0.0, le=MAX_RECRUITMENT_WEIGHT, strict=True, allow_inf_nan=False)
    ] = 1.0
    source: str


class Faction(Frozen):
    """A named bloc of leaders, declared by ``faction_formed`` events."""

    id: Identifier
    name: str
    members: IdList
    description: str = ""
    source: str


EVENT_WORDS = ("description", "source", "label", "motion")
"""Event fields that say how an event is told (its text, its citation, its mark on the plots,
its motion's wording), not what it does: rewording an event changes no run."""


class Event(Frozen):
    """A dated event; which optional fields it needs depends on its type."""

    id: Identifier
    date: MonthField
    type: EventType
    kind: EventKind
    description: str
    source: str = Field(min_length=3)
    label: str | None = Field(None, description="short label; labelled events are marked on plots")
    who: IdList = []
    target: IdList = []
    by: IdList = []
    post: Identifier | None = None
    to_post: Identifier | None = None
    organisation: Identifier | None = None
    beneficiary: Identifier | None = None
    faction: Identifier | None = None
    arena: Arena | None = None
    motion: str | None = None
    passed: StrictBool = Field(True, description="whether the motion carried (replay forces it)")
    delegates: Delegates | None = None
    health: Share | None = None
    months: Months | None = None
    members_per_month: Headcount | None = None
    functionaries: Headcount | None = None
    share: Share | None = Field(None, description="share of loyalty a purge moves, if no count")
    influence: dict[Identifier, Delta] = {}
    blame: dict[Identifier, Share] = Field(
        {},
        description="offices answerable for a failure, each with the standing its holder "
        "loses; where the leaders decide, the strongest picks one scapegoat among the holders",
    )
    failure: StrictBool | None = Field(
        None,
        description="a failure of the line the leadership answers for; by default, whether the "
        "event blames an office",
    )
    stance: dict[Identifier, StanceChange] = {}
    protection: dict[Identifier, Share] = {}
    intervention: StrictBool = Field(
        False,
        description="a counterfactual's change (added, modified or moved by an overlay or a "
        "flag): applied in every mode, whatever its kind; set by the changes, not written by hand",
    )

    @property
    def fails_the_line(self) -> bool:
        """Whether the event is a failure of the line: said so, or else whether it blames an office.

        Kept apart from ``blame`` because the failure (a harvest, a defeat abroad) is the
        world's, and whom it is pinned on is a verdict the hindsight audit removes.
        """
        return self.failure if self.failure is not None else bool(self.blame)


class Scenario(Frozen):
    """A whole scenario: the period, its people, offices, organisations and events."""

    name: Name
    description: str = ""
    start: MonthField
    end: MonthField
    parameters: Parameters = Parameters()
    arbiter: Identifier | None = Field(
        None,
        description="a leader whose life forbids any reorganisation of power: while he "
        "lives, no Politburo member is condemned or removed in free mode",
    )
    default_succession: list[Identifier] = Field(
        [],
        description="posts whose holders may fill a vacant office that names no succession "
        "of its own, in order of precedence",
    )
    free_from: MonthField | None = Field(
        None,
        description="branch from history: the scenario's decisions are replayed before this "
        "month and the leaders decide from it on, whatever the mode",
    )
    leaders: Annotated[list[Leader], Field(min_length=1)]
    posts: dict[Identifier, Post]
    organisations: Annotated[list[Organisation], Field(min_length=1)]
    factions: list[Faction] = []
    events: list[Event] = []

    def mode_label(self, mode: str) -> str:
        """How runs in ``mode`` treat the decisions: ``replay``, ``free`` or ``free from YYYY-MM``.

        A branch from history (``free_from``) decides from its month whatever the mode: the
        commands, the reports and the figures name the runs by this one rule.
        """
        return str(mode) if self.free_from is None else f"free from {self.free_from}"
