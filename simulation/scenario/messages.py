"""How problems with a scenario are written: one line each, short, and pointing at the fix.

A message quotes what the user wrote, so that he recognises the line; but a
value can be a whole paragraph or an alias expanded a million times, so every
quoted value is cut to :data:`QUOTE_LIMIT` characters. Where a name is unknown,
the message offers the closest known names.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterable

Path = tuple[str | int, ...]
"""Where a value sits in a scenario: ``("events", 3, "who")`` reads ``events[3].who``."""

QUOTE_LIMIT = 60
"""The most characters of a value a message quotes before cutting it with an ellipsis."""

LISTING_LIMIT = 30
"""The most known names a message lists before saying how many more there are."""


class ScenarioError(Exception):
    """A scenario file that cannot be run; ``problems`` lists one line per problem."""

    def __init__(self, problems: list[str]):
        super().__init__("\n".join(problems))
        self.problems = problems


def cut(text: str, limit: int = QUOTE_LIMIT) -> str:
    """``text`` itself if it is short, else its beginning and an ellipsis."""
    return text if len(text) <= limit else text[: limit - 1] + "…"


def quote(value: object, limit: int = QUOTE_LIMIT) -> str:
    """A value as Python writes it (``'stalin'``, ``0.5``), cut to ``limit`` characters."""
    return cut(repr(value), limit)


def format_path(path: Path) -> str:
    """Write a field path the way it reads in YAML terms: ``events[3].who``."""
    text = ""
    for part in path:
        name = cut(str(part), 40)
        text += f"[{name}]" if isinstance(part, int) else (f".{name}" if text else name)
    return text or "(top level)"


def listing(names: Iterable[str]) -> str:
    """Known names for a message, in the order given, the list cut short when it is long."""
    names = list(names)
    if not names:
        return "none defined"
    shown = ", ".join(cut(name, 40) for name in names[:LISTING_LIMIT])
    rest = len(names) - LISTING_LIMIT
    return shown + (f" and {rest} more" if rest > 0 else "")


def suggestion(value: object, known: Iterable[str]) -> str:
    """`` (did you mean 'x'?)`` for the closest known names, or nothing if none is close."""
    if not isinstance(value, str):
        return ""
    close = difflib.get_close_matches(value[:200], list(known), n=3)
    return f" (did you mean {' or '.join(map(quote, close))}?)" if close else ""


def unknown(kind: str, value: object, known: Iterable[str]) -> str:
    """``unknown leader 'stalinn' (did you mean 'stalin'?)``, or the known names."""
    known = sorted(known)
    hint = suggestion(value, known)
    return f"unknown {kind} {quote(value)}" + (hint or f" (expected one of: {listing(known)})")


def in_reading_order(problems: list[str]) -> list[str]:
    """Problems by file, the files in the order first met, and by line within each.

    They are found in passes (the changes, then the fields, then the references), so
    they come out of order; a reader fixes a file from the top.
    """
    files: dict[str, int] = {}

    def place(problem: str) -> tuple[int, int]:
        located = re.match(r"(.*?):(\d+): ", problem)
        file, line = (located[1], int(located[2])) if located else (problem.split(": ")[0], 0)
        return files.setdefault(file, len(files)), line

    return sorted(problems, key=place)
