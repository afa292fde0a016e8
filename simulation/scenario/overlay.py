"""Counterfactual overlays: a scenario written as a few changes to another one.

An overlay names the scenario it ``extends`` (a path relative to the overlay,
itself possibly an overlay) and lists its ``changes`` (see :mod:`changes`); it
may set ``free_from``, the month from which a run branches from history.
The chain of overlays is resolved from the plain scenario at its root, each
overlay's changes applied to the raw data in turn; the result is then
validated like any scenario. Every part of the resolved data remembers where it
was written (the base file, an overlay, a command-line flag), so each problem
names the file, line and field path that must be corrected rather than a
position in a scenario nobody wrote.

This module is where reading a scenario file dispatches on ``extends:``; a
chain may be at most :data:`MAX_CHAIN` files long, and may not loop.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from pathlib import Path as FilePath

import yaml

from simulation.scenario.changes import apply_changes_to
from simulation.scenario.draft import Draft, FileSource, FlagSource, LabelSource, claim
from simulation.scenario.messages import ScenarioError, cut, suggestion
from simulation.scenario.parameters_file import draft_with_parameter_file
from simulation.scenario.reading import nearest_path, read_text, read_yaml
from simulation.scenario.schema import Scenario
from simulation.scenario.validation import validate_draft

OVERLAY_FIELDS = ("extends", "name", "description", "source", "free_from", "changes")
_FIELDS = ", ".join(OVERLAY_FIELDS)

MAX_CHAIN = 32
"""The most files in a chain of overlays extending one another, the plain scenario included."""

Chain = tuple[tuple[FilePath, str], ...]
"""The files being resolved, outermost first: each file's identity and its name in messages."""


def draft_of(
    data: dict, root: yaml.Node, origin: str, base_dir: FilePath | None, chain: Chain = ()
) -> tuple[Draft, list[str]]:
    """The draft a scenario file describes, overlay or not, and the problems met resolving it.

    Args:
        data: the file as read from YAML.
        root: its node tree, for line numbers.
        origin: its name in messages, and (resolved) its identity for cycles.
        base_dir: where its relative paths (``extends``, ``parameters_from``) start.
        chain: the overlays that extend this file, outermost first.

    Raises:
        ScenarioError: where nothing can be resolved at all (a missing base file,
            a cycle); problems that leave a draft to validate are returned.
    """
    source = FileSource(origin, root)
    if "extends" not in data:
        return draft_with_parameter_file(data, source, base_dir), []
    problems = _check_header(data, source)
    if not isinstance(data.get("extends"), str) or not data["extends"].strip():
        raise ScenarioError(problems)
    chain = (*chain, (FilePath(origin).resolve(), origin))
    base_path = (base_dir or FilePath.cwd()) / data["extends"]
    base_name = os.path.normpath(base_path)
    if base_path.resolve() in {identity for identity, _ in chain}:
        cycle = " extends ".join([name for _, name in chain] + [base_name])
        raise ScenarioError([source.describe(("extends",), f"overlays extend in a cycle: {cycle}")])
    if len(chain) >= MAX_CHAIN:
        raise ScenarioError(
            [source.describe(("extends",), f"more than {MAX_CHAIN} files extend one another")]
        )
    if not base_path.exists() and (meant := nearest_path(base_path)):
        # Said as the line to write, not as the path joined to the overlay's folder.
        written = os.path.relpath(meant, base_dir or FilePath.cwd())
        raise ScenarioError(
            [
                source.describe(
                    ("extends",),
                    f"{base_name}: no such scenario file (did you mean extends: {written}?)",
                )
            ]
        )
    try:
        base_text = read_text(base_path, "scenario file")
    except ScenarioError as error:
        raise ScenarioError([source.describe(("extends",), p) for p in error.problems]) from None
    base_data, base_root = read_yaml(base_text, base_name)
    draft, base_problems = draft_of(base_data, base_root, base_name, base_path.parent, chain)
    changes = data.get("changes") if isinstance(data.get("changes"), list) else []
    located = [(change, source, ("changes", k)) for k, change in enumerate(changes)]
    problems = [*base_problems, *problems, *apply_changes_to(draft, located, origin)]
    _name_after(draft, data, source)
    if "free_from" in data:  # checked with the resolved scenario, at this line
        draft.data["free_from"] = data["free_from"]
        claim(draft.places, ("free_from",), (source, ("free_from",)))
    return draft, problems


def _check_header(data: dict, source: FileSource) -> list[str]:
    """Problems with an overlay's own fields (its changes are checked as they apply)."""
    problems = [
        source.describe(
            (str(key),),
            "unknown field" + (suggestion(key, OVERLAY_FIELDS) or f" (expected one of: {_FIELDS})"),
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


def _name_after(draft: Draft, data: dict, source: FileSource) -> None:
    """Give the draft the overlay's name, and its citation at the end of the description.

    The schema has no field for a scenario's citation, so the overlay's source
    ends its description, where summaries and reports show it.
    """
    if isinstance(data.get("name"), str):
        draft.data["name"] = data["name"]
        claim(draft.places, ("name",), (source, ("name",)))
    description = data.get("description") if isinstance(data.get("description"), str) else ""
    citation = data.get("source") if isinstance(data.get("source"), str) else ""
    draft.data["description"] = f"{description.strip()}\nSource: {citation}".strip()
    claim(draft.places, ("description",), (source, ("description",)))


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
        ScenarioError: listing every change that cannot be applied, and every
            problem of the resulting scenario.
    """
    base = LabelSource(f"scenario {cut(repr(scenario.name))}")
    draft = Draft(scenario.model_dump(mode="json"), base)
    return validate_draft(draft, changes_to_draft(draft, changes, origin))


def changes_to_draft(
    draft: Draft, changes: Sequence[object], origin: str | Sequence[str]
) -> list[str]:
    """Apply changes without a file to a draft; the problems of those that cannot apply.

    ``origin`` names them in messages, as for :func:`apply_changes`.
    """
    if isinstance(origin, str):
        located = [
            (change, LabelSource(origin), ("changes", k)) for k, change in enumerate(changes)
        ]
        return apply_changes_to(draft, located, origin)
    located = [
        (change, (FlagSource if name.startswith("--") else LabelSource)(cut(name, 120)), ())
        for change, name in zip(changes, origin, strict=True)
    ]
    return apply_changes_to(draft, located, cut(", ".join(origin), 120))
