"""Reading the records a command leaves beside its outputs (``manifest.json``, ``comparison.json``).

Commands read them to recognise their own earlier outputs, to resume, or to learn what
was run; one reading keeps their messages alike. Only the standard library is imported:
the command line reads records before it loads the model.
"""

from __future__ import annotations

import json
from pathlib import Path


class RecordError(ValueError):
    """A record of what a command wrote (a manifest) that cannot be read as a JSON object."""


def read_record(path: Path, what: str = "manifest") -> dict:
    """The JSON object of a record a command left beside its outputs (a ``manifest.json``).

    Raises:
        RecordError: the file cannot be read, is not JSON, or holds something else than
            an object; the message names the file (callers add what to do).
    """
    try:
        record = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as error:
        raise RecordError(f"{path}: cannot read the {what} ({error})") from None
    if not isinstance(record, dict):
        article = "an" if what[0] in "aeiou" else "a"
        raise RecordError(
            f"{path}: {article} {what} is a JSON object, this one is a JSON {type(record).__name__}"
        )
    return record
