"""Counterfactual overlays: a scenario written as a few changes to another one.

An overlay names the scenario it ``extends`` (a path relative to the overlay,
itself possibly an overlay) and lists its ``changes``, each exactly one of::

    drop_event: ID
    move_event: {id: ID, date: YYYY-MM}
    add_event: {id: ..., date: ..., type: ..., ...}     # a full event
    modify_event: {id: ID, set: {FIELD: VALUE, ...}}
    set: {PATH: VALUE, ...}

where PATH is ``parameters.NAME``, ``leaders.ID.FIELD``, ``organisations.ID.FIELD``,
``posts.ID.FIELD``, ``factions.ID.FIELD`` or a top-level field (``start``, ``end``,
``name``...). A FIELD may go deeper into a mapping (``leaders.trotsky.stance.economic``,
``influence.stalin``); a null value removes the field, so that it takes its default.

The changes apply in order to the raw data of the base, before anything is
validated; the result is then validated like any scenario. Every part of the
resolved data remembers where it was written (the base file, an overlay, a
command-line flag), so each problem names the file, line and field path that
must be corrected rather than a position in a scenario nobody wrote.

An added or moved event takes its place after the events already in its new
month, because events in one month apply in the order they stand.
"""

from __future__ import annotations

import copy
import difflib
import os
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path as FilePath

import yaml
from pydantic import TypeAdapter, ValidationError

from simulation.calendar import MonthField
from simulation.scenario.checks import Path
from simulation.scenario.loader import (
    ScenarioError,
    fields_at,
    format_path,
    line_of,
    merge_parameter_file,
    read_scenario_text,
    read_yaml,
    validate_scenario,
)
from simulation.scenario.schema import Scenario

OVERLAY_FIELDS = ("extends", "name", "description", "source", "changes")
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


@dataclass(frozen=True)
class FileSource:
    """A scenario or overlay file: problems name its line and the field path in it."""

    name: str
    root: yaml.Node

    def describe(self, path: Path, message: str) -> str:
        """One problem line: ``FILE:LINE: field.path: message``."""
        return f"{self.name}:{line_of(self.root, path)}: {format_path(path)}: {message}"


@dataclass(frozen=True)
class LabelSource:
    """Data written without lines: command-line flags, or a scenario already loaded."""

    label: str

    def describe(self, path: Path, message: str) -> str:
        """One problem line: ``LABEL: field.path: message``."""
        return f"{self.label}: {format_path(path)}: {message}"


Source = FileSource | LabelSource
Place = tuple[Source, Path]
"""Where a piece of data was written: its source and its field path there."""


class _Refused(Exception):
    """A change that cannot be applied, with the problems (field path, message) it has."""

    def __init__(self, problems: list[tuple[Path, str]]):
        super().__init__(problems)
        self.problems = problems


def _refuse(path: Path, message: str) -> _Refused:
    return _Refused([(path, message)])


def _claim(places: dict[Path, Place], key: Path, place: Place) -> None:
    """Record that the data at ``key`` (and everything under it) was written at ``place``."""
    for written in [written for written in places if written[: len(key)] == key]:
        del places[written]
    places[key] = place


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
        raise _Refused(problems)
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
            name = ".".join(parts[: depth + 1])
            raise _refuse(at, f"unknown field {name!r} (expected one of: {', '.join(allowed)})")
        if depth == len(parts) - 1:
            if value is None:
                target.pop(part, None)
            else:
                target[part] = copy.deepcopy(value)
            return
        child = target.setdefault(part, {})
        if not isinstance(child, dict):
            raise _refuse(at, f"{'.'.join(parts[: depth + 1])} holds a value, not fields")
        target = child


