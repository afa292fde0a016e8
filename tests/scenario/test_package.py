"""The scenario package stands alone: it imports nothing of the model, and nothing lazily."""

import ast
from pathlib import Path

import simulation.scenario

PACKAGE = Path(simulation.scenario.__file__).parent
ALLOWED = ("simulation.scenario", "simulation.calendar")


def imports_of(tree: ast.Module) -> list[tuple[ast.AST, str]]:
    """Each import and the absolute name of what it imports (relative ones resolved)."""
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found += [(node, alias.name) for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            found.append((node, absolute(node)))
    return found


def absolute(node: ast.ImportFrom) -> str:
    """``from ..model import x`` in this package is ``simulation.model``."""
    if node.level == 0:
        return node.module
    parts = ALLOWED[0].split(".")[: len(ALLOWED[0].split(".")) - node.level + 1]
    return ".".join([*parts, *([node.module] if node.module else [])])


def test_a_relative_import_is_resolved_against_the_package():
    assert absolute(ast.parse("from ..model.state import x").body[0]) == "simulation.model.state"
    assert absolute(ast.parse("from .schema import x").body[0]) == "simulation.scenario.schema"
    assert absolute(ast.parse("from . import schema").body[0]) == "simulation.scenario"


def test_every_import_is_at_the_top_of_its_module():
    for path in PACKAGE.glob("*.py"):
        tree = ast.parse(path.read_text())
        inner = [name for node, name in imports_of(tree) if node not in tree.body]
        assert inner == [], f"{path.name} imports {inner} inside a function or block"


def test_the_package_imports_nothing_of_the_model():
    for path in PACKAGE.glob("*.py"):
        tree = ast.parse(path.read_text())
        names = [name for _, name in imports_of(tree) if name.startswith("simulation")]
        assert all(name.startswith(ALLOWED) for name in names), (path.name, names)


def test_no_module_is_over_400_lines():
    for path in PACKAGE.glob("*.py"):
        assert len(path.read_text().splitlines()) <= 400, path.name
