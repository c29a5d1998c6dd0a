"""Field validation for households and contacts, shared by the card editor, importers and the CLI.

Pure: text in, typed values or ``field -> message`` out. Messages are translated because they are shown next to
the field that caused them. Nothing here writes anything; a form is saved only when every field is valid.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import TypeVar

from actdesk.domain.enums import ContactRole, HouseholdStatus, RiskTolerance
from actdesk.domain.models import Contact, Household
from actdesk.domain.money import MAX_AMOUNT
from actdesk.domain.text import invisible_character
from actdesk.i18n import _

# Deliberately simple: one @, something before it, a dotted domain after it, no spaces.
EMAIL_RE = re.compile(r"^[^@\s]+@[^@\s.]+(\.[^@\s.]+)+$")
PHONE_RE = re.compile(r"^[0-9+()./\- x]{3,40}$", re.IGNORECASE)
T = TypeVar("T")


class FieldError(ValueError):
    """One field's text could not be read; the message is ready to show next to it."""


@dataclass(frozen=True)
class NumberStyle:
    """How the user's locale writes numbers and dates (the UI passes it; the domain stays locale-free)."""

    decimal: str = "."
    group: str = ","
    day_first: bool = False


@dataclass
class FormResult:
    """The outcome of reading a form: typed values and, per field, why a value was refused."""

    errors: dict[str, str] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return not self.errors


def parse_date(text: str, style: NumberStyle = NumberStyle()) -> date | None:
    """ISO ``2024-03-31`` always; also ``3/31/2024`` (or ``31/3/2024`` when day_first). Empty -> None."""
    cleaned = text.strip()
    if not cleaned:
        return None
    try:
        if re.fullmatch(r"\d{4}-\d{1,2}-\d{1,2}", cleaned):
            year, month, day = (int(p) for p in cleaned.split("-"))
            return date(year, month, day)
        match = re.fullmatch(r"(\d{1,2})[/.\-](\d{1,2})[/.\-](\d{4})", cleaned)
        if match:
            first, second, year = (int(g) for g in match.groups())
            day, month = (first, second) if style.day_first else (second, first)
            return date(year, month, day)
    except ValueError:
        raise FieldError(_("This date does not exist.")) from None
    example = "31/12/1960" if style.day_first else "12/31/1960"
    raise FieldError(_("Not a date; write it like {example} or 1960-12-31.").format(example=example))


def parse_amount(text: str, style: NumberStyle = NumberStyle()) -> Decimal | None:
    """An amount as people type it: optional currency sign, grouping, up to two decimals. Empty -> None."""
    cleaned = re.sub(r"[\s$€£\u00a0]", "", text.strip())
    if not cleaned:
        return None
    cleaned = cleaned.replace(style.group, "").replace(style.decimal, ".")
    if not re.fullmatch(r"-?\d+(\.\d{1,2})?", cleaned):
        raise FieldError(_("Not an amount; use digits, e.g. 250000 or 1,250.50."))
    try:
        value = Decimal(cleaned)
    except InvalidOperation:
        raise FieldError(_("Not an amount; use digits, e.g. 250000 or 1,250.50.")) from None
    if abs(value) >= MAX_AMOUNT:
        raise FieldError(_("This amount is too large."))
    return value.quantize(Decimal("0.01"))


def check_email(text: str) -> str | None:
    """The e-mail address, trimmed and lower-cased domain, or None when empty."""
    cleaned = text.strip()
    if not cleaned:
        return None
    if not EMAIL_RE.match(cleaned):
        raise FieldError(_("Not an e-mail address; it should look like name@example.com."))
    local, _at, domain = cleaned.rpartition("@")
    return f"{local}@{domain.lower()}"


def check_phone(text: str) -> str | None:
    cleaned = " ".join(text.split())
    if not cleaned:
        return None
    if not PHONE_RE.match(cleaned) or sum(ch.isdigit() for ch in cleaned) < 3:
        raise FieldError(_("Not a phone number; use digits, spaces, + ( ) and -."))
    return cleaned


def validate_household(household: Household, *, today: date) -> dict[str, str]:
    """Rules that span fields: dates in order, a leaving reason when the household left, nothing in the future."""
    errors: dict[str, str] = {}
    if not household.name.strip():
        errors["name"] = _("A household needs a name.")
    elif len(household.name) > 200:
        errors["name"] = _("Keep the name under 200 characters.")
    if household.client_since and household.client_since > today:
        errors["client_since"] = _("Client since cannot be in the future.")
    if household.client_until:
        if household.client_since and household.client_until < household.client_since:
            errors["client_until"] = _("Client until must be on or after client since.")
        elif household.client_until > today:
            errors["client_until"] = _("Client until cannot be in the future.")
    if household.status == HouseholdStatus.FORMER_CLIENT:
        if not (household.leaving_reason or "").strip():
            errors["leaving_reason"] = _("Say why the household left; it is required for former clients.")
        if household.client_until is None and "client_until" not in errors:
            errors["client_until"] = _("Give the date the household left.")
    elif household.status == HouseholdStatus.CLIENT and household.client_since is None:
        errors["client_since"] = _("Give the date the household became a client.")
    elif household.status == HouseholdStatus.PROSPECT and household.client_since is not None:
        # It would be a client in the KPIs and a prospect in the lists at once (issue 20), as import-book says.
        errors.setdefault(
            "client_since",
            _(
                "A prospect has no client-since date: set the status to Client if it became one, or clear the date."
            ),
        )
    if household.status != HouseholdStatus.FORMER_CLIENT and household.client_until is not None:
        errors.setdefault("client_until", _("Only a former client has a client-until date."))
    return errors