class Draft:
    """A scenario being resolved: its raw data and where each part of it was written.

    Args:
        data: the base scenario as plain data (read from YAML, or dumped from a
            loaded scenario); it is copied, never changed.
        source: where the base was written.
    """

    def __init__(self, data: dict, source: Source):
        self.data = copy.deepcopy(data)
        events = self.data.pop("events", [])
        if isinstance(events, list):
            self.events: list | None = events
        else:  # left for validation to report
            self.data["events"] = events
            self.events = None
        self.places: dict[Path, Place] = {(): (source, ())}
        self.event_places = [{(): (source, ("events", i))} for i in range(len(self.events or []))]
        self.changed_by: tuple[set[Source], str] = (set(), "")

    def resolved(self) -> dict:
        """The resolved scenario as plain data, ready for validation."""
        return self.data if self.events is None else {**self.data, "events": self.events}

    def describe(self, path: Path, message: str) -> str:
        """A problem in the resolved data, told at the place it was written."""
        places, rest, event = self.places, path, None
        if (
            self.events is not None
            and len(path) >= 2
            and path[0] == "events"
            and isinstance(path[1], int)
            and path[1] < len(self.events)
        ):
            places, rest, event = self.event_places[path[1]], path[2:], self.events[path[1]]
        key = max((key for key in places if rest[: len(key)] == key), key=len)
        written_under = rest[len(key) :]
        # A change that wrote inside the faulty field (leaders.x.health.level
        # where health is a number) is where the fault was made.
        inside = [key for key in places if len(key) > len(rest) and key[: len(rest)] == rest]
        if inside:
            key, written_under = inside[0], ()
        source, written = places[key]
        if isinstance(source, LabelSource) and key == () and isinstance(event, dict):
            message += f" (event {event.get('id')!r})"
        sources, label = self.changed_by
        if sources and source not in sources:
            message += f" (after the changes in {label})"
        return source.describe((*written, *written_under), message)

    # --- the changes ----------------------------------------------------------------

    def apply(self, changes: Sequence[tuple[object, Source, Path]], label: str) -> None:
        """Apply changes in order, each given with where it was written.

        Raises:
            ScenarioError: listing every change that cannot be applied.
        """
        problems = []
        for change, source, at in changes:
            try:
                self._apply_one(change, source, at)
            except _Refused as refused:
                problems += [source.describe(path, message) for path, message in refused.problems]
        if problems:
            raise ScenarioError(problems)
        self.changed_by = ({source for _, source, _ in changes}, label)

    def _apply_one(self, change: object, source: Source, at: Path) -> None:
        if not isinstance(change, dict) or len(change) != 1:
            message = f"expected exactly one of: {', '.join(CHANGE_KINDS)}"
            if isinstance(change, dict) and change:
                message += f" ({' and '.join(map(str, change))}: write each as its own item)"
            raise _refuse(at, message)
        ((kind, value),) = change.items()
        handlers = {
            "drop_event": self._drop_event,
            "move_event": self._move_event,
            "add_event": self._add_event,
            "modify_event": self._modify_event,
            "set": self._set,
        }
        if kind not in handlers:
            raise _refuse(
                (*at, str(kind)), f"unknown change (expected one of: {', '.join(CHANGE_KINDS)})"
            )
        handlers[kind](value, source, (*at, kind))

    def _event_ids(self) -> list:
        return [event.get("id") if isinstance(event, dict) else None for event in self.events]

    def _event_index(self, event_id: object, at: Path) -> int:
        if self.events is None:
            raise _refuse(at, "the base scenario has no list of events")
        if not isinstance(event_id, str):
            raise _refuse(at, f"expected an event id, got {event_id!r}")
        ids = self._event_ids()
        if event_id in ids:
            return ids.index(event_id)
        close = difflib.get_close_matches(event_id, [i for i in ids if isinstance(i, str)], n=3)
        hint = f" (did you mean {' or '.join(map(repr, close))}?)" if close else ""
        raise _refuse(at, f"unknown event {event_id!r}{hint}")

    def _insert_event(self, event: dict, places: dict[Path, Place]) -> None:
        """Put an event after the events already in its month (dates compare as YYYY-MM text)."""

        def date_of(item: object) -> str:
            return str(item.get("date")) if isinstance(item, dict) else ""

        position = len(self.events)
        while position > 0 and date_of(self.events[position - 1]) > date_of(event):
            position -= 1
        self.events.insert(position, event)
        self.event_places.insert(position, places)

    def _drop_event(self, value: object, source: Source, at: Path) -> None:
        index = self._event_index(value, at)
        del self.events[index]
        del self.event_places[index]

    def _move_event(self, value: object, source: Source, at: Path) -> None:
        value = _mapping(value, at, ("id", "date"))
        index = self._event_index(value["id"], (*at, "id"))
        date = _month(value["date"], (*at, "date"))
        event, places = self.events.pop(index), self.event_places.pop(index)
        event["date"] = date
        _claim(places, ("date",), (source, (*at, "date")))
        self._insert_event(event, places)

    def _add_event(self, value: object, source: Source, at: Path) -> None:
        if self.events is None:
            raise _refuse(at, "the base scenario has no list of events")
        if not isinstance(value, dict):
            raise _refuse(at, "expected a full event: a mapping of event fields")
        event = copy.deepcopy(value)
        if "date" in event:
            event["date"] = _month(event["date"], (*at, "date"))
        if isinstance(event.get("id"), str) and event["id"] in self._event_ids():
            raise _refuse(
                (*at, "id"),
                f"an event {event['id']!r} already exists; change it with modify_event",
            )
        self._insert_event(event, {(): (source, at)})

    def _modify_event(self, value: object, source: Source, at: Path) -> None:
        value = _mapping(value, at, ("id", "set"))
        index = self._event_index(value["id"], (*at, "id"))
        event, places = self.events[index], self.event_places[index]
        if not isinstance(event, dict):
            raise _refuse((*at, "id"), "the base event is not a mapping of fields")
        problems = []
        for key, new in _assignments(value["set"], (*at, "set")).items():
            here, parts = (*at, "set", key), key.split(".")
            try:
                if parts[0] == "id":
                    raise _refuse(here, "an event's id cannot change; drop it and add a new one")
                if parts[0] == "date":
                    raise _refuse(here, "use move_event to change an event's date")
                _assign(event, parts, new, ("events", 0), here)
            except _Refused as refused:
                problems += refused.problems
                continue
            _claim(places, tuple(parts), (source, here))
        if problems:
            raise _Refused(problems)

    def _set(self, value: object, source: Source, at: Path) -> None:
        problems = []
        for key, new in _assignments(value, at).items():
            here = (*at, key)
            try:
                target, schema_path, parts = self._set_target(key.split("."), here)
                _assign(target, parts, new, schema_path, here)
            except _Refused as refused:
                problems += refused.problems
                continue
            _claim(self.places, (*schema_path, *parts), (source, here))
        if problems:
            raise _Refused(problems)

    def _set_target(self, parts: list[str], at: Path) -> tuple[dict, Path, list[str]]:
        """The mapping a ``set`` path writes into, its path in the scenario, and the rest."""
        head = parts[0]
        if head == "parameters" and len(parts) >= 2:
            parameters = self.data.setdefault("parameters", {})
            if not isinstance(parameters, dict):
                raise _refuse(at, "the base scenario's parameters are not a mapping")
            return parameters, ("parameters",), parts[1:]
        if head in SECTIONS and len(parts) >= 3:
            if parts[2] == "id":
                raise _refuse(at, f"a {SECTIONS[head]}'s id cannot change")
            section = self.data.get(head)
            if isinstance(section, dict):
                keys: list = list(section)
            elif isinstance(section, list):
                keys = [item.get("id") if isinstance(item, dict) else None for item in section]
            else:
                raise _refuse(at, f"the base scenario has no {head}")
            if parts[1] not in keys:
                known = ", ".join(sorted(str(key) for key in keys if key is not None))
                raise _refuse(
                    at, f"unknown {SECTIONS[head]} {parts[1]!r} (expected one of: {known})"
                )
            key = parts[1] if isinstance(section, dict) else keys.index(parts[1])
            if not isinstance(section[key], dict):
                raise _refuse(at, f"the base {SECTIONS[head]} {parts[1]!r} is not a mapping")
            return section[key], (head, key), parts[2:]
        if head in TOP_LEVEL and len(parts) == 1:
            return self.data, (), parts
        raise _refuse(
            at,
            f"unknown path {'.'.join(parts)!r} (expected parameters.NAME, "
            + ", ".join(f"{section}.ID.FIELD" for section in SECTIONS)
            + f", or one of: {', '.join(TOP_LEVEL)})",
        )


