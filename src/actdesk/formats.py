"""The one place that decides how dates, times, money, numbers and percentages look (no Qt, no matplotlib).

Rules (both languages, any locale babel knows):

- **Dates**: one style per language, used everywhere: the locale's medium date ("Dec 5, 2026", "5 dic 2026").
  Day headings may add the weekday (``format_day_heading``); months are "Dec 2026" / "dic 2026"; a day of
  this year where room is short (a pipeline card) may drop the year: "Sep 17" / "17 sept" (``format_day_month``).
- **Times**: the locale's short time, 12 or 24 hours as the locale does ("3:00 PM", "15:00").
- **Money**: whole currency units by default ("$1,234,568"); cents only where cents matter (fees, payouts,
  transactions): ``format_money(value, cents=True)``. Compact "$1.4M" / "1,4 M US$" for charts and tiles, with
  the exact amount for the tooltip (``money_compact``).
- **Axes**: every tick of one axis shares one unit and one precision ("$100K, $150K, $200K", never "$106K" next
  to "$147.9K"): ``axis_labels``.

- **Echoed values**: a value from a file or the command line repeated in a message is cut to ``ECHO_MAX``
  characters (``clip``); a whole message line to ``LINE_MAX`` keeping its end (``clip_line``). A 10 MB cell
  or a 100 KB address never comes back whole, and the rule has one home.

``actdesk.i18n`` re-exports the ``format_*`` functions so older imports keep working; the active locale and
currency are set by ``i18n.set_language`` through ``set_locale``.
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, time
from decimal import ROUND_HALF_UP, Decimal
from typing import Literal

from babel import Locale
from babel.dates import format_date as _babel_date
from babel.dates import format_time as _babel_time
from babel.numbers import format_currency, format_decimal, get_currency_symbol, parse_pattern

Unit = Literal["money", "number", "percent"]
Number = Decimal | int | float

_locale = Locale.parse("en_US")
_currency = "USD"

ECHO_MAX = 60
LINE_MAX = 300

# Style names callers used before this module existed; all of them now mean the one date style.
_ONE_STYLE = frozenset({"short", "medium", "long", "date"})
_HEADING_STYLES = frozenset({"full", "heading"})


def set_locale(locale: str, currency: str | None = None) -> None:
    """Switch the formatting locale (e.g. "es_ES", "en_US") and, when given, the currency."""
    global _locale, _currency
    _locale = Locale.parse(locale)
    if currency:
        _currency = currency.upper()


def current_locale() -> str:
    return str(_locale)


def current_currency() -> str:
    return _currency


def locale_object() -> Locale:
    return _locale


# --- dates and times ----------------------------------------------------------------------------------------


def date_pattern() -> str:
    """The CLDR pattern of the one date style (also what date edits display, converted by the ui layer)."""
    return str(_locale.date_formats["medium"].pattern)


def time_pattern() -> str:
    return str(_locale.time_formats["short"].pattern)


def uses_24_hour_clock() -> bool:
    return "H" in time_pattern() or "k" in time_pattern()


def _locale_for(locale: str | None) -> Locale:
    """The active locale, or ``locale`` ("es_ES") for text in another language than the window's (an
    e-mail in its template's language)."""
    return _locale if locale is None else Locale.parse(locale)


def format_date(value: date | datetime | None, style: str = "date", *, locale: str | None = None) -> str:
    """The one date style of the language. ``style`` "full" gives a day heading with the weekday; any
    other CLDR pattern (e.g. "MMM yy" on a chart axis) is applied as given."""
    if value is None:
        return ""
    day = value.date() if isinstance(value, datetime) else value
    if style in _ONE_STYLE:
        return _babel_date(day, format="medium", locale=_locale_for(locale))
    if style in _HEADING_STYLES:
        return format_day_heading(day, locale=locale)
    return _babel_date(day, format=style, locale=_locale_for(locale))


def format_day_heading(value: date, *, locale: str | None = None) -> str:
    """A day as a heading: "Saturday, December 5, 2026" / "sábado, 5 de diciembre de 2026"."""
    text = _babel_date(value, format="full", locale=_locale_for(locale))
    return text[:1].upper() + text[1:]


def format_month(value: date, *, short_year: bool = False) -> str:
    """A month on an axis or in a period: "Dec 2026" / "dic 2026" ("Dec 26" with ``short_year``)."""
    skeleton = "yyMMM" if short_year else "yMMM"
    pattern = _locale.datetime_skeletons.get(skeleton) or _locale.datetime_skeletons.get("yMMM")
    text = _babel_date(value, format=pattern or "MMM y", locale=_locale)
    return text.replace(".", "") if _locale.language == "es" else text


