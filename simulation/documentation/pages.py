"""The generated pages: which exist, how each is written, and which are stale.

Each page is a function of the repository's root returning the files it
writes (its Markdown, and any figure it shows), as bytes by path relative to
the root. Writing and checking both go through :func:`generate`, so the
staleness test compares exactly what the command would write.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from simulation.documentation import parameters_page, scenario_page, validation_page

REGENERATE = "python -m simulation.documentation"
"""The command that rewrites every generated page (``make docs`` runs it too)."""

PAGES: dict[str, Callable[[Path], dict[str, bytes]]] = {
    "parameters": parameters_page.files,
    "scenario": scenario_page.files,
    "validation": validation_page.files,
}
"""Each generated page and the function that writes its files."""


def generate(root: Path) -> dict[str, bytes]:
    """Every generated file's content, by path relative to ``root``."""
    files: dict[str, bytes] = {}
    for page in PAGES.values():
        files.update(page(root))
    return files


def stale_files(root: Path) -> list[str]:
    """The generated files missing under ``root`` or differing from what would be written."""
    return [
        path
        for path, content in generate(root).items()
        if not (root / path).is_file() or (root / path).read_bytes() != content
    ]


def write_pages(root: Path) -> list[str]:
    """Write every generated file under ``root``; return those that changed."""
    changed = []
    for path, content in generate(root).items():
        target = root / path
        if target.is_file() and target.read_bytes() == content:
            continue
        target.parent.mkdir(parents=True, exist_ok=True)
        temporary = target.with_name(target.name + ".tmp")
        temporary.write_bytes(content)
        temporary.replace(target)
        changed.append(path)
    return changed
