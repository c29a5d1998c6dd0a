"""The merge fields a template sees for one recipient: contact.*, household.*, salutation, signature, dates.

Values are plain strings formatted for the template's language, so a template never needs code to format a
date or an amount; ``field_catalog()`` lists them for the editor and docs. Dates, times and money follow the
one style of ``actdesk.formats`` in the template's language (which may differ from the window's): a date reads
"Dec 7, 2026" / "7 dic 2026", a date with its time "Dec 7, 2026, 3:00 PM" / "7 dic 2026, 15:00", money whole
units "$1,250,000" / "1.250.000 US$".
"""

from __future__ import annotations

from dataclasses import fields
from datetime import date, datetime, tzinfo
from decimal import Decimal
from typing import Any

from actdesk.domain.analytics.periods import (
    ClientPeriod,
    first_joined,
    returned_on,
    whole_years,
    years_in_all,
)
from actdesk.domain.models import Contact, Household
from actdesk.formats import format_date, format_datetime, format_money
from actdesk.i18n import DEFAULT_LOCALES
from actdesk.storage.repositories.mail_audience import Recipient

LOCALES = DEFAULT_LOCALES
SALUTATIONS = {"en": "Dear {first_name}", "es": "Hola, {first_name}"}
YES_NO = {"en_US": ("yes", "no"), "es_ES": ("sí", "no")}


def _fmt(value: Any, locale: str, currency: str) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime):
        return format_datetime(value, locale=locale)
    if isinstance(value, date):
        return format_date(value, locale=locale)
    if isinstance(value, Decimal):
        return format_money(value, currency=currency, locale=locale)
    if isinstance(value, bool):
        yes, no = YES_NO.get(locale, YES_NO["en_US"])
        return yes if value else no
    if isinstance(value, tuple | list):
        return ", ".join(str(v) for v in value)
    return str(value)


def contact_fields(contact: Contact, locale: str, currency: str) -> dict[str, str]:
    data = {f.name: _fmt(getattr(contact, f.name), locale, currency) for f in fields(contact)}
    data["full_name"] = contact.full_name
    data["age"] = ""
    return data


def household_fields(household: Household | None, locale: str, currency: str) -> dict[str, str]:
    if household is None:
        return {f.name: "" for f in fields(Household)}
    return {f.name: _fmt(getattr(household, f.name), locale, currency) for f in fields(household)}


def age_on(birth: date | None, day: date) -> int | None:
    if birth is None:
        return None
    return day.year - birth.year - ((day.month, day.day) < (birth.month, birth.day))


def merge_context(
    recipient: Recipient,
    *,
    language: str,
    now: datetime,
    tz: tzinfo,
    signature: str,
    practice: str,
    advisor: str,
    currency: str = "USD",
    extra: dict[str, Any] | None = None,
) -> dict[str, Any]:
    locale = LOCALES.get(language, "en_US")
    contact = recipient.contact
    today = now.astimezone(tz).date()
    cf = contact_fields(contact, locale, currency)
    age = age_on(contact.birth_date, today)
    cf["age"] = "" if age is None else str(age)
    hf = household_fields(recipient.household, locale, currency)
    review = recipient.next_review.astimezone(tz) if recipient.next_review else None
    hh = recipient.household
    years = "" if hh is None or hh.client_since is None else str(whole_years(hh.client_since, today))
    periods = recipient_periods(recipient)
    tenure = years_in_all(periods, today) if periods else None
    joined, back = first_joined(periods), returned_on(periods, today)
    context: dict[str, Any] = {
        "contact": cf,
        "household": hf,
        "salutation": SALUTATIONS.get(language, SALUTATIONS["en"]).format(
            first_name=contact.first_name or contact.full_name
        ),
        "signature": signature or "\n".join(p for p in (advisor, practice) if p),
        "advisor": {"name": advisor, "practice": practice},
        "next_review_date": format_date(review.date(), locale=locale) if review else "",
        "next_review_time": format_datetime(review, locale=locale) if review else "",
        "client_years": years,
        "tenure_years": "" if tenure is None else str(tenure),
        "first_client_since": format_date(joined, locale=locale) if joined else "",
        "returned_on": format_date(back, locale=locale) if back else "",
        "today": format_date(today, locale=locale),
    }
    if extra:
        context.update(extra)
    return context


def recipient_periods(recipient: Recipient) -> tuple[ClientPeriod, ...]:
    """Every client period of the recipient's household (a household that never left has one: its own)."""
    hh = recipient.household
    if recipient.periods or hh is None or hh.client_since is None:
        return recipient.periods
    return (ClientPeriod(hh.id or 0, hh.client_since, hh.client_until, hh.leaving_reason),)


def sample_recipient() -> Recipient:
    """A made-up recipient for checking a template before anything is queued."""
    contact = Contact(household_id=1, first_name="Ann", last_name="Sample", email="ann@example.com", id=0)
    return Recipient(contact, Household(name="Sample household", id=0), None)


TECHNICAL = {"id", "household_id", "version", "do_not_email", "email_opt_out_at"}


def field_catalog() -> list[str]:
    """The fields worth offering in the editor (technical ones still render but are not advertised)."""
    names = [f"contact.{f.name}" for f in fields(Contact) if f.name not in TECHNICAL]
    names += ["contact.full_name", "contact.age"]
    names += [f"household.{f.name}" for f in fields(Household) if f.name not in TECHNICAL]
    names += [
        "salutation",
        "signature",
        "advisor.name",
        "advisor.practice",
        "next_review_date",
        "next_review_time",
    ]
    names += ["client_years", "tenure_years", "first_client_since", "returned_on", "today"]
    names += [
        f"{kind}.{key}" for kind in ("review", "event") for key in ("subject", "date", "time", "location")
    ]
    return names


def activity_fields(
    subject: str, start: datetime, location: str | None, language: str, tz: tzinfo
) -> dict[str, str]:
    """``review.*`` / ``event.*`` merge fields for a scheduled activity, in the template's language."""
    locale = LOCALES.get(language, "en_US")
    local = start.astimezone(tz)
    return {
        "subject": subject,
        "date": format_date(local.date(), locale=locale),
        "time": format_datetime(local, locale=locale),
        "location": location or "",
    }
