"""ORM rows <-> domain dataclasses for the core book tables. Only repositories use this module."""

from __future__ import annotations

from decimal import Decimal
from enum import Enum
from typing import TypeVar

from actdesk.domain.enums import (
    AccountType,
    ActivityKind,
    ContactRole,
    HouseholdStatus,
    LifeEventKind,
    LifeEventSource,
    RiskTolerance,
)
from actdesk.domain.models import Account, Activity, Contact, Household, LifeEvent, Note
from actdesk.domain.money import from_cents, to_cents
from actdesk.storage.tables.base import utcnow
from actdesk.storage.tables.book import (
    AccountRow,
    ActivityRow,
    ContactRow,
    HouseholdRow,
    LifeEventRow,
    NoteRow,
)

E = TypeVar("E", bound=Enum)
D = TypeVar("D")


def _enum(cls: type[E], value: object, default: D) -> E | D:
    """Unknown values written by a newer actdesk or another tool read as the default, never crash the card."""
    try:
        return cls(value)
    except ValueError:
        return default


def household_from_row(row: HouseholdRow) -> Household:
    return Household(
        name=row.name,
        status=_enum(HouseholdStatus, row.status, HouseholdStatus.PROSPECT),
        client_since=row.client_since,
        client_until=row.client_until,
        leaving_reason=row.leaving_reason,
        owner=row.owner,
        tags=tuple(sorted(t.tag for t in row.tags)),
        id=row.id,
        version=row.version,
    )


def contact_from_row(row: ContactRow) -> Contact:
    return Contact(
        household_id=row.household_id,
        first_name=row.first_name,
        last_name=row.last_name,
        role=_enum(ContactRole, row.role, ContactRole.OTHER),
        email=row.email,
        phone=row.phone,
        birth_date=row.birth_date,
        income=from_cents(row.income_cents),
        net_worth=from_cents(row.net_worth_cents),
        risk_tolerance=_enum(RiskTolerance, row.risk_tolerance, None) if row.risk_tolerance else None,
        occupation=row.occupation,
        address=row.address,
        city=row.city,
        region=row.region,
        postal_code=row.postal_code,
        country=row.country,
        do_not_email=bool(row.do_not_email),
        email_opt_out_at=row.email_opt_out_at,
        id=row.id,
    )


def _cents(value: Decimal | None) -> int | None:
    return None if value is None else to_cents(value)


def contact_to_row(contact: Contact, row: ContactRow) -> None:
    """Copy the editable fields; the opt-out instant is recorded when the flag is set and cleared with it."""
    row.household_id = contact.household_id
    row.role = contact.role.value
    row.first_name = contact.first_name
    row.last_name = contact.last_name
    row.email = contact.email
    row.phone = contact.phone
    row.birth_date = contact.birth_date
    row.income_cents = _cents(contact.income)
    row.net_worth_cents = _cents(contact.net_worth)
    row.risk_tolerance = contact.risk_tolerance.value if contact.risk_tolerance else None
    row.occupation = contact.occupation
    row.address = contact.address
    row.city = contact.city
    row.region = contact.region
    row.postal_code = contact.postal_code
    row.country = contact.country
    if contact.do_not_email and not row.do_not_email:
        row.email_opt_out_at = contact.email_opt_out_at or utcnow()  # when the advisor set the flag
    elif not contact.do_not_email:
        row.email_opt_out_at = None
    row.do_not_email = contact.do_not_email


def account_from_row(row: AccountRow) -> Account:
    return Account(
        household_id=row.household_id,
        custodian=row.custodian,
        type=_enum(AccountType, row.type, AccountType.OTHER),
        managed=bool(row.managed),
        account_number=row.account_number,
        name=row.name,
        id=row.id,
    )


def activity_from_row(row: ActivityRow) -> Activity:
    return Activity(
        household_id=row.household_id,
        kind=_enum(ActivityKind, row.kind, ActivityKind.TASK),
        subject=row.subject,
        start=row.start,
        contact_id=row.contact_id,
        duration_minutes=row.duration_minutes,
        due_date=row.due_date,
        location=row.location,
        notes=row.notes,
        outcome=row.outcome,
        completed_at=row.completed_at,
        owner=row.owner,
        rrule=row.rrule,
        id=row.id,
    )


def life_event_from_row(row: LifeEventRow) -> LifeEvent:
    return LifeEvent(
        household_id=row.household_id,
        kind=_enum(LifeEventKind, row.kind, LifeEventKind.OTHER),
        date=row.date,
        contact_id=row.contact_id,
        notes=row.notes,
        source=_enum(LifeEventSource, row.source, LifeEventSource.ADVISOR),
        id=row.id,
    )


def note_from_row(row: NoteRow) -> Note:
    return Note(
        household_id=row.household_id,
        body=row.body,
        created_at=row.created_at,
        contact_id=row.contact_id,
        id=row.id,
    )
