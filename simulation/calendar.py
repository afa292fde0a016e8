"""Calendar months, the model's unit of time.

A step is one month, and every date in a scenario is a month (``YYYY-MM``): the
source chapter and most chronologies date the struggle's events to the month,
and finer dates would suggest a precision the model does not have.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from typing import Annotated

from pydantic import BeforeValidator, PlainSerializer

_MONTH_PATTERN = re.compile(r"^(\d{4})-(\d{2})$")
_SHOWN = 40
"""The most characters of a refused value a message repeats (a value may be a whole page)."""


def _shown(value: object) -> str:
    text = repr(value)
    return text if len(text) <= _SHOWN else text[: _SHOWN - 1] + "…"


@dataclass(frozen=True, order=True, slots=True)
class Month:
    """A calendar month, ordered and hashable; ``str()`` gives ``YYYY-MM``."""

    year: int
    month: int

    def __post_init__(self) -> None:
        if not 1 <= self.month <= 12:
            raise ValueError(f"month must be 01..12, got {self.month:02d}")

    @classmethod
    def parse(cls, text: str) -> Month:
        """Read ``YYYY-MM``; anything else (including a full day) is refused."""
        match = _MONTH_PATTERN.match(str(text).strip())
        if match is None:
            raise ValueError(f"expected a month as YYYY-MM, got {_shown(text)}")
        return cls(int(match.group(1)), int(match.group(2)))

    @property
    def ordinal(self) -> int:
        """Months since year 0, so that differences count months."""
        return self.year * 12 + self.month - 1

    def plus(self, months: int) -> Month:
        """The month ``months`` later (or earlier, if negative)."""
        year, month0 = divmod(self.ordinal + months, 12)
        return Month(year, month0 + 1)

    def months_since(self, other: Month) -> int:
        """Whole months from ``other`` to this month."""
        return self.ordinal - other.ordinal

    def __str__(self) -> str:
        return f"{self.year:04d}-{self.month:02d}"


def _coerce_month(value: object) -> Month:
    if isinstance(value, Month):
        return value
    if isinstance(value, date):
        raise ValueError(f"expected a month as YYYY-MM, got the full date {value.isoformat()}")
    if not isinstance(value, str):
        raise ValueError(f"expected a month as a YYYY-MM string, got {_shown(value)}")
    return Month.parse(value)


MonthField = Annotated[Month, BeforeValidator(_coerce_month), PlainSerializer(str)]
"""A pydantic field type for months written ``YYYY-MM``."""
