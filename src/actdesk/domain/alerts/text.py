"""Numbers as they appear in explanations: whole currency units, whole percents, medium dates."""

from __future__ import annotations

import math
from datetime import date, datetime
from decimal import Decimal

from actdesk.i18n import format_date, format_money, format_number, format_percent

EPS = 1e-9  # thresholds are "or more": a share computed as 0.1499999999 still meets 15%


def money(value: float) -> str:
    return format_money(Decimal(round(value)), cents=False)


def pct(value: float) -> str:
    return format_percent(value, 0)


def points(value: float) -> str:
    """A difference of two shares in percentage points (0.12 -> "12")."""
    return format_number(round(value * 100))


def ratio(value: float) -> str:
    return format_number(value, 1) + "×"


def day(value: date) -> str:
    if isinstance(value, datetime):
        value = value.date()
    return format_date(value)


def whole(value: float) -> str:
    return format_number(round(value)) if math.isfinite(value) else ""
