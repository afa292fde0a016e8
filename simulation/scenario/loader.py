"""Read a scenario file into a validated :class:`Scenario`, or say precisely why not.

Every problem is reported as ``FILE:LINE: field.path: what was expected``. The
YAML is parsed twice from the same text: once into data and once into a node
tree that keeps line numbers, so that both schema errors (from pydantic) and
cross-reference errors (from :mod:`checks`) can point to their line. A file
with an ``extends:`` key is a counterfactual overlay, resolved by
:mod:`simulation.scenario.overlay` before the same validation.
"""

from __future__ import annotations

import hashlib
import json
import types
import typing
from collections.abc import Callable
from pathlib import Path as FilePath

import yaml
from pydantic import BaseModel, ValidationError

from simulation.scenario.checks import Path, check_scenario
from simulation.scenario.schema import Scenario


class ScenarioError(Exception):
    """A scenario file that cannot be run; ``problems`` lists one line per problem."""

    def __init__(self, problems: list[str]):
        super().__init__("\n".join(problems))
        self.problems = problems


def format_path(path: Path) -> str:
    """Write a field path the way it reads in YAML terms: ``events[3].who``."""
    text = ""
    for part in path:
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else str(part))
    return text or "(top level)"


def line_of(node: yaml.Node | None, path: Path) -> int:
    """The 1-based line of the deepest node along ``path`` that exists in the file."""
    if node is None:
        return 1
    line = node.start_mark.line + 1
    for part in path:
        child = None
        if isinstance(node, yaml.MappingNode):
            for key, value in node.value:
                if key.value == str(part):
                    child = value
                    line = key.start_mark.line + 1
                    break
        elif (
            isinstance(node, yaml.SequenceNode)
            and isinstance(part, int)
            and 0 <= part < len(node.value)
        ):
            child = node.value[part]
            line = child.start_mark.line + 1
        if child is None:
            break
        node = child
    return line


def _unwrap(annotation: object) -> object:
    """Strip ``Annotated`` and ``X | None`` so that the field's own type remains."""
    while typing.get_origin(annotation) is typing.Annotated:
        annotation = typing.get_args(annotation)[0]
    if typing.get_origin(annotation) in (typing.Union, types.UnionType):
        members = [arg for arg in typing.get_args(annotation) if arg is not type(None)]
        annotation = members[0] if len(members) == 1 else annotation
    return annotation


def fields_at(path: Path) -> list[str]:
    """Names of the fields allowed at ``path`` in the schema; empty where it is not a model."""
    current: object = Scenario
    for part in path:
        current = _unwrap(current)
        if isinstance(current, type) and issubclass(current, BaseModel):
            field = current.model_fields.get(str(part))
            if field is None:
                return []
            current = field.annotation
        elif typing.get_origin(current) in (list, dict):
            current = typing.get_args(current)[-1]
        else:
            return []
    current = _unwrap(current)
    if isinstance(current, type) and issubclass(current, BaseModel):
        return list(current.model_fields)
    return []


def _schema_message(error: dict) -> str:
    kind = error["type"]
    if kind == "extra_forbidden":
        allowed = fields_at(error["loc"][:-1])
        hint = f" (expected one of: {', '.join(allowed)})" if allowed else ""
        return f"unknown field{hint}"
    if kind == "missing":
        return "required field is missing"
    message = error["msg"]
    if message.startswith("Value error, "):
        message = message.removeprefix("Value error, ")
        return message
    return f"{message}, got {error['input']!r}"


def _clean_loc(loc: tuple) -> Path:
    """Drop pydantic's union-branch names (``list[str]``, ``literal[...]``) from a location."""
    return tuple(part for part in loc if isinstance(part, int) or "[" not in str(part))


def scenario_hash(scenario: Scenario) -> str:
    """SHA-256 of the resolved scenario's canonical JSON: equal hashes, equal runs."""
    canonical = json.dumps(scenario.model_dump(mode="json"), sort_keys=True)
    return hashlib.sha256(canonical.encode()).hexdigest()


