"""The typed, immutable form of a scenario file.

Field names are the ones a historian reads in the YAML, the ``--set`` flag and
the reports; each model forbids unknown fields so that a misspelt key is an
error, not a silently ignored line.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Annotated, Any, Literal

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, model_validator

from simulation.calendar import MonthField

Identifier = Annotated[str, Field(pattern=r"^[a-z][a-z0-9_\-]*$")]
Share = Annotated[float, Field(ge=0.0, le=1.0)]
Delta = Annotated[float, Field(ge=-1.0, le=1.0)]


def _as_list(value: object) -> object:
    """Let a single leader id stand where a list of ids is expected."""
    return [value] if isinstance(value, str) else value


IdList = Annotated[list[Identifier], BeforeValidator(_as_list)]


class Frozen(BaseModel):
    """Base of every scenario model: immutable and strict about field names."""

    model_config = ConfigDict(frozen=True, extra="forbid")


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
    """Exogenous events happen in every mode; decisions are forced only in replay."""

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
    health: Share = 1.0
    patron: Identifier | None = Field(
        None, description="the leader whose client he is at the start (his career depends on him)"
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
    unique: bool = True
    appoints_in: list[Identifier] | Literal["all"] = []
    succession: list[Identifier] = Field(
        [],
        description="posts whose holders may fill a vacancy in free mode, in order of "
        "precedence (default: Politburo members, then candidates)",
    )
    description: str = ""
    source: str


class Organisation(Frozen):
    """A party organisation or institution that sends delegates and has secretaries."""

    id: Identifier
    name: str
    members: Annotated[int, Field(ge=0)]
    functionaries: Annotated[int, Field(gt=0)]
    head_post: Identifier | None = None
    protection: Share = 0.0
    loyalty: dict[Identifier, Share] | None = None
    recruitment_weight: Annotated[float, Field(ge=0.0)] = 1.0
    source: str


class Faction(Frozen):
    """A named bloc of leaders, declared by ``faction_formed`` events."""

    id: Identifier
    name: str
    members: IdList
    description: str = ""
    source: str


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
    passed: bool = Field(True, description="whether the motion carried (replay forces it)")
    delegates: Annotated[int, Field(gt=0)] | None = None
    health: Share | None = None
    months: Annotated[int, Field(gt=0)] | None = None
    members_per_month: Annotated[int, Field(gt=0)] | None = None
    functionaries: Annotated[int, Field(gt=0)] | None = None
    share: Share | None = Field(None, description="share of loyalty a purge moves, if no count")
    influence: dict[Identifier, Delta] = {}
    blame: dict[Identifier, Share] = {}
    stance: dict[Identifier, StanceChange] = {}
    protection: dict[Identifier, Share] = {}


def parameter(
    default: float,
    description: str,
    bounds: tuple[float, float] = (0.0, 1.0),
    prior: tuple[float, float] | None = None,
) -> Any:
    """Declare a model parameter: its default, meaning, range and calibration prior.

    The range is enforced on every scenario, overlay and ``--set`` value; the
    value must be a number (``true`` and ``'0.5'`` are refused, an integer is
    read as a float). A parameter with a ``prior`` (a uniform ``(low, high)``
    within the range) is one the calibration fits; the others keep their values.
    """
    low, high = bounds
    extra: dict[str, object] = {"bounds": bounds}
    if prior is not None:
        extra["prior"] = prior
    return Field(
        default,
        description=description,
        ge=low,
        le=high,
        strict=True,
        allow_inf_nan=False,
        json_schema_extra=extra,
    )


class Parameters(Frozen):
    """The model's parameters: the one registry of their names, meanings, ranges and priors.

    Rates are per month. The same names are used in the YAML, by ``--set
    parameters.NAME``, by the calibration and by the compiled model, which
    reads them from one packed array (:mod:`simulation.model.parameters`).
    """

    patronage_rate: float = parameter(
        0.06, "share of an organisation's secretaries replaceable per month"
    )
    loyalty_decay: float = parameter(0.004, "monthly drift of loyalty to unaligned")
    influence_drift: float = parameter(
        0.08, "monthly adjustment of influence toward what supports it"
    )
    record_decay: float = parameter(
        0.01, "monthly decay of personal record not converted into posts or clients"
    )
    client_weight: float = parameter(0.5, "standing a leader draws from his apparatus")
    alliance_rate: float = parameter(0.2, "monthly adjustment of affinities", prior=(0.05, 0.4))
    stance_weight: float = parameter(0.6, "weight of stance similarity in affinity")
    grievance_weight: float = parameter(0.8, "weight of grievances in affinity")
    grievance_decay: float = parameter(0.03, "monthly decay of grievances")
    polemic_grievance: float = parameter(0.4, "grievance left by an attack")
    common_enemy_weight: float = parameter(
        0.5,
        "pull between two leaders who share an enemy (structural balance)",
        prior=(0.0, 1.0),
    )
    obligation_weight: float = parameter(
        0.8, "weight of a client's obligation to his patron in affinity"
    )
    appointment_obligation: float = parameter(
        0.3, "obligation an appointment leaves toward those who decided it"
    )
    obligation_decay: float = parameter(0.01, "monthly decay of obligations")
    threat_weight: float = parameter(
        0.5, "weight of the lead in standing of the most prominent rival"
    )
    balancing: float = parameter(
        0.7, "1 = pure balancing against the strongest, 0 = pure bandwagoning", prior=(0.3, 0.9)
    )
    discipline: float = parameter(
        0.6, "probability an old member's delegate votes with the apparatus", prior=(0.4, 0.9)
    )
    recruit_discipline: float = parameter(
        0.9, "the same for members recruited from 1924 on", prior=(0.7, 1.0)
    )
    plenum_discipline: float = parameter(
        0.8, "probability a Central Committee member votes with his patron"
    )
    side_threshold: float = parameter(
        0.1, "affinity margin at which a leader takes a side on a motion", prior=(0.0, 0.3)
    )
    opinion_gamma: float = parameter(
        2.0,
        "sharpness of opinion votes: P(for) = I_s^g / (I_s^g + I_t^g)",
        bounds=(0.1, 20.0),
        prior=(1.0, 6.0),
    )
    membership_attrition: float = parameter(
        0.0082, "monthly share of members lost to purges, lapses and deaths"
    )
    move_threshold: float = parameter(
        0.6,
        "expected vote share a coalition needs before it moves against a rival",
        prior=(0.5, 0.8),
    )
    campaign_rate: float = parameter(
        0.15,
        "monthly probability a Politburo majority campaigns against its rival",
        prior=(0.05, 0.5),
    )
    campaign_size: float = parameter(
        0.03, "standing a campaign costs its target", prior=(0.01, 0.06)
    )
    condemnation_size: float = parameter(
        0.08,
        "standing a condemnation by a conference or congress costs",
        prior=(0.03, 0.15),
    )
    removal_threshold: float = parameter(
        0.35,
        "standing below which a condemned rival loses his executive posts",
        prior=(0.25, 0.6),
    )
    removal_delay: float = parameter(
        6.0,
        "months after his first condemnation before a plenum may strip a rival "
        "of office: the campaign against him must first run its course",
        bounds=(0.0, 36.0),
        prior=(0.0, 14.0),
    )
    expulsion_threshold: float = parameter(
        0.2,
        "standing below which a condemned rival loses his Politburo seat too",
        prior=(0.15, 0.55),
    )
    purge_share: float = parameter(
        0.75, "share of a defeated boss's clients purged after a congress defeat"
    )
    hostility: float = parameter(
        0.35,
        "affinity below which the dominant leader treats a leader as a rival",
        bounds=(-1.0, 1.0),
        prior=(0.1, 0.5),
    )
    purge_trigger: float = parameter(
        0.45,
        "losers' share of an organisation's secretaries that brings a purge",
        prior=(0.3, 0.6),
    )
    ally_threshold: float = parameter(
        0.3, "affinity above which a rival's ally shares his condemnation", prior=(0.1, 0.5)
    )
    threat_aversion: float = parameter(
        1.0,
        "how much an appointer avoids candidates with a power base of their own",
        bounds=(0.0, 5.0),
    )
    faction_threshold: float = parameter(
        0.35, "cohesion above which a declared faction counts as active (free mode)"
    )
    power_influence_weight: float = parameter(0.4, "weight of influence in a leader's power")
    power_apparatus_weight: float = parameter(0.4, "weight of the apparatus in a leader's power")
    power_posts_weight: float = parameter(0.2, "weight of posts' prestige in a leader's power")

    @model_validator(mode="after")
    def _power_is_weighed(self) -> Parameters:
        """Power shares divide by the weighted total: at least one weight must count."""
        weights = (self.power_influence_weight, self.power_apparatus_weight)
        if sum(weights) + self.power_posts_weight <= 0.0:
            raise ValueError(
                "power_influence_weight, power_apparatus_weight and power_posts_weight are "
                "all 0: at least one must be above 0, or every power share is 0"
            )
        return self


class Scenario(Frozen):
    """A whole scenario: the period, its people, offices, organisations and events."""

    name: str
    description: str = ""
    start: MonthField
    end: MonthField
    parameters: Parameters = Parameters()
    arbiter: Identifier | None = Field(
        None,
        description="a leader whose life forbids any reorganisation of power: while he "
        "lives, no Politburo member is condemned or removed in free mode",
    )
    leaders: list[Leader]
    posts: dict[Identifier, Post]
    organisations: list[Organisation]
    factions: list[Faction] = []
    events: list[Event] = []
