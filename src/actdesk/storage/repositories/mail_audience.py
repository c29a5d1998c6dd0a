"""Who can receive mail: contacts with their household, tags and next scheduled review, read in a few queries.

Used by campaigns (audience filters), automations and the template preview. Read-only.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session, selectinload

from actdesk.domain.analytics.periods import ClientPeriod
from actdesk.domain.models import Contact, Household
from actdesk.domain.schedule.config import DEFAULT_CONTACT_KINDS
from actdesk.storage.repositories.client_periods import client_periods
from actdesk.storage.repositories.mapping import contact_from_row, household_from_row
from actdesk.storage.tables.book import ActivityRow, ContactRow, HouseholdRow, HouseholdTagRow


@dataclass(frozen=True)
class Recipient:
    contact: Contact
    household: Household | None
    next_review: datetime | None
    last_contact: datetime | None = None  # the household's last completed call, meeting, review or e-mail
    # Every client period of a household that left and came back; empty for the others (their one period is
    # the household's own client_since / client_until).
    periods: tuple[ClientPeriod, ...] = ()


@dataclass(frozen=True)
class ScheduledActivity:
    id: int
    household_id: int
    kind: str
    subject: str
    start: datetime
    location: str | None


def load_recipients(
    s: Session,
    now: datetime,
    *,
    contact_ids: Sequence[int] | None = None,
    household_ids: Sequence[int] | None = None,
) -> list[Recipient]:
    q = select(ContactRow).order_by(ContactRow.household_id, ContactRow.id)
    if contact_ids is not None:
        q = q.where(ContactRow.id.in_(list(contact_ids)))
    if household_ids is not None:
        q = q.where(ContactRow.household_id.in_(list(household_ids)))
    contacts = [contact_from_row(r) for r in s.scalars(q)]
    hh_ids = sorted({c.household_id for c in contacts if c.household_id is not None})
    households: dict[int, Household] = {}
    for start in range(0, len(hh_ids), 900):
        chunk = hh_ids[start : start + 900]
        rows = s.scalars(
            select(HouseholdRow).where(HouseholdRow.id.in_(chunk)).options(selectinload(HouseholdRow.tags))
        )
        households.update({r.id: household_from_row(r) for r in rows})
    reviews = next_reviews(s, now, hh_ids)
    contacted = last_contacts(s, now)
    periods: dict[int, tuple[ClientPeriod, ...]] = {}
    for p in client_periods(s, returning_only=True):  # the few households that came back
        periods[p.household_id] = (*periods.get(p.household_id, ()), p)
    return [
        Recipient(
            c,
            households.get(c.household_id) if c.household_id else None,
            reviews.get(c.household_id or -1),
            contacted.get(c.household_id or -1),
            periods.get(c.household_id or -1, ()),
        )
        for c in contacts
    ]


CONTACT_KINDS = DEFAULT_CONTACT_KINDS  # the card's and the alert rules' own, events included


def last_contacts(s: Session, now: datetime) -> dict[int, datetime]:
    """Each household's last completed contact (call, meeting, review, e-mail, event) up to ``now``."""
    q = (
        select(ActivityRow.household_id, func.max(ActivityRow.completed_at))
        .where(
            ActivityRow.kind.in_(CONTACT_KINDS),
            ActivityRow.completed_at.is_not(None),
            ActivityRow.completed_at <= now,
        )
        .group_by(ActivityRow.household_id)
    )
    return {int(hh): when for hh, when in s.execute(q) if when is not None}


def next_reviews(
    s: Session, now: datetime, household_ids: Sequence[int] | None = None
) -> dict[int, datetime]:
    q = (
        select(ActivityRow.household_id, func.min(ActivityRow.start))
        .where(ActivityRow.kind == "review", ActivityRow.start >= now, ActivityRow.completed_at.is_(None))
        .group_by(ActivityRow.household_id)
    )
    out: dict[int, datetime] = {}
    for hh, start in s.execute(q):
        if household_ids is None or hh in household_ids:
            out[hh] = start
    return out


def upcoming_activities(
    s: Session, kind: str, start_from: datetime, start_to: datetime
) -> list[ScheduledActivity]:
    """Open activities of one kind starting in a window (reviews for reminders, events for invitations)."""
    q = (
        select(ActivityRow)
        .where(ActivityRow.kind == kind, ActivityRow.start >= start_from, ActivityRow.start <= start_to)
        .where(ActivityRow.completed_at.is_(None))
        .order_by(ActivityRow.start, ActivityRow.id)
    )
    return [
        ScheduledActivity(r.id, r.household_id, r.kind, r.subject, r.start, r.location)
        for r in s.scalars(q)
        if r.start
    ]


def get_activity(s: Session, activity_id: int) -> ScheduledActivity | None:
    r = s.get(ActivityRow, activity_id)
    if r is None or r.start is None:
        return None
    return ScheduledActivity(r.id, r.household_id, r.kind, r.subject, r.start, r.location)


@dataclass(frozen=True)
class AudienceChoices:
    """What the audience controls offer: the book's tags, cities and regions, most used first."""

    tags: tuple[str, ...]
    cities: tuple[str, ...]
    regions: tuple[str, ...]


def audience_choices(s: Session, limit: int = 200) -> AudienceChoices:
    def column(col: object) -> tuple[str, ...]:
        q = (
            select(col)  # type: ignore[call-overload]
            .where(col.is_not(None), col != "")  # type: ignore[attr-defined]
            .group_by(col)
            .order_by(func.count().desc(), col)
            .limit(limit)
        )
        return tuple(str(v) for v in s.scalars(q))

    return AudienceChoices(column(HouseholdTagRow.tag), column(ContactRow.city), column(ContactRow.region))
