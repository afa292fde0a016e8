"""The changes a counterfactual makes to a scenario, applied to a :class:`Draft`.

Each change is exactly one of::

    drop_event: ID
    move_event: {id: ID, date: YYYY-MM}
    add_event: {id: ..., date: ..., type: ..., ...}     # a full event
    modify_event: {id: ID, set: {FIELD: VALUE, ...}}
    set: {PATH: VALUE, ...}

where PATH is ``parameters.NAME``, ``leaders.ID.FIELD``, ``organisations.ID.FIELD``,
``posts.ID.FIELD``, ``factions.ID.FIELD`` or a top-level field (``start``, ``end``,
``name``...). A FIELD may go deeper into a mapping (``leaders.trotsky.stance.economic``,
``influence.stalin``); a null value removes the field, so that it takes its default.

The changes apply in order to the raw data, before anything is validated. An
added or moved event takes its place after the events already in its new
month, because events in one month apply in the order they stand.

An event a change adds, modifies or moves is marked as an ``intervention``: it
is the counterfactual's point, so it applies in every mode, whereas the base
scenario's own decisions are forced only in replay (free mode lets the leaders
make them). An event only reworded (:data:`.schema.EVENT_WORDS`: its description,
citation, label or motion's wording) is not: telling a decision otherwise does not
force it on the leaders.
"""

from __future__ import annotations

import copy
from collections.abc import Sequence

from pydantic import TypeAdapter, ValidationError

from simulation.calendar import MonthField
from simulation.scenario.draft import Draft, Source, claim
from simulation.scenario.messages import Path, cut, listing, quote, suggestion, unknown
from simulation.scenario.schema import EVENT_WORDS, Scenario
from simulation.scenario.validation import fields_at

CHANGE_KINDS = ("drop_event", "move_event", "add_event", "modify_event", "set")
SECTIONS = {
    "leaders": "leader",
    "organisations": "organisation",
    "posts": "post",
    "factions": "faction",
}
"""Sections whose items a ``set`` path names by id, and what one item is called."""

TOP_LEVEL = tuple(
    field for field in Scenario.model_fields if field not in {*SECTIONS, "parameters", "events"}
)
"""Top-level scenario fields a ``set`` path may name alone (``start``, ``end``, ``name``...)."""

_MONTH = TypeAdapter(MonthField)


class Refused(Exception):
    """A change that cannot be applied, with the problems (field path, message) it has."""

    def __init__(self, problems: list[tuple[Path, str]]):
        super().__init__(problems)
        self.problems = problems


def _refuse(path: Path, message: str) -> Refused:
    return Refused([(path, message)])


def apply_changes_to(
    draft: Draft, changes: Sequence[tuple[object, Source, Path]], label: str
) -> list[str]:
    """Apply changes in order, each given with where it was written; skip the bad ones.

    Returns:
        One problem line for each change that could not be applied (empty if all were).
    """
    problems = []
    for change, source, at in changes:
        try:
            _apply_one(draft, change, source, at)
        except Refused as refused:
            problems += [source.describe(path, message) for path, message in refused.problems]
    earlier, earlier_label = draft.changed_by  # an overlay's, before the flags on it
    sources = earlier | {source for _, source, _ in changes}
    draft.changed_by = (sources, ", ".join(filter(None, (earlier_label, label))))
    return problems


def _apply_one(draft: Draft, change: object, source: Source, at: Path) -> None:
    if not isinstance(change, dict) or len(change) != 1:
        message = f"expected exactly one of: {', '.join(CHANGE_KINDS)}"
        if isinstance(change, dict) and change:
            message += f" ({cut(' and '.join(map(str, change)))}: write each as its own item)"
        raise _refuse(at, message)
    ((kind, value),) = change.items()
    handlers = {
        "drop_event": _drop_event,
        "move_event": _move_event,
        "add_event": _add_event,
        "modify_event": _modify_event,
        "set": _set,
    }
    if kind not in handlers:
        hint = suggestion(kind, CHANGE_KINDS) or f" (expected one of: {', '.join(CHANGE_KINDS)})"
        raise _refuse((*at, str(kind)), f"unknown change{hint}")
    handlers[kind](draft, value, source, (*at, kind))


