"""The model's code as a digest: which rules a stored ensemble's results came from.

An ensemble kept on disk is reused (``compare``) or resumed (``--resume``) only by
an ensemble of the same identity (:mod:`simulation.experiments.ensemble`). The
scenario, the seeds and the parameters are not the whole of it: a run's outcomes
come from the rules too, and after an upgrade of the model the runs of the old
rules must be neither passed off as the new rules' nor mixed with them.
"""

from __future__ import annotations

import hashlib
from functools import cache
from pathlib import Path

PACKAGE = Path(__file__).resolve().parent.parent
"""The ``simulation`` package."""
RULES = ("model", "mechanisms")
"""Its folders whose code makes a run's outcomes (the rest reads, writes or reports them)."""


@cache
def model_digest(package: Path = PACKAGE) -> str:
    """SHA-256 over the sources of the folders in :data:`RULES`, by their paths."""
    digest = hashlib.sha256()
    for folder in RULES:
        for source in sorted((package / folder).rglob("*.py")):
            digest.update(str(source.relative_to(package)).encode())
            digest.update(source.read_bytes())
    return digest.hexdigest()
