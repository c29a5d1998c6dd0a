"""Small-book builders for tests: rows inserted with the ORM in one unit of work, values given exactly."""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal

from sqlalchemy.orm import Session

from actdesk.domain.money import to_cents
from actdesk.storage.repositories.client_periods import sync_periods
from actdesk.storage.tables.book import (
    AccountRow,
    ActivityRow,
    BalanceRow,
    ContactRow,
    FeeRow,
    FlowRow,
    HouseholdRow,
    LifeEventRow,
    ReferralRow,
)


def household(
    s: Session,
    name: str = "Smith household",
    status: str = "client",
    since: date | None = date(2015, 1, 1),
    until: date | None = None,
    reason: str | None = None,
) -> int:
    row = HouseholdRow(
        name=name, status=status, client_since=since, client_until=until, leaving_reason=reason
    )
    s.add(row)
    s.flush()
    sync_periods(s, [row.id])  # its one client period, as the app's own writes record it
    return row.id


def long_former_client(s: Session, email: str | None = None) -> tuple[int, int]:
    """The leaving-and-returning tests' household: "Long household", a client from 1 Jan 2015 who left on
    31 Mar 2024 over fees, with its primary contact Lou Long. Returns (household id, contact id)."""
    long = household(
        s,
        "Long household",
        status="former_client",
        since=date(2015, 1, 1),
        until=date(2024, 3, 31),
        reason="fees",
    )
    return long, contact(s, long, "Lou", "Long", email=email)


def contact(
    s: Session,
    household_id: int | None,
    first: str = "Ann",
    last: str = "Smith",
    role: str = "primary",
    email: str | None = None,
    birth: date | None = None,
    net_worth: str | int | None = None,
    income: str | int | None = None,
    **extra: object,
) -> int:
    row = ContactRow(
        household_id=household_id,
        first_name=first,
        last_name=last,
        role=role,
        email=email,
        birth_date=birth,
        net_worth_cents=None if net_worth is None else to_cents(Decimal(str(net_worth))),
        income_cents=None if income is None else to_cents(Decimal(str(income))),
        **extra,
    )
    s.add(row)
    s.flush()
    return row.id


def account(
    s: Session, household_id: int, type: str = "ira", managed: bool = True, custodian: str = "Schwab"
) -> int:
    row = AccountRow(household_id=household_id, custodian=custodian, type=type, managed=managed)
    s.add(row)
    s.flush()
    return row.id


def balance(s: Session, account_id: int, day: date, amount: str | int) -> None:
    s.add(BalanceRow(account_id=account_id, date=day, balance_cents=to_cents(Decimal(str(amount)))))


def flow(s: Session, account_id: int, day: date, amount: str | int, kind: str | None = None) -> None:
    s.add(FlowRow(account_id=account_id, date=day, amount_cents=to_cents(Decimal(str(amount))), kind=kind))


def fee(s: Session, household_id: int, day: date, amount: str | int, recurring: bool = True) -> None:
    s.add(
        FeeRow(
            household_id=household_id,
            date=day,
            amount_cents=to_cents(Decimal(str(amount))),
            recurring=recurring,
        )
    )


def activity(
    s: Session,
    household_id: int,
    kind: str = "call",
    start: datetime | None = None,
    completed: datetime | None = None,
    subject: str = "Check-in",
    **extra: object,
) -> int:
    row = ActivityRow(
        household_id=household_id,
        kind=kind,
        subject=subject,
        start=start or datetime(2026, 1, 5, 15, tzinfo=UTC),
        completed_at=completed,
        **extra,
    )
    s.add(row)
    s.flush()
    return row.id


def life_event(s: Session, household_id: int, kind: str, day: date, contact_id: int | None = None) -> int:
    row = LifeEventRow(household_id=household_id, kind=kind, date=day, contact_id=contact_id)
    s.add(row)
    s.flush()
    return row.id


def referral(s: Session, referrer_contact_id: int, referred_household_id: int, day: date) -> None:
    s.add(
        ReferralRow(
            referrer_contact_id=referrer_contact_id, referred_household_id=referred_household_id, date=day
        )
    )
