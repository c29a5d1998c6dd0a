"""Occurrences of activities in a window, with per-occurrence exceptions, and how exceptions survive edits.

A one-off activity is its own single occurrence. A series (an activity with an RRULE) yields one occurrence per
rule date; an exception keyed by the occurrence's original start (its RECURRENCE-ID) skips it (EXDATE) or
overrides it: moved, retitled, or completed with an outcome on its own.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime, time, timedelta, tzinfo

from actdesk.domain.models import Activity
from actdesk.domain.schedule import recurrence

SKIP = "skip"
OVERRIDE = "override"


@dataclass(frozen=True, slots=True)
class OccurrenceOverride:
    """An exception to one occurrence of a series."""

    original_start: datetime
    action: str = OVERRIDE
    new_start: datetime | None = None
    duration_minutes: int | None = None
    subject: str | None = None
    location: str | None = None
    notes: str | None = None
    outcome: str | None = None
    completed_at: datetime | None = None
    id: int | None = None


@dataclass(frozen=True, slots=True)
class Occurrence:
    """One entry on the calendar. ``original_start`` identifies an occurrence of a series (None for one-offs)."""

    activity_id: int
    household_id: int
    kind: str
    subject: str
    start: datetime | None
    duration_minutes: int | None = None
    due_date: date | None = None
    all_day: bool = False
    location: str | None = None
    notes: str | None = None
    outcome: str | None = None
    completed_at: datetime | None = None
    contact_id: int | None = None
    original_start: datetime | None = None
    recurring: bool = False

    @property
    def done(self) -> bool:
        return self.completed_at is not None

    @property
    def end(self) -> datetime | None:
        if self.start is None:
            return None
        if self.all_day:  # whole days: one, or as many as a multi-day event spans
            return self.start + max(timedelta(days=1), timedelta(minutes=self.duration_minutes or 0))
        return self.start + timedelta(minutes=self.duration_minutes or 0)

    def day(self, tz: tzinfo) -> date | None:
        """The local calendar day the occurrence belongs to (its due date for undated tasks)."""
        if self.start is None:
            return self.due_date
        if self.all_day:
            return self.start.astimezone(UTC).date()
        return self.start.astimezone(tz).date()

    @property
    def key(self) -> tuple[int, datetime | None]:
        return (self.activity_id, self.original_start)


def series_zone(activity: Activity, tz: tzinfo) -> tzinfo:
    """The zone a series repeats in: UTC for all-day series (their starts are UTC midnights, whole days
    whatever the DST), the series' own zone when it has one (an event from another zone, or anchored in UTC,
    keeps its instants), else the advisor's ``tz`` (floating times)."""
    if activity.all_day:
        return UTC
    return recurrence.named_zone(activity.time_zone) or tz


def _base(activity: Activity, start: datetime | None, original: datetime | None) -> Occurrence:
    assert activity.id is not None
    return Occurrence(
        activity_id=activity.id,
        household_id=activity.household_id,
        kind=str(activity.kind),
        subject=activity.subject,
        start=start,
        duration_minutes=activity.duration_minutes,
        due_date=activity.due_date,
        all_day=activity.all_day,
        location=activity.location,
        notes=activity.notes,
        outcome=activity.outcome if original is None else None,
        completed_at=activity.completed_at if original is None else None,
        contact_id=activity.contact_id,
        original_start=original,
        recurring=original is not None,
    )


def one_off(activity: Activity) -> Occurrence:
    """The single occurrence of an activity that does not repeat (timed, or only due on a date)."""
    return _base(activity, activity.start, None)


def apply_override(occ: Occurrence, o: OccurrenceOverride) -> Occurrence:
    return replace(
        occ,
        start=o.new_start or occ.start,
        duration_minutes=o.duration_minutes if o.duration_minutes is not None else occ.duration_minutes,
        subject=o.subject or occ.subject,
        location=o.location if o.location is not None else occ.location,
        notes=o.notes if o.notes is not None else occ.notes,
        outcome=o.outcome,
        completed_at=o.completed_at,
    )


def _in_window(occ: Occurrence, start: datetime, end: datetime, tz: tzinfo) -> bool:
    if occ.start is not None:
        return start <= occ.start < end
    day = occ.day(tz)
    return (
        day is not None
        and start.astimezone(tz).date() <= day <= (end - timedelta(microseconds=1)).astimezone(tz).date()
    )


