"""Activities and the exceptions of their series: CRUD, window queries, done, reschedule, skip.

Window queries read only the rows they need: one-off activities by an indexed range on ``start`` (or
``due_date`` for undated tasks) and recurring series by the indexed ``series_end``; then the domain expands.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from dataclasses import replace
from datetime import UTC, date, datetime, timedelta, tzinfo
from typing import Any

from sqlalchemy import and_, delete, select
from sqlalchemy import update as sql_update
from sqlalchemy.orm import Session

from actdesk.domain.enums import ActivityKind
from actdesk.domain.models import Activity
from actdesk.domain.schedule import recurrence
from actdesk.domain.schedule.occurrences import (
    OVERRIDE,
    SKIP,
    Occurrence,
    OccurrenceOverride,
    expand,
    expand_all,
    rebase_overrides,
    series_zone,
)
from actdesk.i18n import _
from actdesk.storage.errors import ConflictError, NotFoundError, ValidationError
from actdesk.storage.repositories.client_periods import first_days_as_client
from actdesk.storage.repositories.households import household_names as household_names  # re-exported
from actdesk.storage.tables.book import ActivityRow
from actdesk.storage.tables.schedule import ActivityExceptionRow

A = ActivityRow.__table__.c
X = ActivityExceptionRow.__table__.c
_COLUMNS = (
    A.id,
    A.household_id,
    A.contact_id,
    A.kind,
    A.subject,
    A.start,
    A.duration_minutes,
    A.due_date,
    A.location,
    A.notes,
    A.outcome,
    A.completed_at,
    A.owner,
    A.rrule,
    A.uid,
    A.all_day,
    A.time_zone,
)
_FIELDS = (
    "subject",
    "kind",
    "start",
    "duration_minutes",
    "due_date",
    "location",
    "notes",
    "outcome",
    "completed_at",
    "owner",
    "rrule",
    "contact_id",
    "household_id",
    "all_day",
    "uid",
    "time_zone",
)


_KINDS: dict[str, ActivityKind] = {k.value: k for k in ActivityKind}


def new_uid() -> str:
    return f"{uuid.uuid4()}@actdesk"


def _activity(m: Any) -> Activity:
    """From a row of ``_COLUMNS``, unpacked by position (attribute access by name costs more on big windows)."""
    (
        id_,
        household_id,
        contact_id,
        kind,
        subject,
        start,
        duration,
        due,
        location,
        notes,
        outcome,
        completed,
        owner,
        rule,
        uid,
        all_day,
        time_zone,
    ) = m
    return Activity(
        household_id=household_id,
        kind=_KINDS.get(kind, kind),
        subject=subject,
        start=start,
        contact_id=contact_id,
        duration_minutes=duration,
        due_date=due,
        location=location,
        notes=notes,
        outcome=outcome,
        completed_at=completed,
        owner=owner,
        rrule=rule,
        id=id_,
        uid=uid,
        all_day=bool(all_day),
        time_zone=time_zone,
    )


def _override(m: Any) -> OccurrenceOverride:
    return OccurrenceOverride(
        original_start=m.original_start,
        action=m.action,
        new_start=m.new_start,
        duration_minutes=m.duration_minutes,
        subject=m.subject,
        location=m.location,
        notes=m.notes,
        outcome=m.outcome,
        completed_at=m.completed_at,
        id=m.id,
    )


def validate(a: Activity) -> None:
    """Refuse what the calendar could not show, before anything is written."""
    errors: list[tuple[str, str]] = []
    if not a.subject.strip():
        errors.append(("subject", "an activity needs a subject"))
    if a.start is None and a.due_date is None:
        errors.append(("start", "give a start time or a due date"))
    if a.start is not None and a.start.tzinfo is None:
        errors.append(("start", "the start time has no time zone"))
    if a.duration_minutes is not None and a.duration_minutes < 0:
        errors.append(("duration_minutes", "the duration cannot be negative"))
    if a.rrule:
        if a.start is None:
            errors.append(("rrule", "a recurring activity needs a start time"))
        elif (reason := recurrence.validate(a.rrule)) is not None:
            errors.append(("rrule", reason))
    if errors:
        raise ValidationError(errors)


def _values(a: Activity, tz: tzinfo) -> dict[str, Any]:
    values = {name: getattr(a, name) for name in _FIELDS}
    values["kind"] = str(a.kind)
    values["rrule"] = recurrence.normalise(a.rrule) if a.rrule else None
    values["series_end"] = recurrence.series_end(
        values["rrule"], a.start, a.duration_minutes, series_zone(a, tz)
    )
    return values


def add(s: Session, a: Activity, tz: tzinfo = UTC) -> int:
    validate(a)
    values = _values(a, tz)
    values["uid"] = a.uid or new_uid()
    row = ActivityRow(**values)
    s.add(row)
    s.flush()
    return row.id


def get(s: Session, activity_id: int) -> Activity:
    m = s.execute(select(*_COLUMNS).where(A.id == activity_id)).first()
    if m is None:
        raise NotFoundError(
            _("activity {activity_id} does not exist (it may have been deleted)").format(
                activity_id=activity_id
            )
        )
    return _activity(m)


def by_uid(s: Session, uid: str) -> Activity | None:
    m = s.execute(select(*_COLUMNS).where(A.uid == uid)).first()
    return None if m is None else _activity(m)


def all_activities(s: Session, household_id: int | None = None) -> list[Activity]:
    """Every activity of the book (or of one household), by id: series as series, not occurrences."""
    query = select(*_COLUMNS).order_by(A.id)
    if household_id is not None:
        query = query.where(A.household_id == household_id)
    return [_activity(m) for m in s.execute(query)]


def overrides_for(s: Session, activity_ids: Iterable[int]) -> dict[int, list[OccurrenceOverride]]:
    ids = list(activity_ids)
    result: dict[int, list[OccurrenceOverride]] = {}
    for chunk in (ids[i : i + 900] for i in range(0, len(ids), 900)):
        for m in s.execute(select(ActivityExceptionRow.__table__).where(X.activity_id.in_(chunk))):
            result.setdefault(m.activity_id, []).append(_override(m))
    return result


def version_of(s: Session, activity_id: int) -> int:
    """The activity's optimistic version: read it when an editor opens, pass it back to ``update``."""
    version = s.scalar(select(A.version).where(A.id == activity_id))
    if version is None:
        raise NotFoundError(
            _("activity {activity_id} does not exist (it may have been deleted)").format(
                activity_id=activity_id
            )
        )
    return int(version)


