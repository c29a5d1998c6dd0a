"""Translation and locale formatting, usable from every layer (no Qt).

Catalogs are the gettext .po files under resources/translations/<lang>/, one per feature, merged at load.
Strings are marked with ``_()`` where they are shown and with ``N_()`` where they are defined at import time
and translated later.
"""

from __future__ import annotations

import errno
from collections.abc import Iterator

from babel import Locale

from actdesk import formats

# The formatting functions live in actdesk.formats; they are re-exported here so older imports keep working.
from actdesk.formats import (
    format_date,
    format_datetime,
    format_money,
    format_money_compact,
    format_number,
    format_percent,
    format_time,
)
from actdesk.paths import resource

__all__ = [
    "LANGUAGES",
    "N_",
    "_",
    "catalog_entries",
    "current_currency",
    "current_language",
    "current_locale",
    "format_date",
    "format_datetime",
    "format_money",
    "format_money_compact",
    "format_number",
    "format_percent",
    "format_time",
    "load_catalog",
    "ngettext",
    "os_reason",
    "set_language",
    "user_message",
]

LANGUAGES = {"en": "English", "es": "Español"}
DEFAULT_LOCALES = {"en": "en_US", "es": "es_ES"}

_catalog: dict[str, str | tuple[str, ...]] = {}
_language = "en"
_locale = Locale.parse("en_US")


def set_language(language: str, locale: str | None = None, currency: str | None = None) -> None:
    """Switch the whole application's language and formatting locale (e.g. "es", "es_US")."""
    global _language, _locale
    lang = language.split("_")[0].lower()
    if lang not in LANGUAGES:
        raise ValueError(f"unsupported language {language!r}; choose one of {', '.join(LANGUAGES)}")
    _language = lang
    _locale = Locale.parse(locale or (language if "_" in language else DEFAULT_LOCALES[lang]))
    formats.set_locale(str(_locale), currency)
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
    return formats.current_locale()


def current_currency() -> str:
    return formats.current_currency()


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


_OS_REASONS = {
    errno.EACCES: N_("permission denied"),
    errno.EPERM: N_("permission denied"),
    errno.ENOENT: N_("it does not exist"),
    errno.ENOTDIR: N_("a folder in the path does not exist"),
    errno.EISDIR: N_("it is a folder"),
    errno.EEXIST: N_("it already exists"),
    errno.ENOSPC: N_("the disk is full"),
    errno.EROFS: N_("the disk is read-only"),
    errno.EBUSY: N_("it is in use by another program"),
    errno.ETXTBSY: N_("it is in use by another program"),
    errno.ENAMETOOLONG: N_("the name is too long"),
    errno.EIO: N_("the disk could not be read or written"),
    errno.ETIMEDOUT: N_("the connection timed out"),
    errno.ECONNREFUSED: N_("the connection was refused"),
    errno.ECONNRESET: N_("the connection was reset"),
    errno.EHOSTUNREACH: N_("the server cannot be reached"),
    errno.ENETUNREACH: N_("the network cannot be reached"),
}


def os_reason(exc: OSError) -> str:
    """Why the operating system refused, in the user's language (never the system's English strerror)."""
    if isinstance(exc, PermissionError):
        return _("permission denied")
    if isinstance(exc, FileNotFoundError):
        return _("it does not exist")
    reason = _OS_REASONS.get(exc.errno or -1)
    if reason is not None:
        return _(reason)
    return _("system error {code}").format(code=exc.errno) if exc.errno else _("system error")


def user_message(exc: BaseException) -> str:
    """A sentence for the user about ``exc``, without Python's or the system's English text.

    Our own exceptions (defined in ``actdesk``) carry translated sentences and are shown as they are; the
    operating system's errors become a translated reason; anything else is an unexpected error whose details
    go to the log, not into a sentence."""
    if isinstance(exc, OSError) and type(exc).__module__ == "builtins":
        reason = os_reason(exc)
        if exc.filename:
            return _("{path}: {reason}").format(path=exc.filename, reason=reason)
        return reason[:1].upper() + reason[1:]
    if type(exc).__module__.startswith("actdesk.") and str(exc):
        return str(exc)
    if isinstance(exc, ValueError) and _catalogued(str(exc)):
        return str(exc)  # a check of ours that raised ValueError with a translated sentence
    return _("an unexpected error (the details are in the log file)")


def _catalogued(text: str) -> bool:
    """Whether ``text`` is one of our messages (in the current language), possibly with values filled in."""
    if not text:
        return False
    for translated in list(_catalog.values()) or _english_msgids():
        shown = translated[0] if isinstance(translated, tuple) else translated
        head = shown.split("{", 1)[0]
        if text == shown or (len(head) >= 12 and text.startswith(head)):
            return True
    return False


def _english_msgids() -> list[str]:
    """In English the catalogue is empty: the Spanish one's keys are the English messages."""
    global _english_cache
    if _english_cache is None:
        _english_cache = list(load_catalog("es"))
    return _english_cache


_english_cache: list[str] | None = None