def expand(
    activity: Activity,
    overrides: Iterable[OccurrenceOverride],
    window_start: datetime,
    window_end: datetime,
    tz: tzinfo,
) -> list[Occurrence]:
    """Occurrences of ``activity`` that start in [window_start, window_end), exceptions applied.

    A moved occurrence shows where it was moved to: one moved into the window appears, one moved out does not.
    """
    if not activity.rrule or activity.start is None:
        occ = one_off(activity)
        return [occ] if _in_window(occ, window_start, window_end, tz) else []
    by_original = {o.original_start: o for o in overrides}
    result: list[Occurrence] = []
    zone = series_zone(activity, tz)
    for start in recurrence.starts_between(activity.rrule, activity.start, window_start, window_end, zone):
        o = by_original.get(start)
        if o is None:
            result.append(_base(activity, start, start))
        elif o.action == OVERRIDE and (o.new_start is None or window_start <= o.new_start < window_end):
            result.append(apply_override(_base(activity, start, start), o))
    seen = {occ.original_start for occ in result}
    for o in by_original.values():
        if (
            o.action == OVERRIDE
            and o.original_start not in seen
            and o.new_start is not None
            and window_start <= o.new_start < window_end
            and recurrence.is_occurrence(activity.rrule, activity.start, o.original_start, zone)
        ):
            result.append(apply_override(_base(activity, o.original_start, o.original_start), o))
    return result


def expand_all(
    activities: Iterable[Activity],
    overrides: Mapping[int, Sequence[OccurrenceOverride]],
    window_start: datetime,
    window_end: datetime,
    tz: tzinfo,
) -> list[Occurrence]:
    """Every occurrence in the window, sorted by start (undated tasks by due date, at the start of the day)."""
    found: list[Occurrence] = []
    for a in activities:
        assert a.id is not None
        found.extend(expand(a, overrides.get(a.id, ()), window_start, window_end, tz))
    undated = datetime.max.replace(tzinfo=UTC)

    def key(o: Occurrence) -> tuple[datetime, int]:
        if o.start is not None:
            return (o.start, o.activity_id)
        return (datetime.combine(o.due_date, time.min, tzinfo=tz) if o.due_date else undated, o.activity_id)

    found.sort(key=key)
    return found


@dataclass(frozen=True, slots=True)
class Rebased:
    """Exceptions after a series edit: those kept (re-keyed) and those detached into one-off activities."""

    kept: list[OccurrenceOverride]
    detached: list[OccurrenceOverride]
    dropped: list[OccurrenceOverride]


def rebase_overrides(
    old_start: datetime,
    old_rule: str,
    new_start: datetime,
    new_rule: str,
    overrides: Iterable[OccurrenceOverride],
    tz: tzinfo,
) -> Rebased:
    """Carry exceptions across an edit of the series, so that none is lost or lands on the wrong day.

    Each exception follows its occurrence: shifted by the series' change of local wall time, or else to the
    new occurrence on the same local day. One whose occurrence no longer exists is dropped if it only skipped
    it, and detached into a one-off activity if it holds a moved time or a recorded outcome.
    """
    shift = new_start.astimezone(tz).replace(tzinfo=None) - old_start.astimezone(tz).replace(tzinfo=None)
    kept: list[OccurrenceOverride] = []
    detached: list[OccurrenceOverride] = []
    dropped: list[OccurrenceOverride] = []
    taken: set[datetime] = set()
    for o in sorted(overrides, key=lambda x: x.original_start):
        local = o.original_start.astimezone(tz).replace(tzinfo=None)
        shifted = (local + shift).replace(tzinfo=tz).astimezone(UTC)
        target: datetime | None = None
        if recurrence.is_occurrence(new_rule, new_start, shifted, tz):
            target = shifted
        else:
            day = local.date()
            lo = datetime.combine(day, time.min, tzinfo=tz).astimezone(UTC)
            same_day = recurrence.starts_between(new_rule, new_start, lo, lo + timedelta(days=1), tz)
            target = same_day[0] if same_day else None
        if target is not None and target not in taken:
            taken.add(target)
            kept.append(replace(o, original_start=target))  # an explicit new_start (moved, done) stays put
        elif o.action == OVERRIDE:
            detached.append(o)
        else:
            dropped.append(o)
    return Rebased(kept, detached, dropped)