def update(
    s: Session, activity_id: int, tz: tzinfo = UTC, *, expected_version: int | None = None, **changes: Any
) -> list[int]:
    """Edit an activity or a whole series. Exceptions follow their occurrences (see ``rebase_overrides``);
    one that holds a moved time or an outcome but lost its occurrence becomes a one-off activity, whose
    ids are returned. With ``expected_version``, an activity changed elsewhere since then raises
    ``ConflictError`` and nothing is written."""
    unknown = set(changes) - set(_FIELDS)
    if unknown:
        raise ValueError(f"unknown activity fields: {sorted(unknown)}")
    if expected_version is not None and version_of(s, activity_id) != expected_version:
        raise ConflictError(
            _("This activity was changed by someone else since you opened it; reload it and try again.")
        )
    old = get(s, activity_id)
    new = replace(old, **changes)
    validate(new)
    detached_ids: list[int] = []
    if old.rrule and old.start is not None:
        overrides = overrides_for(s, [activity_id]).get(activity_id, [])
        if overrides and (new.rrule != old.rrule or new.start != old.start):
            if new.rrule and new.start is not None:
                rebased = rebase_overrides(
                    old.start, old.rrule, new.start, new.rrule, overrides, series_zone(new, tz)
                )
                keep, detach = rebased.kept, rebased.detached
            else:
                keep, detach = [], [o for o in overrides if o.action == OVERRIDE]
            s.execute(delete(ActivityExceptionRow).where(X.activity_id == activity_id))
            for o in keep:
                _write_override(s, activity_id, o)
            for o in detach:
                detached_ids.append(add(s, _detached(new, o), tz))
    stmt = sql_update(ActivityRow).where(A.id == activity_id)
    if expected_version is not None:  # a second writer waits for the first, then matches no row
        stmt = stmt.where(A.version == expected_version)
    if s.execute(stmt.values(**_values(new, tz), version=A.version + 1)).rowcount != 1:  # type: ignore[attr-defined]
        raise ConflictError(
            _("This activity was changed by someone else since you opened it; reload it and try again.")
        )
    return detached_ids