def format_day_month(value: date) -> str:
    """A day of this year where room is short (a pipeline card): "Sep 17" / "17 sept"."""
    pattern = _locale.datetime_skeletons.get("MMMd")
    return _babel_date(value, format=pattern or "MMM d", locale=_locale)


def format_time(value: time | datetime | None, *, locale: str | None = None) -> str:
    """The locale's short time: "3:00 PM" (en_US), "15:00" (es_ES)."""
    if value is None:
        return ""
    return _babel_time(value, format="short", locale=_locale_for(locale))


def format_datetime(value: datetime | None, style: str = "date", *, locale: str | None = None) -> str:
    """Date in the one style, then the short time: "Dec 5, 2026, 3:00 PM" / "5 dic 2026, 15:00".

    Naive values are shown as they are; aware values as the caller converted them (use ``.astimezone()`` for
    the machine's zone)."""
    if value is None:
        return ""
    day = format_date(value.date(), "full" if style in _HEADING_STYLES else "date", locale=locale)
    clock = format_time(value.timetz() if value.tzinfo else value.time(), locale=locale)
    combine = str(_locale_for(locale).datetime_formats.get("medium", "{1}, {0}"))
    return combine.replace("{1}", day).replace("{0}", clock)


# --- numbers and money --------------------------------------------------------------------------------------


def format_number(value: Number | None, digits: int = 0) -> str:
    if value is None:
        return ""
    fmt = "#,##0" + ("." + "0" * digits if digits else "")
    return format_decimal(value, format=fmt, locale=_locale)


def format_percent(value: Number | None, digits: int = 1) -> str:
    """A fraction as a percentage: 0.125 → "12.5%" / "12,5 %"."""
    if value is None:
        return ""
    from babel.numbers import format_percent as _babel_percent

    fmt = "#,##0" + ("." + "0" * digits if digits else "") + "%"
    return _babel_percent(value, format=fmt, locale=_locale)


def format_money(
    value: Number | None, *, cents: bool = False, currency: str | None = None, locale: str | None = None
) -> str:
    """Money with the locale's grouping and symbol. Whole units unless ``cents`` (fees, payouts, transactions)."""
    if value is None:
        return ""
    amount = value if isinstance(value, Decimal) else Decimal(str(value))
    where = _locale_for(locale)
    if not cents:
        amount = amount.quantize(Decimal(1), rounding=ROUND_HALF_UP)
        pattern = where.currency_formats["standard"].pattern
        pattern = re.sub(r"\.0+", "", pattern)
        return format_currency(
            amount, currency or _currency, format=pattern, locale=where, currency_digits=False
        )
    return format_currency(amount, currency or _currency, locale=where)


def money_affixes(currency: str | None = None) -> tuple[str, str]:
    """What goes before and after a whole amount in this locale: ("$", "") in en_US, ("", " US$") in es_ES
    (for money typed into a spin box, whose digits the toolkit groups in the same locale)."""
    pattern = parse_pattern(_locale.currency_formats["standard"].pattern)
    symbol = get_currency_symbol(currency or _currency, locale=_locale)
    return pattern.prefix[0].replace("¤", symbol), pattern.suffix[0].replace("¤", symbol)


@dataclass(frozen=True)
class Compact:
    """A short figure for a tile or a chart and the exact amount for its tooltip."""

    text: str
    exact: str


def _compact_pattern(magnitude_of: float, money: bool) -> tuple[int, str, str]:
    """(divisor, prefix, suffix) of the locale's compact pattern for numbers of ``magnitude_of``'s size."""
    formats = (_locale.compact_currency_formats if money else _locale.compact_decimal_formats)["short"]
    others = formats["other"]
    magnitudes = sorted((int(m) for m in others), reverse=True)
    size = abs(magnitude_of)
    for magnitude in magnitudes:
        if size < magnitude:
            continue
        pattern = parse_pattern(others[str(magnitude)])
        zeros = pattern.pattern.count("0")
        if pattern.pattern.strip() == "0":
            break
        divisor = magnitude // (10 ** (zeros - 1))
        return divisor, pattern.prefix[0], pattern.suffix[0]
    if money:
        standard = parse_pattern(_locale.currency_formats["standard"].pattern)
        return 1, standard.prefix[0], standard.suffix[0]
    return 1, "", ""


def _apply(value: float, divisor: int, prefix: str, suffix: str, digits: int, money: bool) -> str:
    scaled = value / divisor
    body = format_decimal(
        abs(scaled), format="#,##0" + ("." + "0" * digits if digits else ""), locale=_locale
    )
    if money:
        symbol = get_currency_symbol(_currency, locale=_locale)
        prefix, suffix = prefix.replace("¤", symbol), suffix.replace("¤", symbol)
    sign = _locale.number_symbols.get("latn", _locale.number_symbols).get("minusSign", "-")
    negative = round(scaled, digits) < 0
    return f"{sign if negative else ''}{prefix}{body}{suffix}"