def _month(value: object, at: Path) -> str:
    """A change's date as ``YYYY-MM``, refused with the scenario's own wording if it is not one."""
    try:
        return str(_MONTH.validate_python(value))
    except ValidationError as error:
        raise _refuse(at, error.errors()[0]["msg"].removeprefix("Value error, ")) from None


def _mapping(value: object, at: Path, fields: tuple[str, ...]) -> dict:
    """Check that a change's value is a mapping with exactly ``fields``."""
    if not isinstance(value, dict):
        raise _refuse(at, f"expected a mapping with {', '.join(fields)}")
    problems = [
        ((*at, str(key)), f"unknown field (expected one of: {', '.join(fields)})")
        for key in value
        if key not in fields
    ]
    problems += [
        ((*at, field), "required field is missing") for field in fields if field not in value
    ]
    if problems:
        raise Refused(problems)
    return value


def _assignments(value: object, at: Path) -> dict[str, object]:
    """The ``PATH: VALUE`` pairs of a ``set``, which must be a non-empty mapping."""
    if not isinstance(value, dict) or not value:
        raise _refuse(at, "expected a mapping of PATH: VALUE pairs")
    return {str(key): item for key, item in value.items()}


def _assign(target: dict, parts: list[str], value: object, schema_path: Path, at: Path) -> None:
    """Set ``target[parts[0]][parts[1]]...`` to ``value``, creating mappings on the way.

    Names are checked against the schema wherever it says which fields exist;
    inside free mappings (``loyalty``, ``influence``) any key goes, and the
    cross-reference checks judge the ids later.
    """
    for depth, part in enumerate(parts):
        allowed = fields_at((*schema_path, *parts[:depth]))
        if allowed and part not in allowed:
            name = quote(".".join(parts[: depth + 1]))
            hint = suggestion(part, allowed) or f" (expected one of: {listing(allowed)})"
            raise _refuse(at, f"unknown field {name}{hint}")
        if depth == len(parts) - 1:
            if value is None:
                target.pop(part, None)
            else:
                target[part] = copy.deepcopy(value)
            return
        child = target.setdefault(part, {})
        if not isinstance(child, dict):
            raise _refuse(at, f"{cut('.'.join(parts[: depth + 1]))} holds a value, not fields")
        target = child


def _event_index(draft: Draft, event_id: object, at: Path) -> int:
    if draft.events is None:
        raise _refuse(at, "the base scenario has no list of events")
    if not isinstance(event_id, str):
        raise _refuse(at, f"expected an event id, got {quote(event_id)}")
    ids = draft.event_ids()
    if event_id in ids:
        return ids.index(event_id)
    if event_id in draft.dropped:
        where = draft.dropped[event_id]
        raise _refuse(at, f"event {quote(event_id)} was dropped by an earlier change ({where})")
    known = [i for i in ids if isinstance(i, str)]
    raise _refuse(at, f"unknown event {quote(event_id)}{suggestion(event_id, known)}")


_INTERVENTION_SET = (
    "set by the change itself, not by hand: an event an overlay adds, moves or changes acts "
    "in every mode; to leave a decision to the leaders in free mode, leave it out of the "
    "overlay (or branch from history after it with free_from)"
)
"""Said of a hand-written ``intervention``: a user's ``false`` was silently made true."""


def _intervene(event: dict, places: dict, source: Source, at: Path) -> None:
    """Mark an event as a counterfactual's intervention, written where the change was."""
    event["intervention"] = True
    claim(places, ("intervention",), (source, at))


def _drop_event(draft: Draft, value: object, source: Source, at: Path) -> None:
    index = _event_index(draft, value, at)
    del draft.events[index]
    del draft.event_places[index]
    draft.dropped[value] = source.where(at)


def _move_event(draft: Draft, value: object, source: Source, at: Path) -> None:
    value = _mapping(value, at, ("id", "date"))
    index = _event_index(draft, value["id"], (*at, "id"))
    date = _month(value["date"], (*at, "date"))
    event, places = draft.events.pop(index), draft.event_places.pop(index)
    event["date"] = date
    claim(places, ("date",), (source, (*at, "date")))
    _intervene(event, places, source, at)
    draft.insert_event(event, places)


