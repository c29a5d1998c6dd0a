"""How the editor writes dates and amounts for the chosen locale, and reads them back (via the domain)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from babel.numbers import get_currency_symbol, get_decimal_symbol, get_group_symbol

from actdesk.domain.validation import NumberStyle
from actdesk.i18n import _, current_currency, current_language, current_locale, format_money


def number_style() -> NumberStyle:
    loc = current_locale()
    return NumberStyle(
        decimal=get_decimal_symbol(loc), group=get_group_symbol(loc), day_first=current_language() != "en"
    )


def date_hint() -> str:
    return _("DD/MM/YYYY") if number_style().day_first else _("MM/DD/YYYY")


def date_text(value: date | None) -> str:
    if value is None:
        return ""
    if number_style().day_first:
        return f"{value.day:02d}/{value.month:02d}/{value.year:04d}"
    return f"{value.month:02d}/{value.day:02d}/{value.year:04d}"


def amount_text(value: Decimal | None) -> str:
    """An amount as money for the editor ("$95,000", "95.000 US$"); cents only when there are some."""
    if value is None:
        return ""
    return format_money(value, cents=value != value.to_integral_value())


def plain_amount(text: str) -> str:
    """What the advisor sees (money with the currency's symbol) back to what the domain parses."""
    symbol = get_currency_symbol(current_currency(), locale=current_locale())
    return text.replace(symbol, "").replace("\u00a0", " ").strip()
