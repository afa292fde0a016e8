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
PRESENTATION = ("cli", "dashboard", "documentation", "output")
"""Its folders that only read, show or write results; the rest makes them. Not only the
model and the mechanisms: how a scenario is read (its defaults), how each run's parameters
are drawn from the posterior, how its seed is spawned and how its outcomes are summarised
all change an ensemble's tables; a resume across a change of any of them mixed two
versions' runs in one table, its manifest saying it was complete."""


def sources_digest(package: Path, sources: Iterable[Path]) -> str:
    """SHA-256 over ``sources``, each by its path within ``package`` and its bytes, in order."""
    digest = hashlib.sha256()
    for source in sources:
        digest.update(source.relative_to(package).as_posix().encode())  # one on every system
        digest.update(source.read_bytes())
    return digest.hexdigest()


@cache
def model_digest(package: Path = PACKAGE) -> str:
    """:func:`sources_digest` over the package's sources but :data:`PRESENTATION`'s."""
    sources = sorted(package.rglob("*.py"))
    return sources_digest(
        package,
        (s for s in sources if s.relative_to(package).parts[0] not in PRESENTATION),
    )
