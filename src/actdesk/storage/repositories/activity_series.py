"""Editing an activity from one of its occurrences: only this one, this and following, or the whole series.

Kept apart from ``activities`` (CRUD and window queries) because these are the rules of RFC 5545 edits:
"this one" is an exception keyed by the occurrence's RECURRENCE-ID; "this and following" ends the old series
with UNTIL just before the occurrence and starts a new series there, taking the exceptions on its side with
it; "all" edits the series, and a time change made on any occurrence moves every occurrence by the same
wall-clock amount.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, tzinfo
from enum import StrEnum
from typing import Any

from sqlalchemy import delete
from sqlalchemy.orm import Session

from actdesk.domain.models import Activity
from actdesk.domain.schedule import recurrence
from actdesk.domain.schedule.occurrences import OVERRIDE, OccurrenceOverride, rebase_overrides, series_zone
from actdesk.storage.errors import ValidationError
from actdesk.storage.repositories import activities as repo
from actdesk.storage.tables.schedule import ActivityExceptionRow

X = ActivityExceptionRow.__table__.c

# What one occurrence can hold on its own (an exception); anything else is a change of the series.
OCCURRENCE_FIELDS = frozenset({"subject", "start", "duration_minutes", "location", "notes", "outcome"})
SERIES_ONLY_FIELDS = frozenset(
    {"kind", "household_id", "contact_id", "rrule", "all_day", "due_date", "owner"}
)


class Scope(StrEnum):
    THIS = "this"
    FOLLOWING = "following"
    ALL = "all"


def _zone(a: Activity, tz: tzinfo) -> tzinfo:
    return series_zone(a, tz)


def edit(
    s: Session,
    activity_id: int,
    changes: dict[str, Any],
    scope: Scope = Scope.ALL,
    original_start: datetime | None = None,
    shown_start: datetime | None = None,
    tz: tzinfo = UTC,
) -> int:
    """Apply the dialog's ``changes`` and return the id of the activity that now holds the edited entry.

    ``original_start`` names the occurrence (None for a one-off); ``shown_start`` is the start the dialog
    showed (a moved occurrence shows its new time), against which a changed start is measured.
    """
    unknown = set(changes) - OCCURRENCE_FIELDS - SERIES_ONLY_FIELDS
    if unknown:
        raise ValueError(f"unknown activity fields: {sorted(unknown)}")
    series = repo.get(s, activity_id)
    if not series.rrule or original_start is None:
        repo.update(s, activity_id, tz, **changes)
        return activity_id
    repo._series_occurrence(s, activity_id, original_start, tz)
    if scope is Scope.FOLLOWING and series.start is not None and original_start <= series.start:
        scope = Scope.ALL  # "this and following" from the first occurrence is the whole series
    if scope is Scope.THIS:
        _edit_one(s, series, changes, original_start, tz)
        return activity_id
    if scope is Scope.ALL:
        repo.update(s, activity_id, tz, **_series_changes(series, changes, shown_start or original_start, tz))
        if "start" in changes and shown_start is not None and shown_start != original_start:
            _repin(s, activity_id, shown_start, changes["start"])
        return activity_id
    return _split(s, series, changes, original_start, shown_start or original_start, tz)


def _series_changes(
    series: Activity, changes: dict[str, Any], shown_start: datetime, tz: tzinfo
) -> dict[str, Any]:
    """A start typed on one occurrence moves the series' own start by the same wall-clock amount."""
    result = dict(changes)
    if "start" in result and series.start is not None and result["start"] is not None:
        zone = _zone(series, tz)
        delta = recurrence.wall_delta(shown_start, result["start"], zone)
        result["start"] = recurrence.shift_wall_time(series.start, delta, zone)
    return result


def _edit_one(
    s: Session, series: Activity, changes: dict[str, Any], original_start: datetime, tz: tzinfo
) -> None:
    series_only = sorted(set(changes) & SERIES_ONLY_FIELDS)
    if series_only:
        raise ValidationError(
            [
                (name, "this applies to the whole series: choose this and following, or all")
                for name in series_only
            ]
        )
    o = repo._existing_override(s, series.id or 0, original_start) or OccurrenceOverride(original_start)
    values: dict[str, Any] = {"action": OVERRIDE}
    if "start" in changes:
        if changes["start"] is None or changes["start"].tzinfo is None:
            raise ValidationError([("start", "the new time has no time zone")])
        values["new_start"] = changes["start"]
    for name in ("subject", "duration_minutes", "location", "notes", "outcome"):
        if name in changes:
            value = changes[name]
            values[name] = None if value == getattr(series, name) else value  # empty = the series' value
    if "subject" in changes and not (changes["subject"] or "").strip():
        raise ValidationError([("subject", "an activity needs a subject")])
    new = replace(o, **values)
    if new.new_start is None:
        new = replace(new, new_start=original_start)
    repo._write_override(s, series.id or 0, new)


def _split(
    s: Session,
    series: Activity,
    changes: dict[str, Any],
    at: datetime,
    shown_start: datetime,
    tz: tzinfo,
) -> int:
    assert series.id is not None and series.rrule and series.start is not None
    left_rule, right_rule = recurrence.split_rule(series.rrule, series.start, at, _zone(series, tz))
    overrides = repo.overrides_for(s, [series.id]).get(series.id, [])
    right = [o for o in overrides if o.original_start >= at]
    # The new series: the old one from ``at`` on, with the edits applied (a start change moves it by the
    # wall-clock amount the advisor moved this occurrence).
    tail = replace(series, id=None, uid=None, start=at, rrule=right_rule)
    new = replace(tail, **_series_changes(tail, changes, shown_start, tz))
    own = next((o for o in right if o.original_start == at), None)
    if not new.rrule and own is not None:  # the edited occurrence becomes the one-off: keep what it held
        right.remove(own)
        new = replace(new, completed_at=own.completed_at, outcome=changes.get("outcome", own.outcome))
    repo.validate(new)
    s.execute(delete(ActivityExceptionRow).where(X.activity_id == series.id, X.original_start >= at))
    repo.update(s, series.id, tz, rrule=left_rule)
    new_id = repo.add(s, new, tz)
    if right and new.rrule and new.start is not None:
        rebased = rebase_overrides(at, right_rule, new.start, new.rrule, right, _zone(new, tz))
        for o in rebased.kept:
            repo._write_override(s, new_id, o)
        for o in rebased.detached:  # moved or done on a day the new rule no longer has: kept as a one-off
            repo.add(s, repo._detached(new, o), tz)
    else:
        for o in right:
            if o.action == OVERRIDE:
                repo.add(s, repo._detached(new, o), tz)
    if "start" in changes and shown_start != at:
        _repin(s, new_id, shown_start, changes["start"])
    return new_id


def _repin(s: Session, activity_id: int, old_start: datetime, new_start: datetime) -> None:
    """The edited occurrence had been moved on its own: its pinned time follows the edit too."""
    for o in repo.overrides_for(s, [activity_id]).get(activity_id, []):
        if o.new_start == old_start:
            repo._write_override(s, activity_id, replace(o, new_start=new_start))