# --- overlays -------------------------------------------------------------------------


def _check_header(data: dict, source: FileSource) -> list[str]:
    """Problems with an overlay's own fields (its changes are checked as they apply)."""
    problems = [
        source.describe(
            (str(key),), f"unknown field (expected one of: {', '.join(OVERLAY_FIELDS)})"
        )
        for key in data
        if key not in OVERLAY_FIELDS
    ]
    for field, minimum in (("extends", 1), ("name", 1), ("source", 3), ("description", 0)):
        value = data.get(field)
        if value is None and field != "description":
            problems.append(source.describe((field,), "required field is missing"))
        elif value is not None and (not isinstance(value, str) or len(value.strip()) < minimum):
            length = f" of at least {minimum} characters" if minimum > 1 else ""
            problems.append(source.describe((field,), f"expected a text{length}"))
    if not isinstance(data.get("changes"), list):
        problems.append(source.describe(("changes",), "expected a list of changes"))
    return problems


def _resolve(
    data: dict,
    root: yaml.Node,
    origin: str,
    base_dir: FilePath | None,
    chain: tuple[tuple[FilePath, str], ...],
) -> Draft:
    """Resolve an overlay and, first, everything it extends, into a draft."""
    source = FileSource(origin, root)
    problems = _check_header(data, source)
    if not isinstance(data.get("extends"), str) or not data["extends"].strip():
        raise ScenarioError(problems)
    chain = (*chain, (FilePath(origin).resolve(), origin))
    base_path = (base_dir or FilePath.cwd()) / data["extends"]
    base_name = os.path.normpath(base_path)
    if base_path.resolve() in {identity for identity, _ in chain}:
        cycle = " extends ".join([name for _, name in chain] + [base_name])
        raise ScenarioError([source.describe(("extends",), f"overlays extend in a cycle: {cycle}")])
    if not base_path.is_file():
        raise ScenarioError([source.describe(("extends",), f"no such scenario file {base_name}")])
    base_data, base_root = read_yaml(read_scenario_text(base_path), base_name)
    if "extends" in base_data:
        draft = _resolve(base_data, base_root, base_name, base_path.parent, chain)
    else:
        if "parameters_from" in base_data:
            base_data = merge_parameter_file(base_data, base_root, base_name, base_path.parent)
        draft = Draft(base_data, FileSource(base_name, base_root))
    changes = data.get("changes") if isinstance(data.get("changes"), list) else []
    try:
        draft.apply([(change, source, ("changes", k)) for k, change in enumerate(changes)], origin)
    except ScenarioError as error:
        problems += error.problems
    if problems:
        raise ScenarioError(problems)
    # The schema has no field for a scenario's citation, so the overlay's source
    # ends its description, where summaries and reports show it.
    description = (data.get("description") or "").strip()
    draft.data["name"] = data["name"]
    draft.data["description"] = f"{description}\nSource: {data['source']}".strip()
    _claim(draft.places, ("name",), (source, ("name",)))
    _claim(draft.places, ("description",), (source, ("description",)))
    return draft


