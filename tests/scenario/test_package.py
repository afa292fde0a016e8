"""The scenario package stands alone: it imports nothing of the model, and nothing lazily."""

import ast
from pathlib import Path

import simulation.scenario

PACKAGE = Path(simulation.scenario.__file__).parent
ALLOWED = ("simulation.scenario", "simulation.calendar")


def imports_of(tree: ast.Module) -> list[tuple[ast.AST, str]]:
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found += [(node, alias.name) for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module:
            found.append((node, node.module))
    return found


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
