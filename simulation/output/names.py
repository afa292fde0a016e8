"""Leaders' names as the figures print them: short enough for a legend, a title or a node.

A scenario may name a leader as it likes: with a title after a comma, a pseudonym in
brackets, in Cyrillic with an emoji. Printed whole, a 72-character name squeezed the run's
panels to under half the figure and overprinted the next panel's title, so every figure
prints a leader's name through :func:`display_name` (legends, panel titles, ticks) or
:func:`surname` (nodes of the network, event labels).
"""

from __future__ import annotations

import re
import textwrap

from simulation.scenario.schema import Scenario

NAME_CHARACTERS = 22
"""Characters of a line of a leader's name: the baseline's longest, Yevgeni Preobrazhensky,
fits one; Grigory (Sergo) Ordzhonikidze takes two."""
NAME_LINES = 2
_APPOSITION = re.compile(r",|\s[-–—]\s")
"""What follows a comma or a dash is said of the leader (a post, a note), not his name."""
_BRACKETS = frozenset("()[]{}")
_WORD = re.compile(r"\W*([^\W\d_]+(?:['’-][^\W\d_]+)*)\W*")
"""A word made of letters (a hyphen or an apostrophe within), with punctuation or a symbol
(an emoji) at either end left out."""


def _name_words(name: str) -> list[str]:
    """The words of the name proper: made of letters, before a comma or a dash, not bracketed.

    Bracketed tokens are a pseudonym ("(Sergo)") or an abbreviation's part ("РКП(б)"),
    not the name a reader knows him by.
    """
    proper = _APPOSITION.split(name, maxsplit=1)[0]
    words = (_WORD.fullmatch(token) for token in proper.split() if not _BRACKETS & set(token))
    return [word.group(1) for word in words if word]


def _shortened(text: str) -> str:
    """At most :data:`NAME_CHARACTERS`, cut at a word's end where there is one, with "…"."""
    if len(text) <= NAME_CHARACTERS:
        return text
    cut = textwrap.shorten(text, NAME_CHARACTERS, placeholder="…")
    return cut if cut != "…" else text[: NAME_CHARACTERS - 1] + "…"


def _wrapped(text: str) -> str | None:
    """``text`` on at most :data:`NAME_LINES` lines broken at spaces, or None if it won't fit."""
    lines = textwrap.wrap(text, NAME_CHARACTERS, break_long_words=False, break_on_hyphens=False)
    fits = len(lines) <= NAME_LINES and all(len(line) <= NAME_CHARACTERS for line in lines)
    return "\n".join(lines) if fits else None


def surname(name: str) -> str:
    """The name a node or an event label gives a leader: the last word of his name proper.

    "Иосиф Виссарионович Сталин (Джугашвили) — Генеральный секретарь ЦК РКП(б)" is
    "Сталин" (the last word was "РКП(б)"), "Лев Троцкий 🚩" is "Троцкий" (it was the
    emoji, drawn as an empty box). A name with no word of letters is shortened whole.
    """
    words = _name_words(name)
    return _shortened(words[-1] if words else name)


def display_name(name: str) -> str:
    """A leader's name for a legend, a panel's title or a tick: at most two short lines.

    The name whole, wrapped at spaces, if it fits; else the name proper (what a comma,
    a dash or brackets set apart dropped); else its given names cut short over the
    surname, so that the reader still knows who it is.
    """
    whole = _wrapped(name)
    if whole is not None:
        return whole
    words = _name_words(name)
    proper = _wrapped(" ".join(words)) if words else None
    if proper is not None:
        return proper
    if not words:
        return _shortened(name)
    return "\n".join(_shortened(part) for part in (" ".join(words[:-1]), words[-1]) if part)


def display_names(scenario: Scenario) -> dict[str, str]:
    """Each leader's :func:`display_name` by id: what a figure's legends and titles print."""
    return {leader.id: display_name(leader.name) for leader in scenario.leaders}


def surnames(scenario: Scenario) -> dict[str, str]:
    """Each leader's :func:`surname` by id: what the network's nodes and event labels print."""
    return {leader.id: surname(leader.name) for leader in scenario.leaders}