def _add_event(draft: Draft, value: object, source: Source, at: Path) -> None:
    if draft.events is None:
        raise _refuse(at, "the base scenario has no list of events")
    if not isinstance(value, dict):
        raise _refuse(at, "expected a full event: a mapping of event fields")
    if "intervention" in value:
        raise _refuse((*at, "intervention"), _INTERVENTION_SET)
    event = copy.deepcopy(value)
    if "date" in event:
        event["date"] = _month(event["date"], (*at, "date"))
    if isinstance(event.get("id"), str) and event["id"] in draft.event_ids():
        raise _refuse(
            (*at, "id"),
            f"an event {quote(event['id'])} already exists; change it with modify_event",
        )
    places = {(): (source, at)}
    _intervene(event, places, source, at)
    draft.insert_event(event, places)


def _modify_event(draft: Draft, value: object, source: Source, at: Path) -> None:
    value = _mapping(value, at, ("id", "set"))
    index = _event_index(draft, value["id"], (*at, "id"))
    event, places = draft.events[index], draft.event_places[index]
    if not isinstance(event, dict):
        raise _refuse((*at, "id"), "the base event is not a mapping of fields")
    problems = []
    assignments = _assignments(value["set"], (*at, "set"))
    for key, new in assignments.items():
        here, parts = (*at, "set", key), key.split(".")
        try:
            if parts[0] == "id":
                raise _refuse(here, "an event's id cannot change; drop it and add a new one")
            if parts[0] == "date":
                raise _refuse(here, "use move_event to change an event's date")
            if parts[0] == "intervention":
                raise _refuse(here, _INTERVENTION_SET)
            _assign(event, parts, new, ("events", 0), here)
        except Refused as refused:
            problems += refused.problems
            continue
        claim(places, tuple(parts), (source, here))
    if problems:
        raise Refused(problems)
    if any(key.split(".")[0] not in EVENT_WORDS for key in assignments):
        _intervene(event, places, source, at)


def _set(draft: Draft, value: object, source: Source, at: Path) -> None:
    problems = []
    for key, new in _assignments(value, at).items():
        here = (*at, key)
        try:
            target, schema_path, parts = _set_target(draft, key.split("."), here)
            _assign(target, parts, new, schema_path, here)
        except Refused as refused:
            problems += refused.problems
            continue
        claim(draft.places, (*schema_path, *parts), (source, here))
    if problems:
        raise Refused(problems)


def _set_target(draft: Draft, parts: list[str], at: Path) -> tuple[dict, Path, list[str]]:
    """The mapping a ``set`` path writes into, its path in the scenario, and the rest."""
    head = parts[0]
    if head == "parameters" and len(parts) >= 2:
        parameters = draft.data.setdefault("parameters", {})
        if not isinstance(parameters, dict):
            raise _refuse(at, "the base scenario's parameters are not a mapping")
        return parameters, ("parameters",), parts[1:]
    if head in SECTIONS and len(parts) >= 3:
        if parts[2] == "id":
            raise _refuse(at, f"a {SECTIONS[head]}'s id cannot change")
        section = draft.data.get(head)
        if isinstance(section, dict):
            keys: list = list(section)
        elif isinstance(section, list):
            keys = [item.get("id") if isinstance(item, dict) else None for item in section]
        else:
            raise _refuse(at, f"the base scenario has no {head}")
        if parts[1] not in keys:
            known = [str(key) for key in keys if key is not None]
            raise _refuse(at, unknown(SECTIONS[head], parts[1], known))
        key = parts[1] if isinstance(section, dict) else keys.index(parts[1])
        if not isinstance(section[key], dict):
            raise _refuse(at, f"the base {SECTIONS[head]} {quote(parts[1])} is not a mapping")
        return section[key], (head, key), parts[2:]
    if head in TOP_LEVEL and len(parts) == 1:
        return draft.data, (), parts
    heads = ["parameters", *SECTIONS, *TOP_LEVEL]
    hint = suggestion(head, heads) if head not in heads else ""
    raise _refuse(
        at,
        f"unknown path {quote('.'.join(parts))}{hint} (expected "
        "parameters.NAME, "
        + ", ".join(f"{section}.ID.FIELD" for section in SECTIONS)
        + f", or one of: {', '.join(TOP_LEVEL)})",
    )
