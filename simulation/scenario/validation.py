"""Validating a resolved draft into a :class:`Scenario`, every problem told where it was written.

Validation runs in two stages: the schema (types, ranges, unknown fields,
through pydantic) and then the checks that need a schema-valid scenario: the
cross-references of :mod:`checks` and the events for the dead of
:mod:`posthumous`. Both report field paths in the resolved data; the draft
turns each path into the file and line where that value was written.
"""

from __future__ import annotations

import types
import typing

from pydantic import BaseModel, ValidationError

from simulation.scenario.checks import check_scenario
from simulation.scenario.draft import Draft
from simulation.scenario.messages import (
    Path,
    ScenarioError,
    in_reading_order,
    listing,
    quote,
    suggestion,
)
from simulation.scenario.posthumous import check_posthumous
from simulation.scenario.schema import Scenario


def _unwrap(annotation: object) -> object:
    """Strip ``Annotated`` and ``X | None``, in either order, leaving the field's own type."""
    while True:
        origin = typing.get_origin(annotation)
        if origin is typing.Annotated:
            annotation = typing.get_args(annotation)[0]
            continue
        if origin in (typing.Union, types.UnionType):
            members = [arg for arg in typing.get_args(annotation) if arg is not type(None)]
            if len(members) == 1:
                annotation = members[0]
                continue
        return annotation


def fields_at(path: Path) -> list[str]:
    """Names of the fields allowed at ``path`` in the schema; empty where it is not a model."""
    current = type_at(path)
    if isinstance(current, type) and issubclass(current, BaseModel):
        return list(current.model_fields)
    return []


def type_at(path: Path) -> object:
    """The schema's type at ``path`` (``Annotated`` and ``| None`` stripped), or None.

    A list's or a mapping's items are entered whatever the part names (an id), as a
    ``--set`` path enters them: ``posts.general_secretary.seats`` is an ``int``.
    """
    current: object = Scenario
    for part in path:
        current = _unwrap(current)
        if isinstance(current, type) and issubclass(current, BaseModel):
            field = current.model_fields.get(str(part))
            if field is None:
                return None
            current = field.annotation
        elif typing.get_origin(current) in (list, dict):
            current = typing.get_args(current)[-1]
        else:
            return None
    return _unwrap(current)


def _schema_message(error: dict) -> str:
    kind = error["type"]
    if kind == "extra_forbidden":
        allowed = fields_at(_clean_loc(error["loc"][:-1]))
        if not allowed:
            return "unknown field"
        return "unknown field" + (
            suggestion(error["loc"][-1], allowed) or f" (expected one of: {listing(allowed)})"
        )
    return pydantic_message(error)


def pydantic_message(error: dict) -> str:
    """A pydantic error in a reader's words: what was expected, and what was given.

    A message about the field itself (missing, not allowed, an unknown kind) quotes no
    input; a value checked by a validator says its own words.
    """
    if error["type"] == "missing":
        return "required field is missing"
    message = error["msg"]
    if message.startswith("Value error, "):
        return message.removeprefix("Value error, ")
    if error["type"] in ("extra_forbidden", "union_tag_invalid", "union_tag_not_found"):
        return message
    return f"{message}, got {quote(error['input'])}"


def _clean_loc(loc: tuple) -> Path:
    """Drop pydantic's union-branch names (``list[str]``, ``literal[...]``) from a location."""
    return tuple(part for part in loc if isinstance(part, int) or "[" not in str(part))


def validate_draft(draft: Draft, problems: list[str] | None = None) -> Scenario:
    """Validate a resolved draft; raise :class:`ScenarioError` listing every problem.

    Args:
        draft: the scenario as plain data, with where each part was written.
        problems: problems already found while resolving it (changes that could
            not be applied); they are reported with the draft's own, so that the
            user sees every mistake at once.
    """
    problems = list(problems or [])
    try:
        scenario = Scenario.model_validate(draft.resolved())
    except ValidationError as error:
        problems += [
            draft.describe(_clean_loc(item["loc"]), _schema_message(item))
            for item in error.errors()
        ]
        raise ScenarioError(in_reading_order(problems)) from None
    for problem in [*check_scenario(scenario), *check_posthumous(scenario)]:
        message = problem.message
        if problem.related is not None:
            message += f" at {draft.where(problem.related)}"
        problems.append(draft.describe(problem.path, message))
    if problems:
        raise ScenarioError(in_reading_order(problems))
    return scenario