def merge_parameter_file(
    data: dict, root: yaml.Node, origin: str, base_dir: FilePath | None
) -> dict:
    """Read ``parameters_from`` (e.g. a calibration result) under the inline ``parameters``.

    Values written in the scenario itself win, so a scenario can use fitted
    parameters and still pin one of them.
    """
    reference = data.pop("parameters_from")
    line = line_of(root, ("parameters_from",))
    if not isinstance(reference, str):
        raise ScenarioError([f"{origin}:{line}: parameters_from: expected a file path"])
    path = (base_dir or FilePath.cwd()) / reference
    try:
        loaded = yaml.safe_load(path.read_text(encoding="utf-8"))
    except OSError:
        raise ScenarioError([f"{origin}:{line}: parameters_from: no such file {path}"]) from None
    except yaml.YAMLError as error:
        raise ScenarioError([f"{path}: invalid YAML: {error}"]) from None
    fitted = loaded.get("parameters") if isinstance(loaded, dict) else None
    if not isinstance(fitted, dict):
        raise ScenarioError([f"{path}:1: parameters: expected a mapping of parameter values"])
    inline = data.get("parameters") or {}
    if not isinstance(inline, dict):
        return data
    return {**data, "parameters": {**fitted, **inline}}


def read_yaml(text: str, origin: str, what: str = "scenario fields") -> tuple[dict, yaml.Node]:
    """Parse YAML into data and the node tree that keeps its line numbers.

    Args:
        text: the YAML.
        origin: the file name used in messages.
        what: what the top-level mapping holds, for the message if it is not one.
    """
    try:
        data = yaml.safe_load(text)
        root = yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        line = mark.line + 1 if mark is not None else 1
        reason = getattr(error, "problem", None) or str(error)
        raise ScenarioError([f"{origin}:{line}: invalid YAML: {reason}"]) from None
    if not isinstance(data, dict):
        raise ScenarioError([f"{origin}:1: (top level): expected a mapping of {what}"])
    return data, root


def validate_scenario(data: dict, describe: Callable[[Path, str], str]) -> Scenario:
    """Validate resolved scenario data; raise :class:`ScenarioError` listing every problem.

    Args:
        data: the scenario as plain data, as read from YAML (and resolved, for an overlay).
        describe: writes one problem line from the field path in ``data`` and the message,
            so that each problem names the file and line where the field was written.
    """
    try:
        scenario = Scenario.model_validate(data)
    except ValidationError as error:
        raise ScenarioError(
            [describe(_clean_loc(item["loc"]), _schema_message(item)) for item in error.errors()]
        ) from None
    problems = [describe(problem.path, problem.message) for problem in check_scenario(scenario)]
    if problems:
        raise ScenarioError(problems)
    return scenario


def parse_scenario(
    text: str, origin: str = "<scenario>", base_dir: FilePath | None = None
) -> Scenario:
    """Validate scenario YAML text; raise :class:`ScenarioError` listing every problem.

    Args:
        text: the YAML: a scenario, or an overlay (``extends:``) on one.
        origin: the file name used in messages.
        base_dir: where relative paths in the scenario (``parameters_from``, ``extends``) start.
    """
    data, root = read_yaml(text, origin)
    if "extends" in data:
        # Imported here: the overlay module builds on this one.
        from simulation.scenario.overlay import resolve_overlay

        return resolve_overlay(data, root, origin, base_dir)
    if "parameters_from" in data:
        data = merge_parameter_file(data, root, origin, base_dir)

    def describe(path: Path, message: str) -> str:
        return f"{origin}:{line_of(root, path)}: {format_path(path)}: {message}"

    return validate_scenario(data, describe)


def read_scenario_text(path: FilePath) -> str:
    """The text of a scenario file, or a :class:`ScenarioError` saying why it cannot be read."""
    try:
        return path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise ScenarioError([f"{path}: no such scenario file"]) from None
    except (OSError, UnicodeDecodeError) as error:
        raise ScenarioError([f"{path}: cannot read scenario file: {error}"]) from None


def load_scenario(path: str | FilePath) -> Scenario:
    """Read and validate a scenario file, resolving it first if it is an overlay."""
    path = FilePath(path)
    return parse_scenario(read_scenario_text(path), origin=str(path), base_dir=path.parent)