def _detached(series: Activity, o: OccurrenceOverride) -> Activity:
    return replace(
        series,
        id=None,
        uid=None,
        rrule=None,
        start=o.new_start or o.original_start,
        duration_minutes=o.duration_minutes or series.duration_minutes,
        subject=o.subject or series.subject,
        location=o.location or series.location,
        notes=o.notes or series.notes,
        outcome=o.outcome,
        completed_at=o.completed_at,
    )


def _write_override(s: Session, activity_id: int, o: OccurrenceOverride) -> None:
    s.execute(
        delete(ActivityExceptionRow).where(X.activity_id == activity_id, X.original_start == o.original_start)
    )
    s.add(
        ActivityExceptionRow(
            activity_id=activity_id,
            original_start=o.original_start,
            action=o.action,
            new_start=o.new_start,
            duration_minutes=o.duration_minutes,
            subject=o.subject,
            location=o.location,
            notes=o.notes,
            outcome=o.outcome,
            completed_at=o.completed_at,
        )
    )
    s.flush()


def _existing_override(s: Session, activity_id: int, original_start: datetime) -> OccurrenceOverride | None:
    m = s.execute(
        select(ActivityExceptionRow.__table__).where(
            X.activity_id == activity_id, X.original_start == original_start
        )
    ).first()
    return None if m is None else _override(m)


def _series_occurrence(s: Session, activity_id: int, original_start: datetime, tz: tzinfo) -> Activity:
    a = get(s, activity_id)
    if not a.rrule or a.start is None:
        raise ValidationError([("original_start", "this activity does not repeat")])
    if not recurrence.is_occurrence(a.rrule, a.start, original_start, series_zone(a, tz)):
        raise ValidationError([("original_start", "the series has no occurrence at that time")])
    return a


def delete_activity(s: Session, activity_id: int) -> None:
    get(s, activity_id)
    s.execute(delete(ActivityRow).where(A.id == activity_id))


def mark_done(
    s: Session,
    activity_id: int,
    outcome: str | None,
    now: datetime,
    original_start: datetime | None = None,
    tz: tzinfo = UTC,
) -> None:
    """Record the outcome of an activity, or of one occurrence of a series, in one step."""
    if original_start is None:
        get(s, activity_id)
        s.execute(
            sql_update(ActivityRow)
            .where(A.id == activity_id)
            .values(completed_at=now, outcome=(outcome or "").strip() or None)
        )
        return
    _series_occurrence(s, activity_id, original_start, tz)
    o = _existing_override(s, activity_id, original_start) or OccurrenceOverride(original_start)
    pinned = o.new_start or original_start  # a done occurrence stays where it happened if the series moves
    _write_override(
        s,
        activity_id,
        replace(
            o, action=OVERRIDE, new_start=pinned, completed_at=now, outcome=(outcome or "").strip() or None
        ),
    )


