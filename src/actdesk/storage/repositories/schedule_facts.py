"""Facts the service-level report needs, gathered per household with grouped queries."""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import replace
from datetime import date, datetime, timedelta, tzinfo

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from actdesk.domain.enums import HouseholdStatus
from actdesk.domain.schedule import recurrence
from actdesk.domain.schedule.service import HouseholdFacts
from actdesk.storage.repositories.activities import overrides_for
from actdesk.storage.tables.book import ActivityRow, HouseholdRow
from actdesk.storage.tables.schedule import ActivityExceptionRow

A = ActivityRow.__table__.c
X = ActivityExceptionRow.__table__.c


def _max(into: dict[int, datetime], hid: int, when: datetime | None) -> None:
    if when is not None and (hid not in into or when > into[hid]):
        into[hid] = when


def _min(into: dict[int, datetime], hid: int, when: datetime | None) -> None:
    if when is not None and (hid not in into or when < into[hid]):
        into[hid] = when


def contact_facts(
    s: Session, now: datetime, tz: tzinfo, kinds: Collection[str], horizon_days: int = 400
) -> list[HouseholdFacts]:
    """Client households with their last completed contact and next scheduled contact (segment left empty).

    A completed one-off activity or series occurrence of a contact kind counts as contact; the next scheduled
    contact is the earliest open one-off or series occurrence from ``now`` within ``horizon_days``.
    """
    kinds = list(kinds)
    last: dict[int, datetime] = {}
    nxt: dict[int, datetime] = {}
    q = (
        select(A.household_id, func.max(A.completed_at))
        .where(A.kind.in_(kinds), A.completed_at.is_not(None), A.completed_at <= now)
        .group_by(A.household_id)
    )
    for hid, when in s.execute(q):
        _max(last, hid, when)
    q = (
        select(A.household_id, func.max(X.completed_at))
        .join(ActivityExceptionRow, X.activity_id == A.id)
        .where(A.kind.in_(kinds), X.completed_at.is_not(None), X.completed_at <= now)
        .group_by(A.household_id)
    )
    for hid, when in s.execute(q):
        _max(last, hid, when)
    q = (
        select(A.household_id, func.min(A.start))
        .where(A.kind.in_(kinds), A.completed_at.is_(None), A.series_end.is_(None), A.start >= now)
        .group_by(A.household_id)
    )
    for hid, when in s.execute(q):
        _min(nxt, hid, when)
    horizon = now + timedelta(days=horizon_days)
    series = s.execute(
        select(A.id, A.household_id, A.start, A.rrule).where(
            A.kind.in_(kinds), A.series_end >= now, A.start < horizon
        )
    ).all()
    overrides = overrides_for(s, [row.id for row in series])
    for row in series:
        skipped = {
            o.original_start for o in overrides.get(row.id, ()) if o.action == "skip" or o.completed_at
        }
        moved = {o.original_start: o.new_start for o in overrides.get(row.id, ()) if o.new_start}
        for start in recurrence.starts_between(row.rrule, row.start, now, horizon, tz):
            if start not in skipped:
                _min(nxt, row.household_id, moved.get(start, start))
                break
    households = s.execute(
        select(HouseholdRow.id, HouseholdRow.name, HouseholdRow.client_since)
        .where(HouseholdRow.status == HouseholdStatus.CLIENT.value)
        .order_by(HouseholdRow.name)
    ).all()

    def day(when: datetime | None) -> date | None:
        return None if when is None else when.astimezone(tz).date()

    return [
        HouseholdFacts(hid, name, None, since, day(last.get(hid)), day(nxt.get(hid)))
        for hid, name, since in households
    ]


def with_segments(facts: list[HouseholdFacts], segments: dict[int, str]) -> list[HouseholdFacts]:
    return [replace(f, segment=segments.get(f.household_id)) for f in facts]
