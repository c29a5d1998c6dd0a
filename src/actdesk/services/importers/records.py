"""What every contact importer produces: plain records checked against the book's column limits.

Importers never write; they turn a file into ``ContactRecord``s and ``Rejection``s with the line and the
reason, so that the preview can show both before anything happens.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from functools import lru_cache

from dateutil import parser as date_parser

from actdesk.domain.text import without_invisible
from actdesk.formats import clip, clip_line
from actdesk.i18n import N_, _

EXCERPT_MAX = 80

# What an import does with a field whose value differs from the book's (``--on-conflict``).
FILL, KEEP, REPLACE, SAME = "fill", "keep", "replace", "same"

# Fields a contact import fills, in the order the preview shows them.
CONTACT_FIELDS = (
    "first_name",
    "last_name",
    "email",
    "phone",
    "birth_date",
    "occupation",
    "address",
    "city",
    "region",
    "postal_code",
    "country",
)
LIMITS = {
    "first_name": 100,
    "last_name": 100,
    "email": 254,
    "phone": 40,
    "occupation": 120,
    "address": 300,
    "city": 120,
    "region": 120,
    "postal_code": 20,
    "country": 80,
    "household": 200,
}
_TEXT_LIMITS = tuple(LIMITS.items())
FIELD_NAMES = {
    "first_name": N_("first name"),
    "last_name": N_("last name"),
    "email": N_("e-mail"),
    "phone": N_("phone"),
    "occupation": N_("occupation"),
    "address": N_("address"),
    "city": N_("city"),
    "region": N_("state or region"),
    "postal_code": N_("postal code"),
    "country": N_("country"),
    "household": N_("household"),
}
EMAIL = re.compile(r"^[^@\s,;<>]+@[^@\s,;<>]+\.[^@\s,;<>]+$")
_SPACES = re.compile(r"\s+")
_NON_DIGITS = re.compile(r"\D+")
_BREAKS = re.compile(r"\s*[\r\n]+\s*")
_MONTH_WORD = re.compile(r"\b(jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\.?(?![a-z])", re.I)


@dataclass(slots=True)
class ContactRecord:
    line: int
    first_name: str = ""
    last_name: str = ""
    email: str | None = None
    phone: str | None = None
    birth_date: date | None = None
    occupation: str | None = None
    address: str | None = None
    city: str | None = None
    region: str | None = None
    postal_code: str | None = None
    country: str | None = None
    household: str | None = None  # a household name the source CRM gave (Redtail family, Wealthbox household)
    status: str | None = (
        None  # HouseholdStatus value the source CRM gave (Redtail Status, Wealthbox Contact Type)
    )
    role: str | None = None  # ContactRole value (Redtail Family Head, Wealthbox Household Title)
    warnings: list[str] = field(
        default_factory=list
    )  # fields left out, with the reason (shown in the preview)

    def values(self) -> dict[str, object]:
        return {name: getattr(self, name) for name in CONTACT_FIELDS}

    @property
    def display_name(self) -> str:
        return f"{self.first_name} {self.last_name}".strip() or (self.email or "")


@dataclass(frozen=True, slots=True)
class Rejection:
    """A rejected row or a warning: every place that makes one is capped here (``formats.clip_line``), so a
    10 MB cell is never echoed whole, whoever wrote the reason."""

    line: int
    reason: str
    text: str = ""  # a short excerpt of the row, so the user recognises it

    def __post_init__(self) -> None:
        object.__setattr__(self, "reason", clip_line(self.reason))
        object.__setattr__(self, "text", clip(self.text, EXCERPT_MAX))


class RowError(ValueError):
    """A row that cannot be imported; the message is the reason shown to the user."""


def clean(value: str | None) -> str | None:
    """Trim and collapse inner whitespace (multi-line cells become one line), without the invisible
    characters another program may have left in (``domain/text.py``); empty becomes None."""
    if value is None:
        return None
    text = without_invisible(value).strip()
    if "  " in text or "\n" in text or "\r" in text or "\t" in text:
        text = _SPACES.sub(" ", _BREAKS.sub(", ", text)).strip(" ,")
    return text or None


def split_full_name(full: str) -> tuple[str, str]:
    """ "Ann Smith" -> (Ann, Smith); "Smith, Ann" -> (Ann, Smith); one word is a last name."""
    full = full.strip()
    if "," in full:
        last, _, first = full.partition(",")
        return first.strip(), last.strip()
    first, _, last = full.rpartition(" ")
    return first.strip(), last.strip()


def parse_date(text: str | None, order: str = "mdy", what: str = N_("birth date")) -> date | None:
    """A birth date as exports write it. ``None`` for empty and for dates without a year.

    Handles ISO (1980-05-17, 19800517, with or without a time), M/D/YYYY or D/M/YYYY by ``order``,
    D.M.YYYY, two-digit years (19xx from 30 up, 20xx below), month names (May 17, 1980), Outlook's
    empty "0/0/00", Apple's year-less 1604-05-17 and vCard 4's --0517.
    """
    value = (text or "").strip()
    if not value or value in {"0/0/00", "0/0/0000", "00/00/0000", "1/1/0001"}:
        return None
    if value.startswith("--"):
        return None
    try:
        result = _cached_date(value, order)
    except (ValueError, OverflowError):
        raise RowError(_("{what} {value!r} is not a date").format(what=_(what), value=clip(value))) from None
    if result is not None and result.year <= 1604:
        return None  # Apple's "year unknown" marker
    return result


@lru_cache(maxsize=65536)
def _cached_date(value: str, order: str) -> date | None:
    """Birth dates repeat across a large file; errors are not cached (lru_cache does not keep them)."""
    return _parse_date(value, order)


def _parse_date(value: str, order: str) -> date | None:
    head = value.split("T")[0].split(" ")[0] if value[:4].isdigit() else value
    if re.fullmatch(r"\d{8}", head):
        return date(int(head[:4]), int(head[4:6]), int(head[6:]))
    if re.fullmatch(r"\d{4}-\d{1,2}-\d{1,2}", head):
        y, m, d = (int(p) for p in head.split("-"))
        return date(y, m, d)
    match = re.fullmatch(r"(\d{1,2})([/.\-])(\d{1,2})\2(\d{2}|\d{4})", value.split(" ")[0])
    if match:
        a, sep, b, digits = int(match[1]), match[2], int(match[3]), match[4]
        short = int(digits)
        year = short if len(digits) == 4 else (1900 + short if short >= 30 else 2000 + short)
        if sep == "." or order == "dmy":
            return date(year, b, a)
        return date(year, a, b)
    if _MONTH_WORD.search(value) and re.search(r"\b\d{4}\b", value):
        return date_parser.parse(value, dayfirst=order == "dmy").date()
    if _MONTH_WORD.search(value):
        return None  # "May 17": a birthday without a year cannot be stored as a birth date
    raise ValueError(value)


def lenient_date(record: ContactRecord, text: str | None, order: str) -> date | None:
    """The birth date, or None with a warning on the record: one impossible date (19723101, 2/29/1985) must
    not drop a person with their e-mails and addresses."""
    try:
        return parse_date(text, order)
    except RowError as exc:
        record.warnings.append(_("{problem}; the birth date was left out").format(problem=exc))
        return None


def finish(record: ContactRecord, full_name: str | None = None) -> ContactRecord:
    """Clean, fill names from a full name, and check the book's rules. Raises ``RowError`` only when the
    person cannot be kept at all; a bad field is left out with a warning on the record."""
    # Google joins several values of one field with " ::: "; vCard 4 writes phones as tel: URIs.
    if record.phone is not None:
        record.phone = record.phone.split(":::")[0].strip().removeprefix("tel:") or None
    if record.phone is not None and not any(ch.isdigit() for ch in record.phone):
        # "MobilePhone", "Handy": a header or a label in the number's place, not a number.
        record.warnings.append(
            _("phone {value!r} has no digits (a header or label?); it was left out").format(
                value=clip(record.phone)
            )
        )
        record.phone = None
    if record.email is not None:
        record.email = record.email.split(":::")[0].strip().removeprefix("mailto:").strip() or None
    for name, limit in _TEXT_LIMITS:
        value = getattr(record, name)
        if value is None:
            continue
        value = clean(value)
        if value is not None and len(value) > limit:
            raise _too_long(name, limit)
        setattr(record, name, value)
    record.first_name = record.first_name or ""
    record.last_name = record.last_name or ""
    if not record.first_name and not record.last_name and full_name:
        cleaned = clean(full_name)
        if cleaned:
            record.first_name, record.last_name = split_full_name(cleaned)
            for name in ("first_name", "last_name"):
                if len(getattr(record, name)) > LIMITS[name]:
                    raise _too_long(name, LIMITS[name])
    if not record.first_name and not record.last_name and record.email and EMAIL.match(record.email):
        # Only an e-mail (a CSV row or a vCard alike): the part before "@" stands in for the name.
        record.first_name = record.email.split("@")[0][: LIMITS["first_name"]]
        record.warnings.append(_("no name; the e-mail address stands in for it"))
    if not record.first_name and not record.last_name:
        raise RowError(_("no name (first or last name is required)"))
    if record.email is not None and not EMAIL.match(record.email):
        record.warnings.append(
            _("{value!r} is not an e-mail address; it was left out").format(value=clip(record.email))
        )
        record.email = None
    return record


def _too_long(name: str, limit: int) -> RowError:
    label = _(FIELD_NAMES.get(name, name))
    return RowError(_("{field} is longer than {n} characters").format(field=label, n=limit))


def excerpt(cells: tuple[str, ...] | list[str], limit: int = EXCERPT_MAX) -> str:
    return clip(" | ".join(c.strip() for c in cells if c and c.strip()), limit)


def phone_key(phone: str | None) -> str | None:
    """Digits only, the last ten (so +1 (555) 010-2030 and 555.010.2030 match); short numbers never match."""
    if not phone:
        return None
    digits = _NON_DIGITS.sub("", phone)
    return digits[-10:] if len(digits) >= 7 else None


def email_key(email: str | None) -> str | None:
    return email.strip().lower() if email and email.strip() else None


def name_key(first: str | None, last: str | None) -> str:
    return f"{(first or '').strip().casefold()}|{(last or '').strip().casefold()}"


__all__ = [
    "CONTACT_FIELDS",
    "ContactRecord",
    "Rejection",
    "RowError",
    "email_key",
    "finish",
    "lenient_date",
    "name_key",
    "parse_date",
    "phone_key",
]
