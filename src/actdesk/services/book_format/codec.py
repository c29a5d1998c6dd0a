"""Cell text <-> stored value for each column kind of the open book format.

Parsers raise ``ValueError`` with a short reason that the importer attaches to file, line and column. They are
written for speed (the stress book has millions of cells): date texts are cached, money avoids Decimal.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable
from datetime import UTC, date, datetime
from typing import Any

from actdesk.services.book_format.enum_values import lenient
from actdesk.services.book_format.schema import TAG_SEPARATOR, Column, Kind
from actdesk.services.cell_guard import unguard

_MONEY = re.compile(r"^([+-]?)(\d+)(?:\.(\d{1,2}))?$", re.ASCII)
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
TRUE = frozenset({"true", "1", "yes"})
FALSE = frozenset({"false", "0", "no"})


# ---- formatting (export) -------------------------------------------------------------------------------------


def format_cents(cents: int) -> str:
    sign = "-" if cents < 0 else ""
    whole, frac = divmod(abs(cents), 100)
    return f"{sign}{whole}.{frac:02d}"


def format_value(kind: Kind, value: Any) -> str:
    if value is None:
        return ""
    if kind is Kind.MONEY:
        return format_cents(int(value))
    if kind is Kind.BOOL:
        return "true" if value else "false"
    if kind is Kind.DATETIME:
        return str(value.astimezone(UTC).isoformat())
    if kind is Kind.DATE:
        return str(value.isoformat())
    if kind is Kind.FLOAT:
        return repr(float(value))
    if kind is Kind.TAGS:
        return TAG_SEPARATOR.join(sorted(value))
    return str(value)


def formatter(kind: Kind) -> Callable[[Any], str]:
    """A fast formatter for one column (the hot path of export)."""
    if kind in (Kind.ID, Kind.INT):
        return lambda v: "" if v is None else str(v)
    if kind in (Kind.TEXT, Kind.ENUM):
        return lambda v: "" if v is None else v
    if kind is Kind.MONEY:
        return lambda v: "" if v is None else format_cents(v)
    if kind is Kind.DATE:
        cache: dict[date, str] = {}

        def fmt_date(v: date | None) -> str:
            if v is None:
                return ""
            text = cache.get(v)
            if text is None:
                text = cache[v] = v.isoformat()
            return text

        return fmt_date
    return lambda v: format_value(kind, v)


# ---- parsing (import) ----------------------------------------------------------------------------------------


def parse_id(text: str) -> int:
    if not (text.isdigit() and text.isascii()):
        raise ValueError(f"not a positive whole number: {text!r}")
    value = int(text)
    if value <= 0:
        raise ValueError(f"ids start at 1: {text!r}")
    return value


def parse_int(text: str) -> int:
    if not (text.isdigit() and text.isascii()):
        raise ValueError(f"not a whole number >= 0: {text!r}")
    return int(text)


def parse_cents(text: str) -> int:
    whole, dot, frac = text.partition(".")
    if (
        whole.isdigit()
        and (not dot or (frac.isdigit() and len(frac) <= 2))
        and whole.isascii()
        and frac.isascii()
    ):
        return int(whole) * 100 + (int(frac.ljust(2, "0")) if frac else 0)  # the common case, fast
    match = _MONEY.match(text)
    if match is None:
        raise ValueError(
            f"not an amount: {text!r} (digits with a dot and at most two decimals, e.g. 1234.56)"
        )
    sign, whole, frac = match.groups()
    cents = int(whole) * 100 + (int(frac.ljust(2, "0")) if frac else 0)
    return -cents if sign == "-" else cents


def parse_bool(text: str) -> bool:
    lowered = text.lower()
    if lowered in TRUE:
        return True
    if lowered in FALSE:
        return False
    raise ValueError(f"not true or false: {text!r}")


def parse_float(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise ValueError(f"not a number: {text!r}") from None
    if not math.isfinite(value) or not 0.0 <= value <= 1.0:
        raise ValueError(f"not a probability between 0 and 1: {text!r}")
    return value


def parse_datetime(text: str) -> datetime:
    """ISO-8601; an instant without offset is read in this computer's time zone (documented)."""
    try:
        value = datetime.fromisoformat(text)
    except ValueError:
        raise ValueError(f"not an ISO-8601 date-time: {text!r} (e.g. 2026-01-05T15:00:00+00:00)") from None
    if value.tzinfo is None:
        value = value.astimezone()
    return value.astimezone(UTC)


def parse_tags(text: str) -> list[str]:
    return sorted({tag.strip() for tag in text.split(TAG_SEPARATOR) if tag.strip()})


def parser(column: Column, on_mapped: Callable[[str, str], None] | None = None) -> Callable[[str], Any]:
    """The parser of one column; empty cells never reach it. ``on_mapped(text, value)`` hears of every enum
    value read leniently ("Roth IRA" as roth_ira), so the import can report it."""
    kind = column.kind
    if kind is Kind.ID:
        return parse_id
    if kind is Kind.INT:
        return parse_int
    if kind is Kind.MONEY:
        return parse_cents
    if kind is Kind.BOOL:
        return parse_bool
    if kind is Kind.FLOAT:
        return parse_float
    if kind is Kind.DATETIME:
        return parse_datetime
    if kind is Kind.TAGS:
        return parse_tags
    if kind is Kind.DATE:
        cache: dict[str, date] = {}

        def parse_date(text: str) -> date:
            value = cache.get(text)
            if value is None:
                try:
                    value = date.fromisoformat(text)
                except ValueError:
                    raise ValueError(f"not a date: {text!r} (use YYYY-MM-DD)") from None
                if len(cache) < 100_000:
                    cache[text] = value
            return value

        return parse_date
    if kind is Kind.ENUM:
        allowed = {choice: choice for choice in column.choices}

        def parse_enum(text: str) -> str:
            value = allowed.get(text) or allowed.get(text.strip().lower())
            if value is None:
                value = lenient(text, column.choices)
                if value is None:
                    raise ValueError(f"{text!r} is not one of: {', '.join(column.choices)}")
                if on_mapped is not None:
                    on_mapped(text, value)
            return value

        return parse_enum
    if column.name == "email":

        def parse_email(text: str) -> str:
            if not _EMAIL.match(text.strip()):
                raise ValueError(f"not an e-mail address: {text!r}")
            return text

        return parse_email
    return _text


def _text(text: str) -> str:
    """Text as the file holds it, less the quote our CSV exports put before formula-like text (cell_guard);
    a NUL is refused (SQLite keeps it, and it later cuts the text short in other programs)."""
    if "\x00" in text:
        raise ValueError("holds a NUL character; remove it from the file")
    return unguard(text)
