"""Dates as clients write them in a reply, in English or Spanish, refusing to guess.

``2026-05-14``, ``14/05/2026`` (day first in Spanish), ``May 14, 2026``, ``14 de mayo de 2026``, and a month
alone (``June 2026``: the 1st, flagged approximate). ``05/06/2026`` in an English reply could be either
5 June or 6 May: that is reported as ambiguous, never chosen.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

MONTHS = {
    "january": 1, "february": 2, "march": 3, "april": 4, "may": 5, "june": 6, "july": 7,
    "august": 8, "september": 9, "october": 10, "november": 11, "december": 12,
    "jan": 1, "feb": 2, "mar": 3, "apr": 4, "jun": 6, "jul": 7, "aug": 8, "sep": 9, "sept": 9,
    "oct": 10, "nov": 11, "dec": 12,
    "enero": 1, "febrero": 2, "marzo": 3, "abril": 4, "mayo": 5, "junio": 6, "julio": 7,
    "agosto": 8, "septiembre": 9, "setiembre": 9, "octubre": 10, "noviembre": 11, "diciembre": 12,
    "ene": 1, "abr": 4, "ago": 8, "dic": 12,
}  # fmt: skip
_ISO = re.compile(r"\b(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})\b")
_NUMERIC = re.compile(r"\b(\d{1,2})[/.-](\d{1,2})[/.-](\d{4}|\d{2})\b")
_NAMES = "|".join(sorted(MONTHS, key=len, reverse=True))
_DAY_MONTH = re.compile(
    rf"\b(\d{{1,2}})(?:st|nd|rd|th|º)?\s+(?:de\s+)?({_NAMES})\.?,?\s+(?:de\s+|del\s+)?(\d{{4}})\b", re.I
)
_MONTH_DAY = re.compile(rf"\b({_NAMES})\.?\s+(\d{{1,2}})(?:st|nd|rd|th)?,?\s+(\d{{4}})\b", re.I)
_MONTH_YEAR = re.compile(rf"\b({_NAMES})\.?,?\s+(?:de\s+|del\s+)?(\d{{4}})\b", re.I)


@dataclass(frozen=True)
class DateReading:
    value: date | None
    problem: str | None = None  # "ambiguous" | "invalid" | "unreadable" | "missing"
    approximate: bool = False
    span: tuple[int, int] = (0, 0)  # where in the text the date was found


def _make(y: int, m: int, d: int) -> date | None:
    try:
        return date(y, m, d)
    except ValueError:
        return None


def _year(text: str) -> int:
    y = int(text)
    return 2000 + y if y < 100 else y


def read_date(text: str, language: str = "en") -> DateReading:
    """The one date in ``text``, or why there is none."""
    text = text.strip()
    if not text:
        return DateReading(None, "missing")
    if m := _ISO.search(text):
        value = _make(int(m.group(1)), int(m.group(2)), int(m.group(3)))
        return DateReading(value, None if value else "invalid", span=m.span())
    if m := _DAY_MONTH.search(text):
        value = _make(int(m.group(3)), MONTHS[m.group(2).lower()], int(m.group(1)))
        return DateReading(value, None if value else "invalid", span=m.span())
    if m := _MONTH_DAY.search(text):
        value = _make(int(m.group(3)), MONTHS[m.group(1).lower()], int(m.group(2)))
        return DateReading(value, None if value else "invalid", span=m.span())
    if m := _NUMERIC.search(text):
        a, b, y = int(m.group(1)), int(m.group(2)), _year(m.group(3))
        day_first = _make(y, b, a)
        month_first = _make(y, a, b)
        if language == "es":
            return DateReading(day_first, None if day_first else "invalid", span=m.span())
        if day_first and month_first and a != b:
            return DateReading(None, "ambiguous", span=m.span())
        value = month_first or day_first
        return DateReading(value, None if value else "invalid", span=m.span())
    if m := _MONTH_YEAR.search(text):
        value = _make(int(m.group(2)), MONTHS[m.group(1).lower()], 1)
        return DateReading(value, None if value else "invalid", approximate=True, span=m.span())
    return DateReading(None, "unreadable")
