"""The model's code as a digest: which rules a stored ensemble's results came from.

An ensemble kept on disk is reused (``compare``) or resumed (``--resume``) only by
an ensemble of the same identity (:mod:`simulation.experiments.ensemble`). The
scenario, the seeds and the parameters are not the whole of it: a run's outcomes
come from the rules too, and after an upgrade of the model the runs of the old
rules must be neither passed off as the new rules' nor mixed with them.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from functools import cache
from pathlib import Path

PACKAGE = Path(__file__).resolve().parent.parent
"""The ``simulation`` package."""
RULES = ("model", "mechanisms")
"""Its folders whose code makes a run's outcomes (the rest reads, writes or reports them)."""


def sources_digest(package: Path, sources: Iterable[Path]) -> str:
    """SHA-256 over ``sources``, each by its path within ``package`` and its bytes, in order."""
    digest = hashlib.sha256()
    for source in sources:
        digest.update(str(source.relative_to(package)).encode())
        digest.update(source.read_bytes())
    return digest.hexdigest()


@cache
def model_digest(package: Path = PACKAGE) -> str:
    """:func:`sources_digest` over the folders in :data:`RULES`."""
    return sources_digest(
        package, (s for folder in RULES for s in sorted((package / folder).rglob("*.py")))
    )
