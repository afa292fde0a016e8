"""The API reference documents every public name."""

from __future__ import annotations

import simulation
from tests.conftest import ROOT


def test_api_page_documents_every_public_name():
    page = (ROOT / "docs/api.md").read_text(encoding="utf-8")
    documented = {
        line.split(".")[-1].strip() for line in page.splitlines() if line.startswith(":::")
    }
    missing = [
        name for name in simulation.__all__ if name != "__version__" and name not in documented
    ]
    assert not missing, f"docs/api.md has no '::: module.NAME' entry for {missing}"


def test_api_page_documents_every_mechanism():
    page = (ROOT / "docs/api.md").read_text(encoding="utf-8")
    modules = sorted(
        path.stem
        for path in (ROOT / "simulation/mechanisms").glob("*.py")
        if path.stem != "__init__"
    )
    missing = [name for name in modules if f"::: simulation.mechanisms.{name}\n" not in page]
    assert not missing, f"docs/api.md has no '::: simulation.mechanisms.NAME' for {missing}"
