"""Calendar interchange (.ics, RFC 5545) with the icalendar package.

Export writes each task as a VTODO (DUE, STATUS:COMPLETED and COMPLETED when done) and every other activity
as a VEVENT, each with UID, DTSTAMP, RRULE, EXDATE for skipped occurrences and one
RECURRENCE-ID VEVENT per changed occurrence, in the advisor's time zone with its VTIMEZONE, CRLF endings and
75-octet folding. A series is written in its own zone (the one it repeats in) with RDATE for its extra dates and
UNTIL of the type its DTSTART has (DATE for all-day series, UTC DATE-TIME otherwise), as strict parsers demand.
Import is two steps: ``preview`` reads the whole file and lists each problem with its line;
``apply`` writes only the valid items, in one transaction, and only if the caller accepts a partial import.
"""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, time, timedelta, tzinfo

import icalendar
from sqlalchemy.orm import Session

from actdesk import __version__
from actdesk.domain.enums import ActivityKind
from actdesk.domain.models import Activity
from actdesk.domain.schedule import recurrence
from actdesk.domain.schedule.occurrences import OVERRIDE, SKIP, OccurrenceOverride, series_zone
from actdesk.i18n import _
from actdesk.services.ics_lines import refold
from actdesk.storage.repositories import activities as repo

PRODID = f"-//actdesk//actdesk {__version__}//EN"
KINDS = {k.value for k in ActivityKind}


# ----------------------------------------------------------------------------------------------- export
def _when(value: datetime, all_day: bool, tz: tzinfo) -> date | datetime:
    return value.astimezone(UTC).date() if all_day else value.astimezone(tz)


def _is_todo(a: Activity) -> bool:
    return a.kind == ActivityKind.TASK


def _entry(a: Activity, stamp: datetime, tz: tzinfo) -> icalendar.cal.Component:
    """A task as a VTODO (calendar apps list it with the to-dos), anything else as a VEVENT."""
    e: icalendar.cal.Component = icalendar.Todo() if _is_todo(a) else icalendar.Event()
    e.add("uid", a.uid or f"actdesk-{a.id}@actdesk")
    e.add("dtstamp", stamp)
    if _is_todo(a):
        _todo_times(e, a, tz)
    else:
        _event_times(e, a, stamp, tz)
    e.add("summary", a.subject)
    if a.location:
        e.add("location", a.location)
    if a.notes:
        e.add("description", a.notes)
    e.add("categories", [str(a.kind)])
    e.add("x-actdesk-kind", str(a.kind))
    e.add("x-actdesk-household", str(a.household_id))
    _done(e, a.completed_at, a.outcome)
    return e