def resolve_overlay(
    data: dict, root: yaml.Node, origin: str, base_dir: FilePath | None = None
) -> Scenario:
    """Resolve an overlay read from ``origin`` and validate the scenario it describes.

    Args:
        data: the overlay as read from YAML (it has an ``extends`` key).
        root: its node tree, for line numbers.
        origin: its file name, used in messages and to detect cycles.
        base_dir: where the ``extends`` path starts (the overlay's directory).

    Raises:
        ScenarioError: listing every problem, each at the file and line where it was written.
    """
    draft = _resolve(data, root, origin, base_dir, ())
    return validate_scenario(draft.resolved(), draft.describe)


def apply_changes(
    scenario: Scenario, changes: Sequence[object], origin: str | Sequence[str]
) -> Scenario:
    """Apply overlay changes to a scenario already loaded, and validate the result.

    This is how command-line flags (``--set``, ``--drop-event``...) and
    programmatic variants (an ensemble's) perturb a scenario without a file.

    Args:
        scenario: the base; it is not modified.
        changes: change mappings, as in an overlay's ``changes:`` list.
        origin: names the changes in messages: one label for all of them
            (problems then read ``LABEL: changes[2].move_event.id: ...``), or one
            label per change, such as the flag that gave it.

    Raises:
        ScenarioError: listing every change that cannot be applied, or every
            problem of the resulting scenario.
    """
    draft = Draft(scenario.model_dump(mode="json"), LabelSource(f"scenario {scenario.name!r}"))
    if isinstance(origin, str):
        located = [
            (change, LabelSource(origin), ("changes", k)) for k, change in enumerate(changes)
        ]
        label = origin
    else:
        located = [
            (change, LabelSource(name), ()) for change, name in zip(changes, origin, strict=True)
        ]
        label = ", ".join(origin)
    draft.apply(located, label)
    return validate_scenario(draft.resolved(), draft.describe)
