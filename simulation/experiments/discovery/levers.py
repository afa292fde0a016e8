"""Levers: the historical contingencies a scenario discovery varies, read from a YAML file.

A lever is one of

- ``overlay: FILE`` — a counterfactual overlay, on or off (its ``changes`` applied or not);
- ``drop_event: ID`` — an event of the scenario, kept or dropped;
- ``move_event: ID`` with ``window: [LOW, HIGH]`` — the event moved by a whole number of
  months within the window (0 keeps its date);
- ``parameter: NAME`` with ``range: [LOW, HIGH]`` — a model parameter;
- ``set: PATH`` with ``range: [LOW, HIGH]`` — a starting value, as ``--set`` names it
  (``leaders.stalin.influence``).

Each lever may carry a ``label`` used in the boxes' rules. The file is checked like a
scenario: every problem is reported with its file, line and field, and each lever is
tried on the scenario at both ends of its range, so a lever that names an unknown
event or parameter is refused before any run.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from simulation.scenario import Scenario, ScenarioError, apply_changes
from simulation.scenario.messages import quote, suggestion
from simulation.scenario.reading import line_of, read_text, read_yaml

KINDS = ("overlay", "drop_event", "move_event", "parameter", "set")
"""The keys that say what a lever moves; a lever has exactly one."""
BOOLEAN_KINDS = ("overlay", "drop_event")


@dataclass(frozen=True)
class Lever:
    """One contingency: what it moves, over which values, and how a rule names it.

    Attributes:
        name: the lever's key in the file (a column of the experiments table).
        kind: one of :data:`KINDS`.
        target: the overlay's path, the event id, the parameter name or the ``--set`` path.
        low: lowest value (0 for an on/off lever).
        high: highest value (1 for an on/off lever).
        label: how the boxes' rules name it.
        changes: an overlay's changes (empty for other kinds).
    """

    name: str
    kind: str
    target: str
    low: float
    high: float
    label: str
    changes: tuple = ()

    @property
    def boolean(self) -> bool:
        """Whether the lever is on/off (an overlay or a dropped event)."""
        return self.kind in BOOLEAN_KINDS

    @property
    def integer(self) -> bool:
        """Whether the lever takes whole values (months an event is moved by)."""
        return self.kind == "move_event"

    def changes_for(self, value: float, scenario: Scenario) -> list[dict]:
        """The overlay changes that put this lever at ``value`` in ``scenario``."""
        if self.kind == "overlay":
            return list(self.changes) if value else []
        if self.kind == "drop_event":
            return [{"drop_event": self.target}] if value else []
        if self.kind == "move_event":
            if not value:
                return []
            dates = {event.id: event.date for event in scenario.events}
            if self.target not in dates:
                known = suggestion(self.target, dates)
                raise ScenarioError([f"move_event: unknown event {quote(self.target)}{known}"])
            moved = dates[self.target].plus(int(value))
            return [{"move_event": {"id": self.target, "date": str(moved)}}]
        path = f"parameters.{self.target}" if self.kind == "parameter" else self.target
        return [{"set": {path: float(value)}}]


def apply_levers(scenario: Scenario, levers: list[Lever], values: dict[str, float]) -> Scenario:
    """The scenario with every lever at its value (levers applied in file order)."""
    changes = [
        change for lever in levers for change in lever.changes_for(values[lever.name], scenario)
    ]
    return apply_changes(scenario, changes, "levers") if changes else scenario


def _range(spec: dict, key: str, where: str, integer: bool) -> tuple[float, float] | str:
    pair = spec.get(key)
    if (
        not isinstance(pair, list)
        or len(pair) != 2
        or not all(isinstance(v, int | float) and not isinstance(v, bool) for v in pair)
    ):
        return f"{where}.{key}: expected [LOW, HIGH], two numbers, got {pair!r}"
    if integer and not all(float(v).is_integer() for v in pair):
        return f"{where}.{key}: expected whole months, got {pair!r}"
    low, high = float(pair[0]), float(pair[1])
    if not low < high:
        return f"{where}.{key}: LOW must be below HIGH, got {pair!r}"
    return low, high


def _lever(name: str, spec: object, path: Path) -> Lever | str:
    """One lever from its mapping, or the problem with it (without file and line)."""
    where = f"levers.{name}"
    if not isinstance(spec, dict):
        return f"{where}: expected a mapping with one of {', '.join(KINDS)}"
    kinds = [kind for kind in KINDS if kind in spec]
    unknown = sorted(set(spec) - set(KINDS) - {"label", "window", "range"})
    if unknown:
        expected = ", ".join((*KINDS, "label", "window", "range"))
        return f"{where}.{unknown[0]}: unknown field (expected one of {expected})"
    if len(kinds) != 1:
        return f"{where}: expected exactly one of {', '.join(KINDS)}, got {len(kinds)}"
    kind = kinds[0]
    target = spec[kind]
    if not isinstance(target, str) or not target:
        return f"{where}.{kind}: expected a name, got {target!r}"
    label = spec.get("label", name)
    if not isinstance(label, str):
        return f"{where}.label: expected text, got {label!r}"
    if kind in BOOLEAN_KINDS:
        changes: tuple = ()
        if kind == "overlay":
            changes = _overlay_changes(path.parent / target, f"{where}.overlay")
        return Lever(name, kind, target, 0.0, 1.0, label, changes)
    bounds = _range(
        spec, "window" if kind == "move_event" else "range", where, kind == "move_event"
    )
    if isinstance(bounds, str):
        return bounds
    return Lever(name, kind, target, bounds[0], bounds[1], label)


def _overlay_changes(path: Path, where: str) -> tuple:
    try:
        data, _ = read_yaml(read_text(path, "overlay file"), str(path), "overlay fields")
    except ScenarioError as error:
        raise ScenarioError([f"{where}: {problem}" for problem in error.problems]) from None
    changes = data.get("changes")
    if not isinstance(changes, list) or not changes:
        raise ScenarioError([f"{where}: {path} has no list of changes"])
    return tuple(changes)


def load_levers(path: Path, scenario: Scenario) -> list[Lever]:
    """Read and check a levers file against the scenario it will vary.

    Raises:
        ScenarioError: one line per problem, ``FILE:LINE: levers.NAME.FIELD: ...``.
    """
    data, root = read_yaml(read_text(path, "levers file"), str(path), "levers")
    levers_data = data.get("levers")
    if not isinstance(levers_data, dict) or not levers_data:
        line = line_of(root, ["levers"])
        raise ScenarioError([f"{path}:{line}: levers: expected a mapping of lever names to levers"])
    extra = sorted(set(data) - {"levers", "description"})
    problems = [f"{path}:{line_of(root, [key])}: {key}: unknown field" for key in extra]
    levers = []
    for name, spec in levers_data.items():
        line = line_of(root, ["levers", name])
        try:
            lever = _lever(str(name), spec, path)
        except ScenarioError as error:
            problems += [f"{path}:{line}: {problem}" for problem in error.problems]
            continue
        if isinstance(lever, str):
            problems.append(f"{path}:{line}: {lever}")
            continue
        for value in (lever.low, lever.high):
            try:
                apply_levers(scenario, [lever], {lever.name: value})
            except ScenarioError as error:
                reason = error.problems[0].split(": ", 1)[-1]
                problems.append(f"{path}:{line}: levers.{name}: at {value:g}: {reason}")
                break
        levers.append(lever)
    if problems:
        raise ScenarioError(problems)
    return levers