def validate_contact(contact: Contact, *, today: date) -> dict[str, str]:
    errors: dict[str, str] = {}
    if not contact.first_name.strip():
        errors["first_name"] = _("A first name is required.")
    if not contact.last_name.strip():
        errors["last_name"] = _("A last name is required.")
    if contact.birth_date is not None:
        if contact.birth_date > today:
            errors["birth_date"] = _("A birth date cannot be in the future.")
        elif contact.birth_date.year < today.year - 120:
            errors["birth_date"] = _("This birth date is more than 120 years ago.")
    if contact.income is not None and contact.income < 0:
        errors["income"] = _("Income cannot be negative.")
    return errors


def household_from_form(
    values: Mapping[str, str], base: Household, *, today: date, style: NumberStyle = NumberStyle()
) -> tuple[Household, dict[str, str]]:
    """Read the household part of the card editor. Keys: name, status, client_since, client_until, leaving_reason."""
    errors = _invisible_fields(values)
    since = _read(values, "client_since", parse_date, style, errors)
    until = _read(values, "client_until", parse_date, style, errors)
    try:
        status = HouseholdStatus(values.get("status", base.status))
    except ValueError:
        errors["status"] = _("Choose a status.")
        status = base.status
    household = Household(
        name=values.get("name", "").strip(),
        status=status,
        client_since=since,
        client_until=until,
        leaving_reason=(values.get("leaving_reason") or "").strip() or None,
        owner=base.owner,
        tags=base.tags,
        id=base.id,
        version=base.version,
    )
    for key, message in validate_household(household, today=today).items():
        errors.setdefault(key, message)
    return household, errors


def contact_from_form(
    values: Mapping[str, str],
    *,
    household_id: int | None,
    contact_id: int | None,
    today: date,
    style: NumberStyle = NumberStyle(),
) -> tuple[Contact, dict[str, str]]:
    """Read one member's form; every field text is optional except the names."""
    errors = _invisible_fields(values)
    birth = _read(values, "birth_date", parse_date, style, errors)
    income = _read(values, "income", parse_amount, style, errors)
    net_worth = _read(values, "net_worth", parse_amount, style, errors)
    email = _read_plain(values, "email", check_email, errors)
    phone = _read_plain(values, "phone", check_phone, errors)
    try:
        role = ContactRole(values.get("role") or ContactRole.PRIMARY)
    except ValueError:
        errors["role"] = _("Choose a role.")
        role = ContactRole.OTHER
    risk_text = values.get("risk_tolerance") or ""
    try:
        risk = RiskTolerance(risk_text) if risk_text else None
    except ValueError:
        errors["risk_tolerance"] = _("Choose a risk tolerance.")
        risk = None

    def text(key: str) -> str | None:
        return (values.get(key) or "").strip() or None

    contact = Contact(
        household_id=household_id,
        first_name=(values.get("first_name") or "").strip(),
        last_name=(values.get("last_name") or "").strip(),
        role=role,
        email=email,
        phone=phone,
        birth_date=birth,
        income=income,
        net_worth=net_worth,
        risk_tolerance=risk,
        occupation=text("occupation"),
        address=text("address"),
        city=text("city"),
        region=text("region"),
        postal_code=text("postal_code"),
        country=text("country"),
        do_not_email=(values.get("do_not_email") or "") in ("1", "true", "yes"),
        id=contact_id,
    )
    for key, message in validate_contact(contact, today=today).items():
        errors.setdefault(key, message)
    return contact, errors


def validate_members(contacts: list[Contact]) -> str | None:
    """Household-level rule on its members: at most one primary contact."""
    primaries = sum(1 for c in contacts if c.role == ContactRole.PRIMARY)
    if primaries > 1:
        return _("Only one member can be the primary contact.")
    return None


def _invisible_fields(values: Mapping[str, str]) -> dict[str, str]:
    """Each field holding a character the book refuses (``domain/text.py``), marked where it is rather than
    refused by the book for the whole form."""
    found: dict[str, str] = {}
    for key, text in values.items():
        character = invisible_character(text or "")
        if character is not None:
            found[key] = _(
                "This holds an invisible control character (U+{code:04X}), often left by a paste; type it "
                "again without it."
            ).format(code=ord(character))
    return found


def _read(
    values: Mapping[str, str],
    key: str,
    parser: Callable[[str, NumberStyle], T],
    style: NumberStyle,
    errors: dict[str, str],
) -> T | None:
    try:
        return parser(values.get(key) or "", style)
    except FieldError as exc:
        errors[key] = str(exc)
        return None


def _read_plain(
    values: Mapping[str, str], key: str, parser: Callable[[str], str | None], errors: dict[str, str]
) -> str | None:
    try:
        return parser(values.get(key) or "")
    except FieldError as exc:
        errors[key] = str(exc)
        return None