def reschedule(
    s: Session,
    activity_id: int,
    new_start: datetime,
    original_start: datetime | None = None,
    tz: tzinfo = UTC,
) -> None:
    """Move an activity, or only one occurrence of a series (the rest of the series stays)."""
    if new_start.tzinfo is None:
        raise ValidationError([("start", "the new time has no time zone")])
    if original_start is None:
        a = get(s, activity_id)
        if a.rrule:
            raise ValidationError([("original_start", "say which occurrence of the series to move")])
        changes: dict[str, Any] = {"start": new_start}
        if a.start is None:
            changes["due_date"] = new_start.astimezone(tz).date()
        update(s, activity_id, tz, **changes)
        return
    _series_occurrence(s, activity_id, original_start, tz)
    o = _existing_override(s, activity_id, original_start) or OccurrenceOverride(original_start)
    _write_override(s, activity_id, replace(o, action=OVERRIDE, new_start=new_start))


def skip_occurrence(s: Session, activity_id: int, original_start: datetime, tz: tzinfo = UTC) -> None:
    """Cancel one occurrence of a series (an EXDATE)."""
    _series_occurrence(s, activity_id, original_start, tz)
    _write_override(s, activity_id, OccurrenceOverride(original_start, action=SKIP))


def _window_activities(
    s: Session, start: datetime, end: datetime, household_id: int | None, tz: tzinfo, one_offs: bool = True
) -> list[Activity]:
    one_off = and_(A.series_end.is_(None), A.start >= start, A.start < end)
    lo, hi = start.astimezone(tz).date(), (end - timedelta(microseconds=1)).astimezone(tz).date()
    undated = and_(A.start.is_(None), A.due_date >= lo, A.due_date <= hi)
    series = and_(A.series_end >= start, A.start < end)
    moved_in = A.id.in_(select(X.activity_id).where(X.new_start >= start, X.new_start < end))
    rows: dict[int, Activity] = {}
    for condition in (one_off, undated, series, moved_in) if one_offs else (series, moved_in):
        query = select(*_COLUMNS).where(condition)
        if household_id is not None:
            query = query.where(A.household_id == household_id)
        for m in s.execute(query):
            rows[m.id] = _activity(m)
    return list(rows.values())


def occurrences(
    s: Session, start: datetime, end: datetime, tz: tzinfo = UTC, household_id: int | None = None
) -> list[Occurrence]:
    """Everything on the calendar in [start, end): recurrences expanded, exceptions applied, sorted."""
    activities = _window_activities(s, start, end, household_id, tz)
    overrides = overrides_for(s, [a.id for a in activities if a.rrule and a.id is not None])
    return expand_all(activities, overrides, start, end, tz)


def occurrence(s: Session, activity_id: int, original_start: datetime | None, tz: tzinfo = UTC) -> Occurrence:
    """One occurrence by its key, for dialogs that act on it."""
    a = get(s, activity_id)
    if original_start is None or not a.rrule:
        start = a.start or datetime(1, 1, 2, tzinfo=UTC)
        found = expand(
            replace(a, rrule=None), (), start - timedelta(days=1), start + timedelta(days=3660), tz
        )
        if not found:
            raise NotFoundError(_("activity {activity_id} has no date").format(activity_id=activity_id))
        return found[0]
    overrides = overrides_for(s, [activity_id]).get(activity_id, [])
    second = timedelta(seconds=1)
    o = next((x for x in overrides if x.original_start == original_start), None)
    lo = min(original_start, o.new_start or original_start) if o else original_start
    hi = max(original_start, o.new_start or original_start) if o else original_start
    for occ in expand(a, overrides, lo - second, hi + second, tz):
        if occ.original_start == original_start:
            return occ
    raise NotFoundError(_("that occurrence was skipped or no longer exists"))


def household_anniversary(s: Session, household_id: int) -> date | None:
    """The client anniversary reviews align to: the first day as a client, also after a return."""
    return first_days_as_client(s, [household_id]).get(household_id)
