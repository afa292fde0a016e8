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
