"""Calendar interchange (.ics, RFC 5545) with the icalendar package.

Export writes each task as a VTODO (DUE, STATUS:COMPLETED and COMPLETED when done) and every other activity
as a VEVENT, each with UID, DTSTAMP, RRULE, EXDATE for skipped occurrences and one
RECURRENCE-ID VEVENT per changed occurrence, in the advisor's time zone with its VTIMEZONE, CRLF endings and
75-octet folding. Import is two steps: ``preview`` reads the whole file and lists each problem with its line;
``apply`` writes only the valid items, in one transaction, and only if the caller accepts a partial import.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta, tzinfo

import icalendar
from sqlalchemy import select
from sqlalchemy.orm import Session

from actdesk import __version__
from actdesk.domain.enums import ActivityKind
from actdesk.domain.models import Activity
from actdesk.domain.schedule import recurrence
from actdesk.domain.schedule.occurrences import OVERRIDE, SKIP, OccurrenceOverride
from actdesk.i18n import N_, _
from actdesk.services.ics_lines import Block, refold, scan
from actdesk.storage.repositories import activities as repo
from actdesk.storage.tables.book import ActivityRow, ContactRow, HouseholdRow

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
        e.add("dtend", _when(start, True, tz) + timedelta(days=1))
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
    query = select(*repo._COLUMNS).order_by(ActivityRow.id)
    if household_id is not None:
        query = query.where(ActivityRow.household_id == household_id)
    activities = [repo._activity(m) for m in s.execute(query)]
    overrides = repo.overrides_for(s, [a.id for a in activities if a.rrule and a.id is not None])
    stamp = now.astimezone(UTC).replace(microsecond=0)
    for a in activities:
        event = _entry(a, stamp, tz)
        cal.add_component(event)
        if not a.rrule or a.id is None:
            continue
        event.add("rrule", icalendar.vRecur.from_ical(a.rrule))
        changes = sorted(overrides.get(a.id, []), key=lambda o: o.original_start)
        skipped = [_when(o.original_start, a.all_day, tz) for o in changes if o.action == SKIP]
        if skipped:
            event.add("exdate", skipped)
        for o in changes:
            if o.action == OVERRIDE:
                cal.add_component(_override_event(a, o, stamp, tz))
    if any(not a.all_day and a.start is not None for a in activities):
        cal.add_missing_timezones()
    return refold(cal.to_ical())


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


# ----------------------------------------------------------------------------------------------- import
@dataclass(frozen=True, slots=True)
class Problem:
    line: int | None
    where: str
    message: str

    def __str__(self) -> str:
        place = _("line {n}").format(n=self.line) if self.line else _("file")
        return f"{place}: {self.where + ': ' if self.where else ''}{self.message}"


@dataclass
class ImportItem:
    """A series or single activity ready to be written, with its exceptions."""

    activity: Activity
    overrides: list[OccurrenceOverride] = field(default_factory=list)
    line: int = 0


@dataclass
class ImportPreview:
    items: list[ImportItem]
    problems: list[Problem]
    skipped_cancelled: int = 0

    @property
    def clean(self) -> bool:
        return not self.problems


@dataclass(frozen=True, slots=True)
class ImportResult:
    created: int
    updated: int


class PartialImportRefused(Exception):
    """The file has problems and the user did not agree to import only the valid part."""


_STRUCTURE = {
    "not_calendar": N_("this is not an iCalendar file (it does not start with BEGIN:VCALENDAR)"),
    "unbalanced": N_("END without a matching BEGIN"),
    "malformed": N_("malformed line (expected NAME:value)"),
    "truncated": N_("the file ends in the middle of a component (missing END)"),
}


def _text(component: icalendar.cal.Component, name: str) -> str | None:
    value = component.get(name)
    return None if value is None else str(value).strip() or None


class _Reader:
    def __init__(self, s: Session, tz: tzinfo, household_id: int | None) -> None:
        self.s = s
        self.tz = tz
        self.household_id = household_id
        self.households = {hid for (hid,) in s.execute(select(HouseholdRow.id))}
        if household_id is not None and household_id not in self.households:
            raise repo.NotFoundError(_("household {id} does not exist").format(id=household_id))
        self.by_email = {
            email.lower(): (hid, cid)
            for cid, hid, email in s.execute(select(ContactRow.id, ContactRow.household_id, ContactRow.email))
            if email and hid is not None
        }

    def instant(self, value: date | datetime) -> tuple[datetime, bool]:
        """(UTC instant, all-day): dates are all-day at UTC midnight; floating times are local."""
        if not isinstance(value, datetime):
            return datetime.combine(value, time.min, tzinfo=UTC), True
        if value.tzinfo is None:
            value = value.replace(tzinfo=self.tz)
        return value.astimezone(UTC), False

    def household(self, e: icalendar.cal.Component) -> tuple[int | None, int | None]:
        if self.household_id is not None:
            return self.household_id, None
        ours = _text(e, "X-ACTDESK-HOUSEHOLD")
        if ours and ours.isdigit() and int(ours) in self.households:
            return int(ours), None
        attendees = e.get("ATTENDEE") or []
        for attendee in attendees if isinstance(attendees, list) else [attendees]:
            email = str(attendee).lower().removeprefix("mailto:")
            if email in self.by_email:
                return self.by_email[email]
        return None, None

    def kind(self, e: icalendar.cal.Component, all_day: bool, todo: bool) -> str:
        ours = (_text(e, "X-ACTDESK-KIND") or "").lower()
        if ours in KINDS:
            return ours
        categories = e.get("CATEGORIES")
        for cat in categories if isinstance(categories, list) else [categories] if categories else []:
            for name in cat.cats:
                if str(name).lower() in KINDS:
                    return str(name).lower()
        return "task" if todo else "event" if all_day else "meeting"


def _component(block: Block, timezones: str) -> icalendar.cal.Component:
    text = f"BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:{PRODID}\r\n{timezones}{block.text()}END:VCALENDAR\r\n"
    cal = icalendar.Calendar.from_ical(text)
    return next(c for c in cal.subcomponents if c.name == block.name)


def preview(s: Session, data: bytes, tz: tzinfo, household_id: int | None = None) -> ImportPreview:
    """Read the whole file and say what would be imported and what is wrong, line by line. Writes nothing."""
    text = data.decode("utf-8-sig", errors="replace")
    scanned = scan(text)
    problems = [Problem(line, "", _(_STRUCTURE[code])) for line, code in scanned.problems]
    if not scanned.is_calendar:
        return ImportPreview([], problems)
    reader = _Reader(s, tz, household_id)
    timezones = "".join(b.text() for b in scanned.blocks if b.name == "VTIMEZONE" and not b.bad_lines)
    masters: dict[str, ImportItem] = {}
    changes: list[tuple[Block, icalendar.cal.Component]] = []
    items: list[ImportItem] = []
    cancelled = 0
    for block in scanned.blocks:
        if block.name not in ("VEVENT", "VTODO"):
            continue
        label = next(
            (line.split(":", 1)[1] for _n, line in block.lines if line.upper().startswith("SUMMARY")), ""
        )
        if block.bad_lines:
            problems.extend(
                Problem(n, label, _("malformed line (expected NAME:value)")) for n in block.bad_lines
            )
            continue
        try:
            comp = _component(block, timezones)
        except (ValueError, StopIteration) as exc:
            problems.append(
                Problem(block.first_line, label, _("unreadable event: {error}").format(error=exc))
            )
            continue
        issues = _check(comp, block)
        if issues:
            problems.extend(Problem(n, label, m) for n, m in issues)
            continue
        if comp.get("RECURRENCE-ID") is not None:
            changes.append((block, comp))
            continue
        if (_text(comp, "STATUS") or "").upper() == "CANCELLED":
            cancelled += 1
            continue
        item, problem = _item(comp, block, reader)
        if problem:
            problems.append(Problem(block.first_line, label, problem))
            continue
        assert item is not None
        items.append(item)
        if item.activity.uid:
            masters[item.activity.uid] = item
    for block, comp in changes:
        problem = _attach(comp, masters, reader)
        if problem:
            problems.append(Problem(block.first_line, _text(comp, "SUMMARY") or "", problem))
    problems.sort(key=lambda p: p.line or 0)
    return ImportPreview(items, problems, cancelled)


def _line_of(block: Block, name: str) -> int:
    return next((n for n, line in block.lines if line.upper().startswith(name)), block.first_line)


def _check(comp: icalendar.cal.Component, block: Block) -> list[tuple[int, str]]:
    issues = [
        (
            _line_of(block, (prop or "").upper()),
            _("bad {property} value: {error}").format(property=prop, error=msg),
        )
        for prop, msg in comp.errors
    ]
    start_name = "DTSTART" if comp.name == "VEVENT" else "DUE"
    if comp.get(start_name) is None and comp.get("DTSTART") is None:
        issues.append((block.first_line, _("no start date (DTSTART)")))
    rule = comp.get("RRULE")
    if rule is not None:
        reason = recurrence.validate(rule.to_ical().decode())
        if reason:
            issues.append(
                (
                    _line_of(block, "RRULE"),
                    _("recurrence rule not understood: {reason}").format(reason=reason),
                )
            )
    if comp.get("RDATE") is not None:
        issues.append((_line_of(block, "RDATE"), _("extra dates (RDATE) are not supported")))
    first_per_line = {line: message for line, message in reversed(issues)}
    return sorted(first_per_line.items())


def _item(
    comp: icalendar.cal.Component, block: Block, reader: _Reader
) -> tuple[ImportItem | None, str | None]:
    todo = comp.name == "VTODO"
    raw_start = comp.decoded("DTSTART") if comp.get("DTSTART") is not None else None
    due = comp.decoded("DUE") if comp.get("DUE") is not None else None
    household_id, contact_id = reader.household(comp)
    if household_id is None:
        return None, _("no household: import with --household ID, or invite a known contact's e-mail address")
    start: datetime | None = None
    all_day = False
    due_date: date | None = None
    if raw_start is not None and (_text(comp, "X-ACTDESK-DUE-ONLY") or "").upper() == "TRUE":
        due_date = reader.instant(raw_start)[0].date()
    elif raw_start is not None:
        start, all_day = reader.instant(raw_start)
    elif todo and isinstance(due, datetime):  # a task due at a time: that is when it is on the calendar
        start = reader.instant(due)[0]
    elif due is not None:
        due_date = (
            due if not isinstance(due, datetime) else reader.instant(due)[0].astimezone(reader.tz).date()
        )
    duration: int | None = None
    end_name = "DUE" if todo and raw_start is not None else "DTEND"
    if start is not None and comp.get(end_name) is not None:
        end, _all = reader.instant(comp.decoded(end_name))
        duration = int((end - start).total_seconds() // 60) or None
    elif comp.get("DURATION") is not None:
        duration = int(comp.decoded("DURATION").total_seconds() // 60)
    if duration is not None and duration < 0:
        return None, _("the event ends before it starts")
    completed = _completed(comp, reader)
    rule = comp.get("RRULE")
    activity = Activity(
        household_id=household_id,
        contact_id=contact_id,
        kind=ActivityKind(reader.kind(comp, all_day, todo)),
        subject=_text(comp, "SUMMARY") or _("(no title)"),
        start=start,
        due_date=due_date,
        duration_minutes=None if all_day else duration,
        location=_text(comp, "LOCATION"),
        notes=_text(comp, "DESCRIPTION"),
        outcome=_text(comp, "X-ACTDESK-OUTCOME"),
        completed_at=completed,
        rrule=recurrence.normalise(rule.to_ical().decode()) if rule is not None else None,
        uid=_text(comp, "UID") or repo.new_uid(),
        all_day=all_day,
    )
    item = ImportItem(activity, line=block.first_line)
    exdates = comp.get("EXDATE")
    for group in exdates if isinstance(exdates, list) else [exdates] if exdates is not None else []:
        for d in group.dts:
            item.overrides.append(OccurrenceOverride(reader.instant(d.dt)[0], action=SKIP))
    return item, None


def _completed(comp: icalendar.cal.Component, reader: _Reader) -> datetime | None:
    ours = _text(comp, "X-ACTDESK-COMPLETED")
    if ours:
        return datetime.strptime(ours, "%Y%m%dT%H%M%SZ").replace(tzinfo=UTC)
    if comp.get("COMPLETED") is not None:
        return reader.instant(comp.decoded("COMPLETED"))[0]
    if (_text(comp, "STATUS") or "").upper() == "COMPLETED" and comp.get("DTSTAMP") is not None:
        return reader.instant(comp.decoded("DTSTAMP"))[0]  # done, but the file does not say when
    return None


def _attach(comp: icalendar.cal.Component, masters: dict[str, ImportItem], reader: _Reader) -> str | None:
    master = masters.get(_text(comp, "UID") or "")
    if master is None or not master.activity.rrule or master.activity.start is None:
        return _("changes one occurrence of a repeating event that is not in the file")
    original, _all = reader.instant(comp.decoded("RECURRENCE-ID"))
    if not recurrence.is_occurrence(master.activity.rrule, master.activity.start, original, reader.tz):
        return _("changes an occurrence that its series does not have")
    master.overrides = [o for o in master.overrides if o.original_start != original]
    if (_text(comp, "STATUS") or "").upper() == "CANCELLED":
        master.overrides.append(OccurrenceOverride(original, action=SKIP))
        return None
    has_start = comp.get("DTSTART") is not None
    start, _all = reader.instant(comp.decoded("DTSTART" if has_start else "DUE"))
    duration = None
    end_name = "DUE" if comp.name == "VTODO" else "DTEND"
    if has_start and comp.get(end_name) is not None:
        duration = int((reader.instant(comp.decoded(end_name))[0] - start).total_seconds() // 60) or None
    a = master.activity
    summary = _text(comp, "SUMMARY")
    master.overrides.append(
        OccurrenceOverride(
            original,
            action=OVERRIDE,
            new_start=start,
            duration_minutes=duration if duration != a.duration_minutes else None,
            subject=summary if summary != a.subject else None,
            location=_text(comp, "LOCATION"),
            notes=_text(comp, "DESCRIPTION"),
            outcome=_text(comp, "X-ACTDESK-OUTCOME"),
            completed_at=_completed(comp, reader),
        )
    )
    return None


def apply(s: Session, plan: ImportPreview, tz: tzinfo, *, accept_partial: bool = False) -> ImportResult:
    """Write the valid items in the caller's transaction; an item whose UID is already in the book replaces
    it (importing the same file twice changes nothing). Refuses a file with problems unless accepted."""
    if plan.problems and not accept_partial:
        raise PartialImportRefused(_("{n} problems found; nothing was imported").format(n=len(plan.problems)))
    created = updated = 0
    for item in plan.items:
        existing = repo.by_uid(s, item.activity.uid) if item.activity.uid else None
        if existing is not None and existing.id is not None:
            repo.delete_activity(s, existing.id)
            updated += 1
        else:
            created += 1
        activity_id = repo.add(s, item.activity, tz)
        for o in item.overrides:
            repo._write_override(s, activity_id, o)
    return ImportResult(created, updated)