def _event_times(e: icalendar.cal.Component, a: Activity, stamp: datetime, tz: tzinfo) -> None:
    start = a.start or datetime.combine(a.due_date or stamp.date(), time.min, tzinfo=UTC)
    all_day = a.all_day or a.start is None
    e.add("dtstart", _when(start, all_day, tz))
    if all_day:
        days = max(1, (a.duration_minutes or 0) // (24 * 60)) if a.start is not None else 1
        e.add("dtend", _when(start, True, tz) + timedelta(days=days))
    elif a.duration_minutes:
        e.add("dtend", _when(start + timedelta(minutes=a.duration_minutes), False, tz))
    if a.start is None:
        e.add("x-actdesk-due-only", "TRUE")  # an undated item, shown as an all-day event elsewhere


def _todo_times(e: icalendar.cal.Component, a: Activity, tz: tzinfo) -> None:
    """DUE is when the task is due; DTSTART only when the task has a start (RRULE needs one). DUE never
    precedes DTSTART: a timed task without a duration is due when it starts."""
    if a.start is None:
        if a.due_date is not None:
            e.add("due", a.due_date)
        return
    start = _when(a.start, a.all_day, tz)
    if a.all_day:
        e.add("dtstart", start)
        e.add("due", start + timedelta(days=1))
        return
    due = a.start + timedelta(minutes=a.duration_minutes or 0)
    if a.duration_minutes or a.rrule:
        e.add("dtstart", start)
    e.add("due", _when(due, False, tz))


def _done(e: icalendar.cal.Component, completed_at: datetime | None, outcome: str | None) -> None:
    if completed_at is not None:
        stamp = completed_at.astimezone(UTC).replace(microsecond=0)
        if e.name == "VTODO":
            e.add("status", "COMPLETED")
            e.add("completed", stamp)
        else:
            e.add("x-actdesk-completed", stamp.strftime("%Y%m%dT%H%M%SZ"))
    if outcome:
        e.add("x-actdesk-outcome", outcome)


def export_calendar(
    s: Session, now: datetime, tz: tzinfo, household_id: int | None = None, name: str | None = None
) -> bytes:
    """The schedule (all households, or one) as a valid iCalendar file."""
    cal = icalendar.Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("x-wr-calname", name or _("actdesk schedule"))
    activities = repo.all_activities(s, household_id)
    overrides = repo.overrides_for(s, [a.id for a in activities if a.rrule and a.id is not None])
    stamp = now.astimezone(UTC).replace(microsecond=0)
    for a in activities:
        zone = _export_zone(a, tz)
        event = _entry(a, stamp, zone)
        cal.add_component(event)
        if not a.rrule or a.id is None:
            continue
        rrule_text, rdates = recurrence.rule_parts(a.rrule)
        if rrule_text:
            event.add("rrule", icalendar.vRecur.from_ical(_until_like_start(rrule_text, a.all_day, zone)))
        if rdates:
            event.add("rdate", [_when(d, a.all_day, zone) for d in rdates])
        changes = sorted(overrides.get(a.id, []), key=lambda o: o.original_start)
        skipped = [_when(o.original_start, a.all_day, zone) for o in changes if o.action == SKIP]
        if skipped:
            event.add("exdate", skipped)
        for o in changes:
            if o.action == OVERRIDE:
                cal.add_component(_override_event(a, o, stamp, zone))
    if any(not a.all_day and a.start is not None for a in activities):
        cal.add_missing_timezones()
    return refold(cal.to_ical())


def _export_zone(a: Activity, tz: tzinfo) -> tzinfo:
    """A series is written in the zone it repeats in (UTC ones with "Z" times); anything else in ``tz``."""
    if not a.rrule:
        return tz
    zone = series_zone(a, tz)
    return UTC if getattr(zone, "key", None) in ("UTC", "Etc/UTC") else zone


_UNTIL = re.compile(r"UNTIL=([0-9]{8})(T[0-9]{6}Z?)?")


def _until_like_start(rule: str, all_day: bool, zone: tzinfo) -> str:
    """RFC 5545 wants UNTIL of DTSTART's type: a DATE for an all-day series, a UTC DATE-TIME for a timed one
    (files from Exchange and elsewhere mix them; strict readers refuse the mix)."""

    def convert(match: re.Match[str]) -> str:
        day, clock = match.group(1), match.group(2)
        if all_day:
            if clock and clock.endswith("Z"):
                return "UNTIL=" + datetime.strptime(day + clock, "%Y%m%dT%H%M%SZ").strftime("%Y%m%d")
            return f"UNTIL={day}"
        if clock and clock.endswith("Z"):
            return match.group(0)
        local = datetime.strptime(day + (clock or "T235959"), "%Y%m%dT%H%M%S").replace(tzinfo=zone)
        return "UNTIL=" + local.astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")

    return _UNTIL.sub(convert, rule)


def _override_event(
    a: Activity, o: OccurrenceOverride, stamp: datetime, tz: tzinfo
) -> icalendar.cal.Component:
    start = o.new_start or o.original_start
    moved = Activity(
        household_id=a.household_id,
        kind=a.kind,
        subject=o.subject or a.subject,
        start=start,
        duration_minutes=o.duration_minutes or a.duration_minutes,
        location=o.location or a.location,
        notes=o.notes or a.notes,
        uid=a.uid,
        all_day=a.all_day,
        id=a.id,
    )
    e = _entry(moved, stamp, tz)
    e.add("recurrence-id", _when(o.original_start, a.all_day, tz))
    _done(e, o.completed_at, o.outcome)
    return e


# Import lives in ics_import; its names are kept here, where callers have always found them.
from actdesk.services.ics_import import (  # noqa: E402
    ImportItem,
    ImportPreview,
    ImportResult,
    PartialImportRefused,
    Problem,
    apply,
    preview,
)

__all__ = [
    "ImportItem",
    "ImportPreview",
    "ImportResult",
    "PartialImportRefused",
    "Problem",
    "apply",
    "export_calendar",
    "preview",
]
