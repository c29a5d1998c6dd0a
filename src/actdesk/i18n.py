"""Translation and locale formatting, usable from every layer (no Qt).

Catalogs are the gettext .po files under resources/translations/<lang>/, one per feature, merged at load.
Strings are marked with ``_()`` where they are shown and with ``N_()`` where they are defined at import time
and translated later.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, datetime
from decimal import Decimal

from babel import Locale
from babel.dates import format_date as _babel_date
from babel.dates import format_datetime as _babel_datetime
from babel.numbers import format_currency, format_decimal
from babel.numbers import format_percent as _babel_percent

from actdesk.paths import resource

LANGUAGES = {"en": "English", "es": "Español"}
DEFAULT_LOCALES = {"en": "en_US", "es": "es_ES"}

_catalog: dict[str, str | tuple[str, ...]] = {}
_language = "en"
_locale = Locale.parse("en_US")
_currency = "USD"


def set_language(language: str, locale: str | None = None, currency: str | None = None) -> None:
    """Switch the whole application's language and formatting locale (e.g. "es", "es_US")."""
    global _language, _locale, _currency
    lang = language.split("_")[0].lower()
    if lang not in LANGUAGES:
        raise ValueError(f"unsupported language {language!r}; choose one of {', '.join(LANGUAGES)}")
    _language = lang
    _locale = Locale.parse(locale or (language if "_" in language else DEFAULT_LOCALES[lang]))
    if currency:
        _currency = currency
    _catalog.clear()
    if lang != "en":
        _catalog.update(load_catalog(lang))


def load_catalog(language: str) -> dict[str, str | tuple[str, ...]]:
    from babel.messages.pofile import read_po

    merged: dict[str, str | tuple[str, ...]] = {}
    folder = resource("translations", language)
    if not folder.is_dir():
        return merged
    for entry in sorted(folder.iterdir(), key=lambda e: e.name):
        if not entry.name.endswith(".po"):
            continue
        with entry.open("rb") as fh:
            catalog = read_po(fh)
        for message in catalog:
            if not message.id or not message.string or message.fuzzy:
                continue
            key = str(message.id[0] if isinstance(message.id, (tuple, list)) else message.id)
            merged[key] = (
                tuple(message.string) if isinstance(message.string, (tuple, list)) else message.string
            )
    return merged


def catalog_entries(language: str) -> Iterator[str]:
    yield from load_catalog(language)


def current_language() -> str:
    return _language


def current_locale() -> str:
    return str(_locale)


def current_currency() -> str:
    return _currency


def _(message: str) -> str:
    translated = _catalog.get(message)
    if isinstance(translated, tuple):
        return translated[0]
    return translated or message


def N_(message: str) -> str:
    """Mark a string for extraction without translating it now."""
    return message


def ngettext(singular: str, plural: str, n: int) -> str:
    translated = _catalog.get(singular)
    if isinstance(translated, tuple) and translated:
        index = _locale.plural_form(abs(n))
        forms = {"one": 0, "other": 1}
        return translated[min(forms.get(index, 1), len(translated) - 1)]
    return singular if n == 1 else plural


def format_money(
    value: Decimal | int | float | None, *, cents: bool = True, currency: str | None = None
) -> str:
    """Money for people: grouping and symbol of the locale; lists drop the cents, cards keep them."""
    if value is None:
        return ""
    pattern = None if cents else _locale.currency_formats["standard"].pattern.replace(".00", "")
    return format_currency(
        value,
        currency or _currency,
        format=pattern,
        locale=_locale,
        currency_digits=cents,
    )


def format_number(value: Decimal | int | float | None, digits: int = 0) -> str:
    if value is None:
        return ""
    fmt = "#,##0" + ("." + "0" * digits if digits else "")
    return format_decimal(value, format=fmt, locale=_locale)


def format_percent(value: float | Decimal | None, digits: int = 1) -> str:
    if value is None:
        return ""
    fmt = "#,##0" + ("." + "0" * digits if digits else "") + "%"
    return _babel_percent(value, format=fmt, locale=_locale)


def format_date(value: date | None, style: str = "medium") -> str:
    return "" if value is None else _babel_date(value, format=style, locale=_locale)


def format_datetime(value: datetime | None, style: str = "medium") -> str:
    return "" if value is None else _babel_datetime(value, format=style, locale=_locale)
