"""Historical patterns at several levels, each to be fitted or held out.

Pattern-oriented modelling judges a model by many weak patterns at different
levels rather than one strong one: who holds the offices, the Politburo's
composition, when leaders are removed, how the sittings vote, who is close to
whom, where a leader stands, when factions form. Each pattern carries its date, its tolerance, its
citation and its role: ``fit`` patterns are what calibration sees, ``hold_out``
patterns only the assessment reads.

References:
    Grimm, V. et al. (2005). Pattern-oriented modeling of agent-based complex
    systems: lessons from ecology. Science 310, 987-991.
"""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from simulation.calendar import Month, MonthField
from simulation.scenario import Scenario, ScenarioError
from simulation.scenario.loader import format_path, line_of, read_text, read_yaml
from simulation.scenario.messages import in_reading_order, unknown
from simulation.scenario.schema import Arena, Identifier, Share
from simulation.scenario.validation import pydantic_message

Months = Annotated[int, Field(ge=0, le=60)]


class Role(StrEnum):
    """Whether calibration may see a pattern."""

    FIT = "fit"
    HOLD_OUT = "hold_out"


class Level(StrEnum):
    """The level of organisation a pattern describes (the report's groups)."""

    OFFICES = "offices"
    POLITBURO = "politburo"
    TIMINGS = "timings"
    VOTES = "votes"
    ALIGNMENTS = "alignments"
    POSITIONS = "positions"
    FACTIONS = "factions"


