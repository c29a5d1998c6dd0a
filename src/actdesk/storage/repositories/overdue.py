"""Overdue items: the list (one-offs and recent series occurrences, counted in SQL) and its one-step clean-up
(very old open one-off items closed, or moved to a later day).

The clean-up leaves recurring series alone (their missed occurrences are skipped one by one in the calendar).
Each function works in the caller's unit of work; the clean-up returns how many items it changed.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta, tzinfo
from typing import Any

from sqlalchemy import and_, func, or_, select, true, update
from sqlalchemy.orm import Session

from actdesk.domain.schedule.occurrences import Occurrence, expand_all, one_off
from actdesk.storage.repositories.activities import _COLUMNS, _activity, _window_activities, overrides_for
from actdesk.storage.repositories.team import owned_household_ids, owned_households
from actdesk.storage.tables.book import ActivityRow

A = ActivityRow.__table__.c
CLOSED_OUTCOME = "Closed in the overdue clean-up"


def _old_open(cutoff: date, tz: tzinfo) -> object:
    start_cutoff = datetime.combine(cutoff, time.min, tzinfo=tz).astimezone(UTC)
    return and_(
        A.completed_at.is_(None),
        A.rrule.is_(None),
        or_(A.start < start_cutoff, and_(A.start.is_(None), A.due_date < cutoff)),
    )


def old_open_ids(s: Session, cutoff: date, tz: tzinfo) -> list[int]:
    """Open one-off items timed (or due) before ``cutoff``."""
    return [int(i) for i in s.scalars(select(A.id).where(_old_open(cutoff, tz)))]  # type: ignore[arg-type]


def close_overdue(s: Session, now: datetime, tz: tzinfo, cutoff: date) -> int:
    """Mark them done now, with an outcome that says why (they stay in each household's history)."""
    ids = old_open_ids(s, cutoff, tz)
    if ids:
        s.execute(
            update(ActivityRow)
            .where(A.id.in_(ids))
            .values(completed_at=now, outcome=CLOSED_OUTCOME, version=ActivityRow.version + 1)
            .execution_options(synchronize_session=False)
        )
    return len(ids)


def reschedule_overdue(s: Session, now: datetime, tz: tzinfo, cutoff: date, day: date) -> int:
    """Move them to ``day``, each at its own time of day (undated ones become due that day)."""
    ids = old_open_ids(s, cutoff, tz)
    rows = s.execute(select(A.id, A.start).where(A.id.in_(ids))).all() if ids else []
    for activity_id, start in rows:
        if start is None:
            values: dict[str, object] = {"due_date": day}
        else:
            local = (start if start.tzinfo else start.replace(tzinfo=UTC)).astimezone(tz)
            values = {"start": datetime.combine(day, local.time(), tzinfo=tz).astimezone(UTC)}
        s.execute(
            update(ActivityRow)
            .where(A.id == activity_id)
            .values(**values, version=ActivityRow.version + 1)
            .execution_options(synchronize_session=False)
        )
    return len(rows)


def overdue(s: Session, now: datetime, tz: tzinfo = UTC, lookback_days: int = 365) -> list[Occurrence]:
    """Open items whose time or due date has passed, oldest first: one-offs of any age, series occurrences
    within the lookback (a weekly call never ticked off should not bury the list under years of entries)."""
    today = now.astimezone(tz).date()
    found: list[Occurrence] = []
    q = select(*_COLUMNS).where(A.completed_at.is_(None), A.series_end.is_(None), A.start < now)
    found.extend(
        expand_all((_activity(m) for m in s.execute(q)), {}, datetime.min.replace(tzinfo=UTC), now, tz)
    )
    q = select(*_COLUMNS).where(A.completed_at.is_(None), A.start.is_(None), A.due_date < today)
    found.extend(one_off(_activity(m)) for m in s.execute(q))
    found.extend(_open_series_occurrences(s, now - timedelta(days=lookback_days), now, tz))
    found.sort(key=lambda o: o.start or datetime.combine(o.due_date or today, time.min, tzinfo=tz))
    return found


def _open_series_occurrences(s: Session, start: datetime, end: datetime, tz: tzinfo) -> list[Occurrence]:
    series = _window_activities(s, start, end, None, tz, one_offs=False)
    overrides = overrides_for(s, [a.id for a in series if a.id is not None])
    return [o for o in expand_all(series, overrides, start, end, tz) if o.recurring and not o.done]


def overdue_page(
    s: Session,
    now: datetime,
    tz: tzinfo,
    lookback_days: int,
    limit: int,
    *,
    before: datetime | None = None,
    owners: frozenset[str] | None = None,
) -> tuple[list[Occurrence], int]:
    """The most recent ``limit`` overdue items (oldest first) and how many there are in all, in one pass:
    counted in SQL, so a book with tens of thousands of overdue items expands only the ones shown.
    ``before``: only items timed before it (undated ones count on their due date as before); ``owners``
    (team books): only those owners' households."""
    today = now.astimezone(tz).date()
    cutoff = now if before is None else min(now, before)
    mine: Any = true()
    if owners is not None:
        mine = A.household_id.in_(owned_households(owners))
    open_items = and_(A.completed_at.is_(None), A.series_end.is_(None), A.start < cutoff, mine)
    undated = and_(A.completed_at.is_(None), A.start.is_(None), A.due_date < today, mine)
    total = 0
    for condition in (open_items, undated):
        total += s.execute(select(func.count()).select_from(ActivityRow).where(condition)).scalar_one()
    found: list[Occurrence] = []
    q = select(*_COLUMNS).where(open_items).order_by(A.start.desc()).limit(limit)
    found.extend(
        expand_all((_activity(m) for m in s.execute(q)), {}, datetime.min.replace(tzinfo=UTC), cutoff, tz)
    )
    q = select(*_COLUMNS).where(undated).order_by(A.due_date.desc()).limit(limit)
    found.extend(one_off(_activity(m)) for m in s.execute(q))
    series = _open_series_occurrences(s, now - timedelta(days=lookback_days), now, tz)
    series = [o for o in series if o.start is None or o.start < cutoff]
    if owners is not None:
        owned = owned_household_ids(s, owners)
        series = [o for o in series if o.household_id in owned]
    found.extend(series)
    found.sort(key=lambda o: o.start or datetime.combine(o.due_date or today, time.min, tzinfo=tz))
    return found[-limit:], total + len(series)
