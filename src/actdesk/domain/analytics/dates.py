"""Calendar arithmetic of the analytics: periods end on the as-of date and step back whole months."""

from __future__ import annotations

import calendar
from datetime import date, timedelta


def is_month_end(day: date) -> bool:
    return day.day == calendar.monthrange(day.year, day.month)[1]


def shift_months(day: date, months: int) -> date:
    """``months`` whole months from ``day`` (negative: back). A month-end maps to a month-end, so
    31 Mar - 1 month = 28/29 Feb and 28 Feb - 12 months = 28/29 Feb; any other day keeps its day number,
    clamped to the month's length."""
    moved = add_months(day, months)
    if is_month_end(day):
        return moved.replace(day=calendar.monthrange(moved.year, moved.month)[1])
    return moved


def add_months(day: date, months: int) -> date:
    """``months`` whole months from ``day``, the day number clamped to the month's length (31 Jan + 1 month
    = 28/29 Feb, 29 Feb 1952 + 65 years = 28 Feb 2017), as dateutil's ``relativedelta(months=...)`` does but
    a tenth of its cost; unlike ``shift_months`` a month-end does not stay a month-end (30 Apr + 1 = 30 May).
    ``shift_months`` is this plus that rule."""
    years, month = divmod(day.month - 1 + months, 12)
    year = day.year + years
    return date(year, month + 1, min(day.day, calendar.monthrange(year, month + 1)[1]))


def last_month_end(today: date) -> date:
    """The most recent month-end on or before ``today``."""
    return today if is_month_end(today) else today.replace(day=1) - timedelta(days=1)


def key_dates(as_of: date) -> tuple[date, date, date, date]:
    """The as-of date and 6, 12 and 24 months before it: the snapshots every KPI is built from."""
    return as_of, shift_months(as_of, -6), shift_months(as_of, -12), shift_months(as_of, -24)


def month_series(as_of: date, months: int) -> list[date]:
    """``months`` monthly points ending at ``as_of``, oldest first."""
    return [shift_months(as_of, -k) for k in range(months - 1, -1, -1)]


DAYS_PER_YEAR = 365.25
