"""The client dashboard's and the coaching panel's reads: one household's balances, fees, contacts and
flows; the book's completed activities and new clients since a date. Plain rows out, money in cents."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from actdesk.domain.models import Activity
from actdesk.storage.tables.book import AccountRow, ActivityRow, BalanceRow, FeeRow, FlowRow, HouseholdRow


def balance_history(s: Session, household_id: int, as_of: date) -> list[tuple[int, date, int]]:
    """(account id, date, cents) of every balance of the household's accounts up to ``as_of``, by date."""
    rows = s.execute(
        select(BalanceRow.account_id, BalanceRow.date, BalanceRow.balance_cents)
        .join(AccountRow, AccountRow.id == BalanceRow.account_id)
        .where(AccountRow.household_id == household_id, BalanceRow.date <= as_of)
        .order_by(BalanceRow.date)
    )
    return [(r[0], r[1], r[2]) for r in rows]


def household_fees(s: Session, household_id: int, after: date, as_of: date) -> list[tuple[date, int, bool]]:
    """(date, cents, recurring) of the household's fees dated after ``after`` up to ``as_of``."""
    rows = s.execute(
        select(FeeRow.date, FeeRow.amount_cents, FeeRow.recurring).where(
            FeeRow.household_id == household_id, FeeRow.date > after, FeeRow.date <= as_of
        )
    )
    return [(r[0], r[1], r[2]) for r in rows]


def completed_contacts(s: Session, household_id: int, kinds: Iterable[str], limit: int) -> list[Activity]:
    """The household's ``limit`` most recently completed activities of ``kinds``, the latest first."""
    rows = s.execute(
        select(
            ActivityRow.id,
            ActivityRow.kind,
            ActivityRow.subject,
            ActivityRow.start,
            ActivityRow.outcome,
            ActivityRow.completed_at,
        )
        .where(
            ActivityRow.household_id == household_id,
            ActivityRow.completed_at.is_not(None),
            ActivityRow.kind.in_(list(kinds)),
        )
        .order_by(ActivityRow.completed_at.desc())
        .limit(limit)
    )
    return [
        Activity(
            household_id=household_id,
            kind=r.kind,
            subject=r.subject,
            start=r.start,
            outcome=r.outcome,
            completed_at=r.completed_at,
            id=r.id,
        )
        for r in rows
    ]


def managed_flows(s: Session, household_id: int, after: date, as_of: date) -> list[int]:
    """Cents of every flow of the household's managed accounts dated after ``after`` up to ``as_of``."""
    return list(
        s.execute(
            select(FlowRow.amount_cents)
            .join(AccountRow, AccountRow.id == FlowRow.account_id)
            .where(
                AccountRow.household_id == household_id,
                AccountRow.managed.is_(True),
                FlowRow.date > after,
                FlowRow.date <= as_of,
            )
        ).scalars()
    )


def completed_since(s: Session, since: datetime) -> list[tuple[str, datetime, str | None, str | None]]:
    """(kind, completed at, subject, outcome) of every activity completed at or after ``since``."""
    rows = s.execute(
        select(ActivityRow.kind, ActivityRow.completed_at, ActivityRow.subject, ActivityRow.outcome).where(
            ActivityRow.completed_at.is_not(None), ActivityRow.completed_at >= since
        )
    )
    return [(r[0], r[1], r[2], r[3]) for r in rows]


def clients_since(s: Session, day: date) -> list[date]:
    """The ``client_since`` date of every household that became a client on or after ``day``."""
    rows = s.execute(
        select(HouseholdRow.client_since).where(
            HouseholdRow.client_since.is_not(None), HouseholdRow.client_since >= day
        )
    ).scalars()
    return [d for d in rows if d is not None]
