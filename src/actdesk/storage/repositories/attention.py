"""What the contact card's attention strip shows first, read in one unit of work for one household.

Open alerts, the next review or appointment, the last contact, the A/B/C segment, tags, who referred the
household and whom it referred, trailing-12-month fees and the effective fee rate, the last retention
probability, the open opportunity (prospects), the activities split into upcoming and history, and every
client period (a household that left and came back has two).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta, tzinfo
from decimal import Decimal

from sqlalchemy import exists, func, select
from sqlalchemy.orm import Session

from actdesk.domain.alerts.model import Alert
from actdesk.domain.analytics.config import AnalyticsConfig
from actdesk.domain.analytics.dates import shift_months
from actdesk.domain.analytics.periods import ClientPeriod
from actdesk.domain.analytics.segment_sizes import segment_sizes
from actdesk.domain.enums import HouseholdStatus, RelationshipKind
from actdesk.domain.models import Activity
from actdesk.domain.money import from_cents
from actdesk.domain.schedule.config import DEFAULT_CONTACT_KINDS
from actdesk.domain.schedule.occurrences import Occurrence
from actdesk.i18n import _
from actdesk.storage.repositories import activities as activities_repo
from actdesk.storage.repositories.alerts import open_alerts_of
from actdesk.storage.repositories.client_periods import client_periods
from actdesk.storage.repositories.households import managed_aum_of
from actdesk.storage.repositories.mapping import activity_from_row
from actdesk.storage.tables.alerts import RetentionSnapshotRow
from actdesk.storage.tables.book import (
    ActivityRow,
    ContactRow,
    FeeRow,
    HouseholdRow,
    HouseholdTagRow,
    OpportunityRow,
    ReferralRow,
    RelationshipRow,
)

CONTACT_KINDS = DEFAULT_CONTACT_KINDS  # what the alert rules and the service level count, events included
APPOINTMENT_KINDS = ("review", "meeting", "call")
CLOSED_STAGES = ("won", "lost")
UPCOMING_DAYS = 400
HISTORY_LIMIT = 8
UPCOMING_LIMIT = 5


@dataclass(frozen=True)
class Opportunity:
    stage: str
    kind: str
    expected_aum: Decimal | None
    expected_revenue: Decimal | None
    probability: float | None
    expected_close: date | None
    source: str | None


@dataclass(frozen=True)
class Attention:
    household_id: int
    alerts: list[Alert]
    next_appointment: Occurrence | None
    last_contact: date | None
    segment: str | None  # A/B/C for a current client, by T12M fee revenue
    tags: list[str]
    referred_by: str | None  # "Ann Smith (Smith household)"
    referred: list[str]  # the households this one's members referred
    fees_t12m: Decimal
    managed: Decimal
    retention: float | None  # the probability at the last alert evaluation
    opportunity: Opportunity | None
    upcoming: list[Occurrence] = field(default_factory=list)
    history: list[Activity] = field(default_factory=list)
    periods: list[ClientPeriod] = field(default_factory=list)  # every client period, oldest first

    @property
    def fee_rate(self) -> float | None:
        """Trailing-12-month fees over managed assets (the effective fee rate)."""
        if self.managed <= 0 or self.fees_t12m <= 0:
            return None
        return float(self.fees_t12m / self.managed)


def attention(
    s: Session,
    household_id: int,
    now: datetime,
    tz: tzinfo = UTC,
    *,
    segment_shares: tuple[float, float] = (0.2, 0.3),
) -> Attention:
    today = now.astimezone(tz).date()
    status = s.scalar(select(HouseholdRow.status).where(HouseholdRow.id == household_id))
    fees, managed, segment = _fees_and_segment(s, household_id, today, status, segment_shares)
    upcoming = _upcoming(s, household_id, now, tz)
    return Attention(
        household_id=household_id,
        alerts=open_alerts_of(s, household_id),
        next_appointment=next((o for o in upcoming if o.kind in APPOINTMENT_KINDS), None),
        last_contact=_last_contact(s, household_id, tz),
        segment=segment,
        tags=sorted(
            s.scalars(select(HouseholdTagRow.tag).where(HouseholdTagRow.household_id == household_id))
        ),
        referred_by=_referred_by(s, household_id),
        referred=_referred(s, household_id),
        fees_t12m=fees,
        managed=managed,
        retention=s.scalar(
            select(RetentionSnapshotRow.probability).where(RetentionSnapshotRow.household_id == household_id)
        ),
        opportunity=_opportunity(s, household_id),
        upcoming=upcoming[:UPCOMING_LIMIT],
        history=_history(s, household_id, now),
        periods=client_periods(s, [household_id]),
    )


def _upcoming(s: Session, household_id: int, now: datetime, tz: tzinfo) -> list[Occurrence]:
    start = datetime.combine(now.astimezone(tz).date(), time.min, tzinfo=tz).astimezone(UTC)
    found = activities_repo.occurrences(s, start, start + timedelta(days=UPCOMING_DAYS), tz, household_id)
    return [o for o in found if not o.done and (o.start is None or o.start >= now)]


def _history(s: Session, household_id: int, now: datetime) -> list[Activity]:
    """Past activities (started before now, or done), newest first; series show as their first entry."""
    rows = s.scalars(
        select(ActivityRow)
        .where(
            ActivityRow.household_id == household_id,
            ActivityRow.start < now,
            ActivityRow.rrule.is_(None),
        )
        .order_by(ActivityRow.start.desc(), ActivityRow.id.desc())
        .limit(HISTORY_LIMIT)
    )
    return [activity_from_row(r) for r in rows]


def _last_contact(s: Session, household_id: int, tz: tzinfo) -> date | None:
    last = s.scalar(
        select(func.max(ActivityRow.completed_at)).where(
            ActivityRow.household_id == household_id,
            ActivityRow.completed_at.is_not(None),
            ActivityRow.kind.in_(CONTACT_KINDS),
        )
    )
    if last is None:
        return None
    if last.tzinfo is None:
        last = last.replace(tzinfo=UTC)
    return last.astimezone(tz).date()


def _fees_and_segment(
    s: Session, household_id: int, today: date, status: str | None, shares: tuple[float, float]
) -> tuple[Decimal, Decimal, str | None]:
    """This household's T12M fees and managed assets, and its segment among the current clients: ranked by
    T12M fees, then managed assets, then id, as the analytics' ``assign_segments``. Only the fee totals are
    read for the whole book; managed assets only for the households tied with this one across a boundary."""
    start = shift_months(today, -12)
    managed = managed_aum_of(s, [household_id]).get(household_id, Decimal(0))
    own_cents = int(
        s.scalar(
            select(func.coalesce(func.sum(FeeRow.amount_cents), 0)).where(
                FeeRow.household_id == household_id, FeeRow.date > start, FeeRow.date <= today
            )
        )
        or 0
    )
    fees = from_cents(own_cents) or Decimal(0)
    if status != HouseholdStatus.CLIENT.value:
        return fees, managed, None
    totals = (
        select(FeeRow.household_id, func.sum(FeeRow.amount_cents).label("cents"))
        .where(FeeRow.date > start, FeeRow.date <= today)
        .group_by(FeeRow.household_id)
        .subquery()
    )
    clients = s.execute(
        select(HouseholdRow.id, func.coalesce(totals.c.cents, 0))
        .outerjoin(totals, totals.c.household_id == HouseholdRow.id)
        .where(
            HouseholdRow.status == HouseholdStatus.CLIENT.value,
            HouseholdRow.client_since.is_not(None),
            HouseholdRow.client_since <= today,
        )
    ).all()
    if not any(int(h) == household_id for h, _c in clients):
        return fees, managed, None

    a, b = segment_sizes(len(clients), AnalyticsConfig(segment_a_share=shares[0], segment_b_share=shares[1]))
    above = sum(1 for _h, c in clients if int(c) > own_cents)
    tied = [int(h) for h, c in clients if int(c) == own_cents]
    first, last = above, above + len(tied) - 1

    def segment(position: int) -> str:
        return "A" if position < a else "B" if position < a + b else "C"

    if segment(first) == segment(last):
        return fees, managed, segment(first)
    values = managed_aum_of(s, tied)  # the tie straddles a boundary: managed assets, then id, decide
    own = (-values.get(household_id, Decimal(0)), household_id)
    position = above + sum(1 for h in tied if (-values.get(h, Decimal(0)), h) < own)
    return fees, managed, segment(position)


def _referred_by(s: Session, household_id: int) -> str | None:
    """Who referred the household; a center of influence (a contact without a household, or one named so
    by a relationship, as the referral sources count it) is labelled as one."""
    named = exists().where(
        RelationshipRow.to_contact_id == ContactRow.id,
        RelationshipRow.kind == RelationshipKind.CENTER_OF_INFLUENCE.value,
    )
    row = s.execute(
        select(
            ContactRow.first_name,
            ContactRow.last_name,
            HouseholdRow.name,
            ContactRow.household_id.is_(None) | named,
        )
        .select_from(ReferralRow)
        .join(ContactRow, ContactRow.id == ReferralRow.referrer_contact_id)
        .outerjoin(HouseholdRow, HouseholdRow.id == ContactRow.household_id)
        .where(ReferralRow.referred_household_id == household_id)
        .order_by(ReferralRow.date.desc())
        .limit(1)
    ).first()
    if row is None:
        return None
    person = f"{row[0] or ''} {row[1] or ''}".strip()
    who = f"{person} ({row[2]})" if row[2] else person
    return _("{who}, a center of influence").format(who=who) if row[3] else who


def _referred(s: Session, household_id: int) -> list[str]:
    rows = s.execute(
        select(HouseholdRow.name)
        .select_from(ReferralRow)
        .join(ContactRow, ContactRow.id == ReferralRow.referrer_contact_id)
        .join(HouseholdRow, HouseholdRow.id == ReferralRow.referred_household_id)
        .where(ContactRow.household_id == household_id)
        .order_by(ReferralRow.date.desc())
    )
    return list(dict.fromkeys(str(r[0]) for r in rows))


def _opportunity(s: Session, household_id: int) -> Opportunity | None:
    row = s.scalars(
        select(OpportunityRow)
        .where(OpportunityRow.household_id == household_id, OpportunityRow.stage.not_in(CLOSED_STAGES))
        .order_by(OpportunityRow.stage_changed_at.desc(), OpportunityRow.id.desc())
        .limit(1)
    ).first()
    if row is None:
        return None
    return Opportunity(
        stage=row.stage,
        kind=row.kind,
        expected_aum=from_cents(row.expected_aum_cents) if row.expected_aum_cents is not None else None,
        expected_revenue=(
            from_cents(row.expected_revenue_cents) if row.expected_revenue_cents is not None else None
        ),
        probability=row.probability,
        expected_close=row.expected_close,
        source=row.source,
    )
