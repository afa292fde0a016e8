"""Read a scenario file into a validated :class:`Scenario`, or say precisely why not.

Every problem is reported as ``FILE:LINE: field.path: what was expected``.
The file is read within limits (:mod:`reading`), resolved into a draft that
remembers where each value was written (:mod:`overlay` dispatches on
``extends:``), and validated (:mod:`validation`).
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Sequence
from pathlib import Path as FilePath

from simulation.scenario.messages import ScenarioError, format_path
from simulation.scenario.overlay import changes_to_draft, draft_of
from simulation.scenario.reading import line_of, read_text, read_yaml
from simulation.scenario.schema import Scenario
from simulation.scenario.validation import validate_draft

__all__ = [
    "ScenarioError",
    "format_path",
    "line_of",
    "load_scenario",
    "parse_scenario",
    "read_yaml",
    "scenario_hash",
]
"""What other packages take from here (the targets file reads YAML the same way)."""


def scenario_hash(scenario: Scenario) -> str:
    """SHA-256 of the resolved scenario's canonical JSON: equal hashes, equal runs."""
    canonical = json.dumps(scenario.model_dump(mode="json"), sort_keys=True)
    return hashlib.sha256(canonical.encode()).hexdigest()


def parse_scenario(
    text: str,
    origin: str = "<scenario>",
    base_dir: FilePath | None = None,
    changes: Sequence[object] = (),
    labels: Sequence[str] = (),
) -> Scenario:
    """Validate scenario YAML text; raise :class:`ScenarioError` listing every problem.

    Args:
        text: the YAML: a scenario, or an overlay (``extends:``) on one.
        origin: the file name used in messages.
        base_dir: where relative paths in the scenario (``parameters_from``, ``extends``) start.
        changes: changes to apply on top, as in an overlay's ``changes:`` list (the
            command line's ``--set``, ``--drop-event``...). Applied to the text's own
            draft, so that a problem they cause in the file's part is still told at the
            file's line.
        labels: one per change, naming it in messages (the flag as typed); without them
            the changes are named by their place in ``changes`` (``changes[2].drop_event``).

    Raises:
        ScenarioError: every problem of the file and the changes.
        ValueError: ``labels`` given, but not one per change.
    """
    if labels and len(labels) != len(changes):
        raise ValueError(f"labels: one per change, got {len(labels)} for {len(changes)} changes")
    data, root = read_yaml(text, origin)
    draft, problems = draft_of(data, root, origin, base_dir)
    if changes:
        problems += changes_to_draft(draft, changes, labels or "the changes given")
    return validate_draft(draft, problems)


def load_scenario(
    path: str | FilePath, changes: Sequence[object] = (), labels: Sequence[str] = ()
) -> Scenario:
    """Read and validate a scenario file, resolving it first if it is an overlay.

    Args:
        path: the scenario or overlay file.
        changes: changes to apply on top, written as an overlay's ``changes:`` entries
            (``{"drop_event": "frunze_dies"}``, ``{"set": {"parameters.hostility": 0.3}}``).
        labels: one per change, naming it in messages (the command line gives the flag
            as typed); without them a change is named by its place in ``changes``.

    Raises:
        ScenarioError: every problem of the file and the changes, one line each.
        ValueError: ``labels`` given, but not one per change.
    """
    path = FilePath(path)
    return parse_scenario(read_text(path), str(path), path.parent, changes, labels)
