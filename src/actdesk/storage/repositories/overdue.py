"""The overdue list's one-step clean-up: very old open one-off items closed, or moved to a later day.

Recurring series are left alone (their missed occurrences are skipped one by one in the calendar). Each
function works in the caller's unit of work and returns how many items it changed.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time, tzinfo

from sqlalchemy import and_, or_, select, update
from sqlalchemy.orm import Session

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
