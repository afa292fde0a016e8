"""A scenario being assembled from files and changes, remembering where each part was written.

A scenario can be put together from several places: a base file, the
parameters file it names, the overlays that extend it, command-line flags.
Whatever is wrong with the result must be reported where it was written (the
overlay line that set a bad value, not the base line it replaced), so the
draft keeps, for every part of the data, the source and the field path there.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass

import yaml

from simulation.scenario.messages import Path, format_path, quote
from simulation.scenario.reading import line_of


@dataclass(frozen=True)
class FileSource:
    """A scenario, overlay or parameters file: problems name its line and the field path."""

    name: str
    root: yaml.Node

    def describe(self, path: Path, message: str) -> str:
        """One problem line: ``FILE:LINE: field.path: message``."""
        return f"{self.where(path)}: {format_path(path)}: {message}"

    def where(self, path: Path) -> str:
        """``FILE:LINE`` of the field at ``path``."""
        return f"{self.name}:{line_of(self.root, path)}"


@dataclass(frozen=True)
class LabelSource:
    """Data written without lines: command-line flags, or a scenario already loaded."""

    label: str

    def describe(self, path: Path, message: str) -> str:
        """One problem line: ``LABEL: field.path: message``."""
        return f"{self.label}: {format_path(path)}: {message}"

    def where(self, path: Path) -> str:
        """The label and the field path, for want of a line."""
        return f"{self.label}: {format_path(path)}"


@dataclass(frozen=True)
class FlagSource(LabelSource):
    """One command-line flag (``--set end=1922-06``, ``--free-from 1924-05``).

    The flag names the field it changes, so a problem with that field is told after the
    flag alone (``--free-from 1930-01: 1930-01 is outside the period ...``), not after the
    change's own path (``set.free_from``), which the user never wrote.
    """

    def describe(self, path: Path, message: str) -> str:
        """``FLAG: message``, or ``FLAG: field.path: message`` for a field within the value."""
        rest = self._within(path)
        return (
            f"{self.label}: {format_path(rest)}: {message}" if rest else f"{self.label}: {message}"
        )

    def where(self, path: Path) -> str:
        """The flag, and the field within its value if the path goes deeper."""
        rest = self._within(path)
        return f"{self.label}: {format_path(rest)}" if rest else self.label

    @staticmethod
    def _within(path: Path) -> Path:
        """The part of ``path`` below what the flag itself names."""
        return path[_FLAG_NAMES.get(path[0], 0) :] if path else path


_FLAG_NAMES = {"set": 2, "move_event": 2, "drop_event": 1}
"""How many parts of a change's path its flag names: ``set`` and the field, ``move_event``
and the id or date its ``ID=YYYY-MM`` holds, ``drop_event``."""

Source = FileSource | LabelSource
Place = tuple[Source, Path]
"""Where a piece of data was written: its source and its field path there."""


def claim(places: dict[Path, Place], key: Path, place: Place) -> None:
    """Record that the data at ``key`` (and everything under it) was written at ``place``."""
    for written in [written for written in places if written[: len(key)] == key]:
        del places[written]
    places[key] = place


class Draft:
    """A scenario being resolved: its raw data and where each part of it was written.

    Events are kept apart from the rest, each with its own places, because
    changes move, add and drop them: an event's problems must follow it.

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
        # Events a change dropped, with where: a later change naming one is told so, not
        # that the scenario has no such event.
        self.dropped: dict[str, str] = {}

    def resolved(self) -> dict:
        """The resolved scenario as plain data, ready for validation."""
        return self.data if self.events is None else {**self.data, "events": self.events}

    def describe(self, path: Path, message: str) -> str:
        """A problem in the resolved data, told at the place it was written."""
        source, written, note = self._locate(path)
        return source.describe(written, message + note)

    def where(self, path: Path) -> str:
        """Where the data at ``path`` was written, as ``FILE:LINE`` (or the flag's label)."""
        source, written, _ = self._locate(path)
        return source.where(written)

    def _locate(self, path: Path) -> tuple[Source, Path, str]:
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
        note = ""
        if isinstance(source, LabelSource) and key == () and isinstance(event, dict):
            note += f" (event {quote(event.get('id'))})"
        sources, label = self.changed_by
        if sources and source not in sources:
            note += f" (after the changes in {label})"
        return source, (*written, *written_under), note

    # --- events, which changes find by id and keep in date order ---------------------

    def event_ids(self) -> list:
        """The ids of the events, in order (None for an event that is not a mapping)."""
        return [event.get("id") if isinstance(event, dict) else None for event in self.events]

    def insert_event(self, event: dict, places: dict[Path, Place]) -> None:
        """Put an event after the events already in its month (dates compare as YYYY-MM text)."""

        def date_of(item: object) -> str:
            return str(item.get("date")) if isinstance(item, dict) else ""

        position = len(self.events)
        while position > 0 and date_of(self.events[position - 1]) > date_of(event):
            position -= 1
        self.events.insert(position, event)
        self.event_places.insert(position, places)
