"""Historical targets: facts of the source chapter that a free-mode run should reproduce.

Each target is checkable on a run's tenures, votes and events, so the same
definitions score a single run, an ensemble on disk and the runs of a fit.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from simulation.calendar import MonthField
from simulation.scenario import Scenario, ScenarioError
from simulation.scenario.loader import format_path, line_of, read_yaml
from simulation.scenario.schema import Arena, Identifier, Share

Months = Annotated[int, Field(ge=0, le=120)]


class _Target(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    id: Identifier
    source: str = Field(min_length=3)


class HoldsThroughout(_Target):
    """The leader holds the post every month from ``from_`` to the end."""

    kind: Literal["holds_throughout"]
    leader: Identifier
    post: Identifier
    from_: MonthField = Field(alias="from")


class Succeeds(_Target):
    """The leader is the first to hold the post after ``after``, near ``date``."""

    kind: Literal["succeeds"]
    leader: Identifier
    post: Identifier
    after: MonthField
    date: MonthField
    tolerance: Months = 3
    instead_of: list[Identifier] = []


class LeavesPost(_Target):
    """The leader first loses the post near ``date`` (or, with ``by``, no later)."""

    kind: Literal["leaves_post"]
    leader: Identifier
    post: Identifier
    date: MonthField
    tolerance: Months = 3
    by: bool = False


class Condemned(_Target):
    """A carried motion in the arena that month names the leader among its targets."""

    kind: Literal["condemned"]
    leader: Identifier
    arena: Arena
    date: MonthField
    min_share: Share = 0.5
    share: Share | None = Field(None, description="the historical share of votes for")


class Purged(_Target):
    """The organisation is purged near ``date``."""

    kind: Literal["purged"]
    organisation: Identifier
    date: MonthField
    tolerance: Months = 1


class Order(_Target):
    """``first`` is condemned by a conference or congress before any of ``then`` is."""

    kind: Literal["order"]
    first: Identifier
    then: list[Identifier]


Target = Annotated[
    HoldsThroughout | Succeeds | LeavesPost | Condemned | Purged | Order,
    Field(discriminator="kind"),
]


KINDS = {"holds_throughout", "succeeds", "leaves_post", "condemned", "purged", "order"}


class Targets(BaseModel):
    """The targets file."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    targets: list[Target]


def _references(target: BaseModel) -> list[tuple[str, str | list[str]]]:
    fields = ("leader", "post", "organisation", "first", "then", "instead_of")
    return [(name, getattr(target, name)) for name in fields if hasattr(target, name)]


def _check(targets: Targets, scenario: Scenario) -> list[tuple[tuple, str]]:
    known = {
        "leader": {leader.id for leader in scenario.leaders},
        "post": set(scenario.posts),
        "organisation": {org.id for org in scenario.organisations},
    }
    kinds = {"first": "leader", "then": "leader", "instead_of": "leader"}
    problems = []
    for index, target in enumerate(targets.targets):
        for name, value in _references(target):
            kind = kinds.get(name, name)
            for position, item in enumerate(value if isinstance(value, list) else [value]):
                if item not in known[kind]:
                    path = ("targets", index, name) + (
                        (position,) if isinstance(value, list) else ()
                    )
                    listing = ", ".join(sorted(known[kind]))
                    problems.append((path, f"unknown {kind} {item!r} (expected one of: {listing})"))
    return problems


def load_targets(path: str | Path, scenario: Scenario) -> Targets:
    """Read and validate a targets file against the scenario it will score.

    Raises:
        ScenarioError: listing every problem as ``FILE:LINE: field: message``.
    """
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except OSError:
        raise ScenarioError([f"{path}: no such targets file"]) from None
    data, root = read_yaml(text, str(path), what="targets")
    try:
        targets = Targets.model_validate(data)
    except ValidationError as error:
        problems = []
        for item in error.errors():
            where = tuple(part for part in item["loc"] if part not in KINDS)
            problems.append(f"{path}:{line_of(root, where)}: {format_path(where)}: {item['msg']}")
        raise ScenarioError(problems) from None
    problems = _check(targets, scenario)
    if problems:
        raise ScenarioError(
            [
                f"{path}:{line_of(root, where)}: {format_path(where)}: {what}"
                for where, what in problems
            ]
        )
    return targets