class _Pattern(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    id: Identifier
    date: MonthField
    role: Role
    source: str = Field(min_length=3, description="the source chapter section or chronology row")


class Holds(_Pattern):
    """The leader holds the post in some month within ``tolerance`` of ``date``."""

    kind: Literal["holds"]
    level: Literal[Level.OFFICES] = Level.OFFICES
    leader: Identifier
    post: Identifier
    tolerance: Months = 0


class Succeeds(_Pattern):
    """The leader first takes the post after ``after``, within ``tolerance`` of ``date``.

    ``post`` may list several posts, any of which counts: one headship under
    two titles (the Comintern led with or without its chairman's title).
    """

    kind: Literal["succeeds"]
    level: Literal[Level.OFFICES] = Level.OFFICES
    leader: Identifier
    post: Identifier | list[Identifier]
    after: MonthField
    tolerance: Months = 1


class Removal(_Pattern):
    """The leader first loses the post within ``tolerance`` of ``date``."""

    kind: Literal["removal"]
    level: Literal[Level.TIMINGS] = Level.TIMINGS
    leader: Identifier
    post: Identifier
    tolerance: Months = 1


class Politburo(_Pattern):
    """The full members at ``date`` overlap ``members`` by at least ``min_overlap`` (Jaccard)."""

    kind: Literal["politburo"]
    level: Literal[Level.POLITBURO] = Level.POLITBURO
    members: list[Identifier] = Field(min_length=1)
    min_overlap: Share = 0.8


class PolitburoSize(_Pattern):
    """The number of full members at ``date`` is within ``tolerance`` seats of ``size``."""

    kind: Literal["politburo_size"]
    level: Literal[Level.POLITBURO] = Level.POLITBURO
    size: Annotated[int, Field(ge=1, le=40)]
    tolerance: Annotated[int, Field(ge=0, le=10)] = 0


class Vote(_Pattern):
    """A carried motion in ``arena`` near ``date`` names ``target``; the opposition is small."""

    kind: Literal["vote"]
    level: Literal[Level.VOTES] = Level.VOTES
    arena: Arena
    target: Identifier
    max_opposition: Share = 0.25
    tolerance: Months = 0


class Spared(_Pattern):
    """No carried verdict of condemnation names the leader up to ``date``.

    What a leader was not made is a pattern too: a model that condemns a man of
    the majority with the opposition has him on the wrong side of the struggle,
    whatever his offices say. The verdicts are the model's own (free mode): its
    motions of condemnation, at any sitting.
    """

    kind: Literal["spared"]
    level: Literal[Level.VOTES] = Level.VOTES
    leader: Identifier


class Sign(StrEnum):
    """The sign of an affinity: positive (close) or negative (hostile)."""

    CLOSE = "close"
    HOSTILE = "hostile"


class _PairPattern(_Pattern):
    """A pattern about two different leaders, read at the alignments' level."""

    level: Literal[Level.ALIGNMENTS] = Level.ALIGNMENTS
    leaders: list[Identifier] = Field(min_length=2, max_length=2)

    @model_validator(mode="after")
    def _two_leaders(self) -> _PairPattern:
        if self.leaders[0] == self.leaders[1]:
            article = "an" if self.kind[0] in "aeiou" else "a"
            needs = f"{article} {self.kind} needs two different leaders"
            raise ValueError(f"{needs}, got {self.leaders}")
        return self


class Alignment(_PairPattern):
    """The affinity of two leaders at ``date`` has the given sign."""

    kind: Literal["alignment"]
    sign: Sign


class Grievance(_PairPattern):
    """The first leader holds at least ``at_least`` of grievance against the second at ``date``.

    A resentment the sources record while the two were still allies (the cave
    proposal of 1923 against the General Secretary's appointments): an
    alignment pattern would see only their closeness.
    """

    kind: Literal["grievance"]
    at_least: float = Field(gt=0.0, le=1.0)


class Axis(StrEnum):
    """An axis of a leader's stance, in the order the model keeps them."""

    ECONOMIC = "economic"
    REGIME = "regime"


Stance = Annotated[float, Field(ge=-1.0, le=1.0)]


class Position(_Pattern):
    """The leader's stance on ``axis`` at ``date`` is ``below`` (or ``above``) a value.

    Strictly, with no tolerance: a turn the sources date (Trotsky, the centraliser of
    1920-22, for party democracy with his letter of October 1923). Its own level, since
    a stance is neither an office nor a tie between two leaders; the report, the plots
    and the null models read levels from the patterns, so a level needs no code of its own.
    """

    kind: Literal["position"]
    level: Literal[Level.POSITIONS] = Level.POSITIONS
    leader: Identifier
    axis: Axis
    below: Stance | None = None
    above: Stance | None = None

    @model_validator(mode="after")
    def _one_bound(self) -> Position:
        if (self.below is None) == (self.above is None):
            got = "both" if self.below is not None else "neither"
            raise ValueError(f"a position needs exactly one of below and above, got {got}")
        return self


class FactionForms(_Pattern):
    """The faction first becomes active within ``tolerance`` of ``date``."""

    kind: Literal["faction"]
    level: Literal[Level.FACTIONS] = Level.FACTIONS
    faction: Identifier
    tolerance: Months = 1


Pattern = Annotated[
    Holds
    | Succeeds
    | Removal
    | Politburo
    | PolitburoSize
    | Vote
    | Spared
    | Alignment
    | Grievance
    | Position
    | FactionForms,
    Field(discriminator="kind"),
]
KINDS = {
    "holds",
    "succeeds",
    "removal",
    "politburo",
    "politburo_size",
    "vote",
    "spared",
    "alignment",
    "grievance",
    "position",
    "faction",
}
TIMED = (Holds, Succeeds, Removal, FactionForms)
"""Kinds whose score includes a month error."""


class Patterns(BaseModel):
    """The patterns file (its ids are checked unique, with the rest, by :func:`load_patterns`)."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    patterns: list[Pattern] = Field(min_length=1)


def fitted(patterns: list[Pattern], until: Month | None = None) -> list[Pattern]:
    """What calibration fits: the ``fit`` patterns, and with ``until`` only those dated by then."""
    return [
        pattern
        for pattern in patterns
        if pattern.role is Role.FIT and (until is None or pattern.date <= until)
    ]


_REFERENCES = {
    "leader": "leader",
    "post": "post",
    "target": "leader",
    "members": "leader",
    "leaders": "leader",
    "faction": "faction",
}


def _check(patterns: Patterns, scenario: Scenario) -> list[tuple[tuple, str]]:
    known = {
        "leader": {leader.id for leader in scenario.leaders},
        "post": set(scenario.posts),
        "faction": {faction.id for faction in scenario.factions},
    }
    problems = []
    first: dict[str, int] = {}
    for index, pattern in enumerate(patterns.patterns):
        if pattern.id in first:
            twice = f"{pattern.id!r} is also the id of patterns[{first[pattern.id]}]"
            problems.append((("patterns", index, "id"), twice))
        first.setdefault(pattern.id, index)
        if not scenario.start <= pattern.date <= scenario.end:
            problems.append(
                (
                    ("patterns", index, "date"),
                    f"{pattern.date} is outside the scenario ({scenario.start} to {scenario.end})",
                )
            )
        for name, kind in _REFERENCES.items():
            value = getattr(pattern, name, None)
            if value is None:
                continue
            items = value if isinstance(value, list) else [value]
            for position, item in enumerate(items):
                if item not in known[kind]:
                    path = ("patterns", index, name) + (
                        (position,) if isinstance(value, list) else ()
                    )
                    problems.append((path, unknown(kind, item, known[kind])))
    return problems


def load_patterns(path: str | Path, scenario: Scenario) -> Patterns:
    """Read and validate a patterns file against the scenario whose runs it will score.

    Raises:
        ScenarioError: listing every problem as ``FILE:LINE: field: message``.
    """
    path = Path(path)
    text = read_text(path, "patterns file")
    data, root = read_yaml(text, str(path), what="patterns")
    try:
        patterns = Patterns.model_validate(data)
    except ValidationError as error:
        problems = []
        for item in error.errors():
            where = tuple(part for part in item["loc"] if part not in KINDS)
            if item["type"] in ("union_tag_invalid", "union_tag_not_found"):
                where += ("kind",)
            message = pydantic_message(item)
            problems.append(f"{path}:{line_of(root, where)}: {format_path(where)}: {message}")
        raise ScenarioError(in_reading_order(problems)) from None
    problems = _check(patterns, scenario)
    if problems:
        raise ScenarioError(
            in_reading_order(
                [
                    f"{path}:{line_of(root, where)}: {format_path(where)}: {what}"
                    for where, what in problems
                ]
            )
        )
    return patterns