def _compact(value: float, money: bool, digits: int | None) -> str:
    if not math.isfinite(value):
        return ""
    divisor, prefix, suffix = _compact_pattern(value, money)
    if divisor == 1:
        if money:
            return format_money(round(value))
        return format_number(value, 0 if float(value).is_integer() else 1)
    scaled = abs(value) / divisor
    if digits is None:
        digits = 1 if scaled < 100 else 0
        if round(scaled, 1) == round(scaled):
            digits = 0
    # Rounding up into the next magnitude ("1000K") is shown in the larger unit ("1M").
    rounded = math.copysign(round(scaled, digits) * divisor, value)
    if _compact_pattern(rounded, money)[0] != divisor:
        return _compact(rounded, money, digits)
    return _apply(value, divisor, prefix, suffix, digits, money)


def format_money_compact(value: Number | None, digits: int | None = None) -> str:
    """Compact money: "$1.4M", "$350K", "$980"; "1,4 M US$", "350 mil US$" in Spanish."""
    if value is None:
        return ""
    return _compact(float(value), True, digits)


def format_number_compact(value: Number | None, digits: int | None = None) -> str:
    """Compact count: "1.2K", "3M"; "1,2 mil" in Spanish."""
    if value is None:
        return ""
    return _compact(float(value), False, digits)


def money_compact(value: Number, *, cents: bool = False) -> Compact:
    """Compact text for a tile or chart, and the exact amount for its tooltip."""
    return Compact(format_money_compact(value), format_money(value, cents=cents))


# --- chart axes ---------------------------------------------------------------------------------------------


def _digits_needed(scaled: Sequence[float], limit: int) -> int:
    """The fewest decimals (up to ``limit``) that show every tick exactly and tell them apart."""
    for digits in range(limit + 1):
        rounded = [round(v, digits) for v in scaled]
        exact = all(abs(r - v) < 1e-6 * max(1.0, abs(v)) for r, v in zip(rounded, scaled, strict=True))
        if exact and len(set(rounded)) == len(set(scaled)):
            return digits
    return limit


def axis_labels(values: Sequence[float], unit: Unit) -> list[str]:
    """Tick labels of one axis: one unit (K/M) and one precision for all of them."""
    finite = [float(v) for v in values if math.isfinite(v)]
    if not finite:
        return ["" for _v in values]
    if unit == "percent":
        digits = _digits_needed([v * 100 for v in finite], 1)
        return [format_percent(v, digits) if math.isfinite(v) else "" for v in values]
    money = unit == "money"
    largest = max(abs(v) for v in finite)
    # Below 10,000 the full figures are short enough ("$2,500") and read better than "$2.5K".
    divisor, prefix, suffix = _compact_pattern(largest, money) if largest >= 10_000 else (1, "", "")
    digits = _digits_needed([v / divisor for v in finite], 1 if divisor > 1 else 0)
    if divisor == 1:
        if money:
            return [format_money(v) if math.isfinite(v) else "" for v in values]
        digits = _digits_needed(finite, 1)
        return [format_number(v, digits) if math.isfinite(v) else "" for v in values]
    zero = format_money(0) if money else "0"
    return [
        (
            ""
            if not math.isfinite(v)
            else zero
            if v == 0
            else _apply(v, divisor, prefix, suffix, digits, money)
        )
        for v in values
    ]


def value_label(value: float, unit: Unit) -> str:
    """One value drawn on a chart (bar end, centre of a donut): compact money, percent or number."""
    if unit == "percent":
        return format_percent(value, 0 if abs(value) >= 0.1 else 1)
    if unit == "money":
        return format_money_compact(value)
    return format_number_compact(value)


def exact_label(value: Number, unit: Unit) -> str:
    """The exact value for a tooltip beside a compact one."""
    if unit == "percent":
        return format_percent(value, 1)
    if unit == "money":
        return format_money(value)
    return format_number(value, 0 if float(value).is_integer() else 1)


def clip(value: object, limit: int = ECHO_MAX) -> str:
    """``value`` as text cut to ``limit`` characters (an ellipsis marks the cut)."""
    text = str(value)
    return text if len(text) <= limit else text[: max(limit - 1, 0)] + "…"


def clip_line(message: str, limit: int = LINE_MAX) -> str:
    """A message line at most ``limit`` characters: its start and its end (which says what happened) kept,
    the middle cut — for lines that carry a value nobody clipped when the message was made."""
    text = " ".join(str(message).split())
    if len(text) <= limit:
        return text
    tail = limit // 3
    return text[: limit - tail - 1] + "…" + text[-tail:]
