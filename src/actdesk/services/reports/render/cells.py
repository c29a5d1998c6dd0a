"""Cells as people read them (PDF, the panel's tables): locale formats; money without cents in tables."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from actdesk.i18n import format_date, format_money, format_number, format_percent
from actdesk.services.reports.model import Cell, ColumnKind


def display(value: Cell, kind: ColumnKind) -> str:
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    if kind == "money" and isinstance(value, Decimal | int | float):
        return format_money(Decimal(str(value)), cents=False)
    if kind == "percent" and isinstance(value, int | float | Decimal):
        return format_percent(float(value), 1)
    if kind == "date" and isinstance(value, date):
        return format_date(value)
    if isinstance(value, date):
        return format_date(value)
    if isinstance(value, int):
        return format_number(value)
    return format_number(value, 1) if isinstance(value, float) else str(value)


def is_numeric(kind: ColumnKind) -> bool:
    return kind in ("money", "number", "percent")
