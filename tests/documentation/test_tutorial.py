"""The tutorial's examples run, print what it shows, and name only commands that exist."""

from __future__ import annotations

import ast
import contextlib
import io
import re

import pytest

from simulation.cli import build_parser
from tests.conftest import ROOT

TUTORIAL = ROOT / "docs" / "tutorial.md"
FENCE = re.compile(r"^```(\w*)\n(.*?)^```", re.MULTILINE | re.DOTALL)


def blocks() -> list[tuple[str, str]]:
    """Every fenced block of the tutorial as ``(language, text)``, in order."""
    return FENCE.findall(TUTORIAL.read_text(encoding="utf-8"))


def python_examples() -> list[tuple[str, str | None]]:
    """Each Python block with the text block right after it (its shown output), if any."""
    found = blocks()
    examples = []
    for k, (language, code) in enumerate(found):
        if language == "python":
            after = found[k + 1] if k + 1 < len(found) else ("", "")
            examples.append((code, after[1] if after[0] == "text" else None))
    return examples


def test_the_python_examples_use_only_the_public_api():
    examples = python_examples()
    assert examples, "docs/tutorial.md has no ```python block"
    for code, _ in examples:
        for node in ast.walk(ast.parse(code)):
            if isinstance(node, ast.ImportFrom) and node.module.startswith("simulation"):
                assert node.module == "simulation", f"not the public API: from {node.module}"
            if isinstance(node, ast.Import):
                for alias in node.names:
                    assert not alias.name.startswith("simulation."), alias.name


@pytest.mark.slow
# The example's ensembles fork workers, as the ensemble tests do (see test_ensemble.py).
@pytest.mark.filterwarnings(
    "ignore:This process .* is multi-threaded, use of fork:DeprecationWarning"
)
def test_the_python_examples_run_and_print_what_the_tutorial_shows(tmp_path, monkeypatch):
    for folder in ("scenarios", "calibration"):
        (tmp_path / folder).symlink_to(ROOT / folder)
    monkeypatch.chdir(tmp_path)
    namespace: dict[str, object] = {"__name__": "tutorial"}
    for number, (code, shown) in enumerate(python_examples(), start=1):
        printed = io.StringIO()
        with contextlib.redirect_stdout(printed):
            exec(compile(code, f"docs/tutorial.md, python example {number}", "exec"), namespace)
        if shown is not None:
            assert printed.getvalue() == shown, (
                f"python example {number} of docs/tutorial.md now prints something else than "
                f"the text under it: update the excerpt with what it prints:\n{printed.getvalue()}"
            )


def test_every_command_the_tutorial_names_exists():
    parser = build_parser()
    commands = next(action.choices for action in parser._actions if action.dest == "command").keys()
    text = TUTORIAL.read_text(encoding="utf-8")
    named = set(re.findall(r"\binterregnum ([a-z]+)\b", text))
    named |= set(re.findall(r"`(\w+)` \(", text)) & {"ensemble", "calibrate", "assess"}
    assert named, "the tutorial names no interregnum command"
    unknown = sorted(named - set(commands))
    assert not unknown, f"docs/tutorial.md names commands the CLI does not have: {unknown}"
