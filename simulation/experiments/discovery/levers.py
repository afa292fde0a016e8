"""Levers: the historical contingencies a scenario discovery varies, read from a YAML file.

A lever is one of

- ``overlay: FILE`` — a counterfactual overlay, on or off (its ``changes`` applied or not);
- ``drop_event: ID`` — an event of the scenario, kept or dropped;
- ``move_event: ID`` with ``window: [LOW, HIGH]`` — the event moved by a whole number of
  months within the window (0 keeps its date);
- ``parameter: NAME`` with ``range: [LOW, HIGH]`` — a model parameter;
- ``set: PATH`` with ``range: [LOW, HIGH]`` — a starting value, as ``--set`` names it
  (``leaders.stalin.influence``); whole numbers for a field the scenario holds as one
  (``organisations.leningrad.members``), drawn as a window's months are.

Each lever may carry a ``label`` used in the boxes' rules. The file is checked like a
scenario: every problem is reported with its file, the line of the field at fault and
the field's path, and each lever is tried on the scenario at both ends of its range, so
a lever that names an unknown event or parameter is refused before any run. Levers are
tried in pairs too: two that move the same thing (one would silently override the
other), or that the scenario refuses together (an event dropped by one and moved or
dropped by the other), would fail only inside the runs.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from itertools import combinations
from pathlib import Path

from simulation.scenario import Scenario, ScenarioError, apply_changes
from simulation.scenario.messages import quote, suggestion
from simulation.scenario.reading import line_of, read_text, read_yaml
from simulation.scenario.validation import type_at

KINDS = ("overlay", "drop_event", "move_event", "parameter", "set")
"""The keys that say what a lever moves; a lever has exactly one."""
BOOLEAN_KINDS = ("overlay", "drop_event")
RANGE_FIELD = {"move_event": "window", "parameter": "range", "set": "range"}
"""The field that bounds a lever of each kind that is not on/off."""
TRIED = "the lever"
"""How a problem found when a lever is tried on the scenario names the change's origin."""


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
        sources: where each of an overlay's changes is written (``FILE:LINE: changes[i]``),
            so that a change the scenario refuses is told at its own line.
        whole: a ``set`` of a field that counts (an organisation's members): it takes
            whole values, as the months an event is moved by do.
    """

    name: str
    kind: str
    target: str
    low: float
    high: float
    label: str
    changes: tuple = ()
    sources: tuple[str, ...] = field(default=(), compare=False, repr=False)
    whole: bool = False

    @property
    def boolean(self) -> bool:
        """Whether the lever is on/off (an overlay or a dropped event)."""
        return self.kind in BOOLEAN_KINDS

    @property
    def integer(self) -> bool:
        """Whether the lever takes whole values (months an event is moved by, a count)."""
        return self.kind == "move_event" or self.whole

    @property
    def parameter(self) -> str | None:
        """The model parameter the lever sets (a ``parameter``, or a ``set`` of one), or None."""
        if self.kind == "parameter":
            return self.target
        if self.kind == "set" and self.target.startswith("parameters."):
            return self.target.removeprefix("parameters.")
        return None

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
        return [{"set": {path: int(round(value)) if self.whole else float(value)}}]


def apply_levers(scenario: Scenario, levers: list[Lever], values: dict[str, float]) -> Scenario:
    """The scenario with every lever at its value (levers applied in file order)."""
    changes = [
        change for lever in levers for change in lever.changes_for(values[lever.name], scenario)
    ]
    return apply_changes(scenario, changes, "levers") if changes else scenario


class LeverProblem(Exception):
    """What is wrong with one lever: the field at fault (None: the lever itself) and why.

    The field is what puts the message on the right line: a reversed range is told at
    ``range:``, not at the lever's name some lines above.
    """

    def __init__(self, at: str | None, *reasons: str):
        super().__init__("; ".join(reasons))
        self.at = at
        self.reasons = reasons


def _range(spec: dict, key: str, integer: bool) -> tuple[float, float]:
    if key not in spec:
        raise LeverProblem(key, f"missing: this lever takes {key}: [LOW, HIGH]")
    pair = spec[key]
    if (
        not isinstance(pair, list)
        or len(pair) != 2
        or not all(isinstance(v, int | float) and not isinstance(v, bool) for v in pair)
    ):
        raise LeverProblem(key, f"expected [LOW, HIGH], two numbers, got {pair!r}")
    if integer and not all(float(v).is_integer() for v in pair):
        raise LeverProblem(key, f"expected whole months, got {pair!r}")
    low, high = float(pair[0]), float(pair[1])
    if not low < high:
        raise LeverProblem(key, f"LOW must be below HIGH, got {pair!r}")
    return low, high


def _kind(spec: object) -> str:
    """The one kind a lever's mapping names, its other fields checked against it."""
    if not isinstance(spec, dict):
        raise LeverProblem(None, f"expected a mapping with one of {', '.join(KINDS)}")
    fields = (*KINDS, "label", *sorted(set(RANGE_FIELD.values())))
    strange = [key for key in spec if key not in fields]
    if strange:
        raise LeverProblem(strange[0], f"unknown field (expected one of {', '.join(fields)})")
    kinds = [kind for kind in KINDS if kind in spec]
    if len(kinds) != 1:
        raise LeverProblem(None, f"expected exactly one of {', '.join(KINDS)}, got {len(kinds)}")
    kind = kinds[0]
    wanted = RANGE_FIELD.get(kind)
    for bound in sorted(set(RANGE_FIELD.values()) - {wanted}):
        if bound in spec:
            lever = f"{'an' if kind[0] in 'aeiou' else 'a'} {kind} lever"
            if wanted is None:
                raise LeverProblem(bound, f"{lever} is on or off: it takes no {bound}")
            raise LeverProblem(bound, f"{lever} takes {wanted}: [LOW, HIGH], not {bound}")
    return kind


def _lever(name: str, spec: object, path: Path) -> Lever:
    """One lever from its mapping.

    Raises:
        LeverProblem: the first thing wrong with it.
    """
    kind = _kind(spec)
    target = spec[kind]
    if not isinstance(target, str) or not target:
        raise LeverProblem(kind, f"expected a name, got {target!r}")
    label = spec.get("label", name)
    if not isinstance(label, str):
        raise LeverProblem("label", f"expected text, got {label!r}")
    if kind == "overlay":
        changes, sources = _overlay_changes(path.parent / target)
        return Lever(name, kind, target, 0.0, 1.0, label, changes, sources)
    if kind == "drop_event":
        return Lever(name, kind, target, 0.0, 1.0, label)
    low, high = _range(spec, RANGE_FIELD[kind], kind == "move_event")
    return Lever(name, kind, target, low, high, label)


def _overlay_changes(path: Path) -> tuple[tuple, tuple[str, ...]]:
    """An overlay's changes, and where each is written (``FILE:LINE: changes[i]``)."""
    try:
        data, root = read_yaml(read_text(path, "overlay file"), str(path), "overlay fields")
    except ScenarioError as error:
        raise LeverProblem("overlay", *error.problems) from None
    changes = data.get("changes")
    if not isinstance(changes, list) or not changes:
        raise LeverProblem("overlay", f"{path} has no list of changes")
    sources = tuple(
        f"{path}:{line_of(root, ['changes', i])}: changes[{i}]" for i in range(len(changes))
    )
    return tuple(changes), sources


def _reason(problem: str) -> str:
    """A refused change's message without the change's own path (the lever says it)."""
    return re.sub(rf"^{TRIED}: changes\[\d+\]\S*: ", "", problem)


def _failures(scenario: Scenario, lever: Lever, value: float) -> list[str]:
    """What the scenario refuses with the lever at ``value`` (empty: nothing)."""
    try:
        changes = lever.changes_for(value, scenario)
        if changes:
            apply_changes(scenario, changes, list(lever.sources) or TRIED)
    except ScenarioError as error:
        return [_reason(problem) for problem in error.problems]
    return []


def _known_target(lever: Lever, scenario: Scenario, dropped: dict[str, str]) -> None:
    """Refuse an event or parameter the scenario does not have, at the field naming it.

    The closest names are offered, not the whole list: a scenario has some two hundred
    events. An event a change flag ``dropped`` (its id: the flag) is told so, as an
    overlay's later change naming it is.
    """
    kinds = {"drop_event": "event", "move_event": "event", "parameter": "parameter"}
    if lever.kind not in kinds:
        return
    if lever.kind == "parameter":
        known = list(type(scenario.parameters).model_fields)
    else:
        known = [event.id for event in scenario.events]
    if lever.target in dropped and lever.target not in known:
        raise LeverProblem(
            lever.kind, f"event {quote(lever.target)} was dropped by {dropped[lever.target]}"
        )
    if lever.target not in known:
        what = kinds[lever.kind]
        hint = suggestion(lever.target, known) or f" (the scenario has no {what} of that name)"
        raise LeverProblem(lever.kind, f"unknown {what} {quote(lever.target)}{hint}")


def _end(lever: Lever, end: str, value: float) -> str:
    """How a message names the end of a lever's range that the scenario refused."""
    if lever.kind == "move_event":
        return f"moved by {int(value):+d} months"
    return f"at its {end} end, {value:g}"


def try_on(lever: Lever, scenario: Scenario, dropped: dict[str, str] | None = None) -> None:
    """Apply the lever to the scenario at both ends of its range, as the runs will.

    An on/off lever's problem is told at its ``overlay`` or ``drop_event`` field (an
    overlay's at the line of its own change that the scenario refuses). A ranged lever
    refused at both ends alike names something the scenario lacks, told at the field
    naming it; refused at one end only, it is its range that is wrong, told there with
    the end.

    ``dropped``: the events the command's flags dropped, each with its flag.

    Raises:
        LeverProblem: the scenario refuses the lever.
    """
    _known_target(lever, scenario, dropped or {})
    if lever.boolean:
        if failures := _failures(scenario, lever, lever.high):
            raise LeverProblem(lever.kind, *failures)
        return
    ends = {"low": lever.low, "high": lever.high}
    failures = {end: _failures(scenario, lever, value) for end, value in ends.items()}
    if failures["low"] and failures["low"] == failures["high"]:
        raise LeverProblem(lever.kind, *failures["low"])
    for end, reasons in failures.items():
        if reasons:
            told = _end(lever, end, ends[end])
            raise LeverProblem(RANGE_FIELD[lever.kind], *(f"{told}: {r}" for r in reasons))


def _moved(lever: Lever) -> tuple[str, str] | None:
    """What a lever moves, so that two moving the same are told apart from two that clash."""
    if lever.parameter is not None:
        return ("parameter", lever.parameter)
    if lever.kind in ("move_event", "set"):
        return (lever.kind, lever.target)
    return None


def _clash(first: Lever, second: Lever, scenario: Scenario) -> str | None:
    """Why ``second`` cannot vary beside ``first`` in the same runs, or None.

    Both are tried on, at their high ends (on, for an on/off lever), as one run would.
    """
    if (moved := _moved(first)) is not None and moved == _moved(second):
        return (
            f"moves the same {moved[0].replace('_', ' ')} as levers.{first.name} "
            f"({moved[1]}); the later would override the earlier in every run"
        )
    changes = first.changes_for(first.high, scenario) + second.changes_for(second.high, scenario)
    try:
        apply_changes(scenario, changes, TRIED)
    except ScenarioError as error:
        reasons = "; ".join(_reason(problem) for problem in error.problems)
        return f"cannot act with levers.{first.name} in the same run: {reasons}"
    return None


def _counted(lever: Lever) -> Lever:
    """A ``set`` lever of a field the schema counts in whole numbers takes whole values.

    Its design draws whole numbers, as for months, and its range must end on them: an
    organisation's members are a count, and 1523.7 of them is no value a run can take.
    The schema's type decides, so that a field left unset (an office's ``seats``) counts
    as well as one the scenario fills.

    Raises:
        LeverProblem: a range with an end that is not a whole number.
    """
    if lever.kind != "set" or type_at(tuple(lever.target.split("."))) is not int:
        return lever
    if not (float(lever.low).is_integer() and float(lever.high).is_integer()):
        raise LeverProblem(
            "range",
            f"{lever.target} is a whole number; expected whole ends, got "
            f"[{lever.low:g}, {lever.high:g}]",
        )
    return replace(lever, whole=True)


def load_levers(
    path: Path, scenario: Scenario, dropped: dict[str, str] | None = None
) -> list[Lever]:
    """Read and check a levers file against the scenario it will vary.

    ``dropped``: the events the command's ``--drop-event`` flags dropped, each with its
    flag, so that a lever naming one is told so rather than that the event is unknown.

    Raises:
        ScenarioError: one line per problem, ``FILE:LINE: levers.NAME.FIELD: ...``, the
            line that of the field at fault.
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
        try:
            lever = _counted(_lever(str(name), spec, path))
            try_on(lever, scenario, dropped)
        except LeverProblem as problem:
            at = [] if problem.at is None else [problem.at]
            where = ".".join(["levers", str(name), *at])
            line = line_of(root, ["levers", name, *at])
            problems += [f"{path}:{line}: {where}: {reason}" for reason in problem.reasons]
            continue
        levers.append(lever)
    if not problems:
        for first, second in combinations(levers, 2):
            if (reason := _clash(first, second, scenario)) is not None:
                line = line_of(root, ["levers", second.name])
                problems.append(f"{path}:{line}: levers.{second.name}: {reason}")
    if problems:
        raise ScenarioError(problems)
    return levers
