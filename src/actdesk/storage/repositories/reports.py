"""The reports' reads the analytics engine does not already provide (accounts by custodian, opportunities,
life events, owners). Plain rows out, one read-only unit of work per call; money stays integer cents."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import ColumnElement, and_, func, or_, select
from sqlalchemy.orm import Session

from actdesk.storage.tables.book import (
    AccountRow,
    ActivityRow,
    BalanceRow,
    FeeRow,
    HouseholdRow,
    LifeEventRow,
    OpportunityRow,
)


def client_on(day: date) -> ColumnElement[bool]:
    """The analytics engine's definition of a client on ``day``, as SQL."""
    return and_(
        HouseholdRow.client_since.is_not(None),
        HouseholdRow.client_since <= day,
        or_(HouseholdRow.client_until.is_(None), HouseholdRow.client_until > day),
    )


@dataclass(frozen=True)
class AccountBalance:
    household_id: int
    household: str
    custodian: str
    type: str
    managed: bool
    cents: int


def account_balances(s: Session, as_of: date) -> list[AccountBalance]:
    """Every account of a client household with its latest balance on or before ``as_of`` (0 if none)."""
    latest = (
        select(BalanceRow.balance_cents)
        .where(BalanceRow.account_id == AccountRow.id, BalanceRow.date <= as_of)
        .order_by(BalanceRow.date.desc())
        .limit(1)
        .scalar_subquery()
    )
    rows = s.execute(
        select(
            AccountRow.household_id,
            HouseholdRow.name,
            AccountRow.custodian,
            AccountRow.type,
            AccountRow.managed,
            latest,
        )
        .join(HouseholdRow, HouseholdRow.id == AccountRow.household_id)
        .where(client_on(as_of))
    )
    return [
        AccountBalance(int(h), str(n), (c or "").strip(), t or "other", bool(m), int(b or 0))
        for h, n, c, t, m, b in rows
    ]


@dataclass(frozen=True)
class Opportunity:
    id: int
    household: str
    kind: str
    stage: str
    expected_aum_cents: int | None
    expected_revenue_cents: int | None
    probability: float | None
    expected_close: date | None
    source: str | None
    owner: str | None
    created_at: datetime
    stage_changed_at: datetime


def opportunities(s: Session, as_of_end: datetime) -> list[Opportunity]:
    """Opportunities created on or before the end of the as-of day."""
    rows = s.execute(
        select(
            OpportunityRow.id,
            HouseholdRow.name,
            OpportunityRow.kind,
            OpportunityRow.stage,
            OpportunityRow.expected_aum_cents,
            OpportunityRow.expected_revenue_cents,
            OpportunityRow.probability,
            OpportunityRow.expected_close,
            OpportunityRow.source,
            OpportunityRow.owner,
            OpportunityRow.created_at,
            OpportunityRow.stage_changed_at,
        )
        .join(HouseholdRow, HouseholdRow.id == OpportunityRow.household_id)
        .where(OpportunityRow.created_at <= as_of_end)
        .order_by(OpportunityRow.id)
    )
    return [Opportunity(*r) for r in rows]


@dataclass(frozen=True)
class LifeEvent:
    household: str
    kind: str
    day: date
    notes: str | None


def life_events(s: Session, start: date, end: date) -> list[LifeEvent]:
    """Life events dated in (start, end], newest first."""
    rows = s.execute(
        select(HouseholdRow.name, LifeEventRow.kind, LifeEventRow.date, LifeEventRow.notes)
        .join(HouseholdRow, HouseholdRow.id == LifeEventRow.household_id)
        .where(LifeEventRow.date > start, LifeEventRow.date <= end)
        .order_by(LifeEventRow.date.desc(), HouseholdRow.name)
    )
    return [LifeEvent(str(n), str(k), d, notes) for n, k, d, notes in rows]


def completed_activities_by_owner(
    s: Session, start: datetime, end: datetime
) -> dict[str | None, dict[str, int]]:
    """Completed activities in (start, end] per owner and kind."""
    out: dict[str | None, dict[str, int]] = {}
    for owner, kind, n in s.execute(
        select(ActivityRow.owner, ActivityRow.kind, func.count())
        .where(ActivityRow.completed_at > start, ActivityRow.completed_at <= end)
        .group_by(ActivityRow.owner, ActivityRow.kind)
    ):
        out.setdefault(owner, {})[str(kind)] = int(n)
    return out


def new_clients_by_owner(s: Session, start: date, end: date) -> dict[str | None, int]:
    """Households that became clients in (start, end], per owner."""
    return {
        owner: int(n)
        for owner, n in s.execute(
            select(HouseholdRow.owner, func.count())
            .where(HouseholdRow.client_since > start, HouseholdRow.client_since <= end)
            .group_by(HouseholdRow.owner)
        )
    }


def fees_by_owner(s: Session, start: date, end: date) -> dict[str | None, tuple[int, int]]:
    """Recurring and one-off fees (cents) dated in (start, end], per owner of the paying household."""
    out: dict[str | None, tuple[int, int]] = {}
    for owner, recurring, cents in s.execute(
        select(HouseholdRow.owner, FeeRow.recurring, func.sum(FeeRow.amount_cents))
        .join(HouseholdRow, HouseholdRow.id == FeeRow.household_id)
        .where(FeeRow.date > start, FeeRow.date <= end)
        .group_by(HouseholdRow.owner, FeeRow.recurring)
    ):
        r, o = out.get(owner, (0, 0))
        out[owner] = (r + int(cents or 0), o) if recurring else (r, o + int(cents or 0))
    return out
