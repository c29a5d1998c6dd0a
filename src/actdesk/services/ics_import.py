"""Reading calendar files (.ics, RFC 5545) in two steps: ``preview`` reads the whole file and lists each
problem with its line; ``apply`` writes only the valid items, in one transaction, and only if the caller
accepts a partial import.

Files come from Google, Outlook/Exchange, Apple, Thunderbird and CalDAV servers. A series keeps the zone of its
DTSTART (IANA, Windows or a home-made VTIMEZONE matched to an IANA zone; UTC when given in UTC), so EXDATE and
RECURRENCE-ID instants match its occurrences. RDATE adds occurrences; multi-day all-day events keep their
length; "BYDAY=MO, TU" (Microsoft CDO) is read; a bare VEVENT without VCALENDAR is read.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, tzinfo
from typing import Any

import icalendar
from sqlalchemy.orm import Session

from actdesk.domain.enums import ActivityKind
from actdesk.domain.models import Activity
from actdesk.domain.schedule import recurrence
from actdesk.domain.schedule.occurrences import OVERRIDE, SKIP, OccurrenceOverride, series_zone
from actdesk.domain.text import without_invisible
from actdesk.i18n import N_, _
from actdesk.services.ics_lines import Block, scan
from actdesk.services.ics_zones import zone_name
from actdesk.storage.errors import NotFoundError
from actdesk.storage.repositories import activities as repo
from actdesk.storage.repositories import import_lookups

KINDS = {k.value for k in ActivityKind}
_WRAP = "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//actdesk//import//EN\r\n"
_SPACED_RULE = re.compile(r"^((?:RRULE|EXRULE)(?:;[^:]*)?:)(.*)$", re.IGNORECASE)


@dataclass(frozen=True, slots=True)
class Problem:
    line: int | None
    where: str
    message: str

    def __str__(self) -> str:
        place = _("line {n}").format(n=self.line) if self.line else _("file")
        return f"{place}: {_cut(self.where) + ': ' if self.where else ''}{_cut(self.message)}"


def _cut(text: str, limit: int = 200) -> str:
    """A file's value repeated in a message is cut short: a 10 MB property must not fill the terminal."""
    return text if len(text) <= limit else text[:limit] + f"… ({len(text):,} characters)"


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
    entries: int = 0  # events and to-dos in the file (0: an empty calendar, "nothing found")

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
    """A text property as the book keeps it: trimmed, without the invisible characters some calendar
    programs leave in (Outlook's vertical tab as a line break, a stray control character)."""
    value = component.get(name)
    return None if value is None else without_invisible(str(value)).strip() or None


class _Reader:
    def __init__(self, s: Session, tz: tzinfo, household_id: int | None) -> None:
        self.s = s
        self.tz = tz
        self.household_id = household_id
        self.households = import_lookups.household_ids(s)
        if household_id is not None and household_id not in self.households:
            raise NotFoundError(_("household {id} does not exist").format(id=household_id))
        self.by_email = {
            email.lower(): (hid, cid)
            for cid, hid, email in import_lookups.contact_emails(s)
            if email and hid is not None
        }

    def instant(self, value: date | datetime, all_day: bool | None = None) -> tuple[datetime, bool]:
        """(UTC instant, all-day): dates are all-day at UTC midnight; floating times are the advisor's.
        With ``all_day=True`` a date-time counts by its own wall date (Exchange writes an all-day series'
        RECURRENCE-ID as midnight in its Windows zone)."""
        if isinstance(value, tuple):  # a PERIOD (RDATE;VALUE=PERIOD): its start
            value = value[0]
        if not isinstance(value, datetime):
            return datetime.combine(value, time.min, tzinfo=UTC), True
        if all_day:
            return datetime.combine(value.date(), time.min, tzinfo=UTC), True
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


def _clean(line: str) -> str:
    """Microsoft CDO writes "BYDAY=MO, TU, WE": the spaces mean nothing and icalendar refuses them."""
    match = _SPACED_RULE.match(line)
    return match.group(1) + re.sub(r"\s+", "", match.group(2)) if match else line


def _component(block: Block, timezones: str) -> icalendar.cal.Component:
    text = "".join(_clean(line) + "\r\n" for _n, line in block.lines)
    cal = icalendar.Calendar.from_ical(f"{_WRAP}{timezones}{text}END:VCALENDAR\r\n")
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
    entries = 0
    for block in scanned.blocks:
        if block.name not in ("VEVENT", "VTODO"):
            continue
        entries += 1
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
    return ImportPreview(items, problems, cancelled, entries)


def _listed(value: Any) -> list[Any]:
    return value if isinstance(value, list) else [] if value is None else [value]


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
    for prop in _listed(comp.get("RDATE")):
        if not getattr(prop, "dts", None):
            issues.append((_line_of(block, "RDATE"), _("extra dates (RDATE) without a date")))
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
    if all_day:  # whole days: kept only when the event spans more than one (DTEND is exclusive)
        duration = duration if duration is not None and duration > 24 * 60 else None
    completed = _completed(comp, reader)
    rule_text = _rule_text(comp, all_day, reader)
    time_zone = None
    if rule_text and isinstance(raw_start, datetime) and not all_day:
        params: dict[str, Any] = dict(getattr(comp.get("DTSTART"), "params", {}))
        time_zone = zone_name(raw_start, params.get("TZID"))
    activity = Activity(
        household_id=household_id,
        contact_id=contact_id,
        kind=ActivityKind(reader.kind(comp, all_day, todo)),
        subject=_text(comp, "SUMMARY") or _("(no title)"),
        start=start,
        due_date=due_date,
        duration_minutes=duration,
        location=_text(comp, "LOCATION"),
        notes=_text(comp, "DESCRIPTION"),
        outcome=_text(comp, "X-ACTDESK-OUTCOME"),
        completed_at=completed,
        rrule=rule_text if start is not None else None,
        uid=_text(comp, "UID") or repo.new_uid(),
        all_day=all_day,
        time_zone=time_zone,
    )
    item = ImportItem(activity, line=block.first_line)
    for group in _listed(comp.get("EXDATE")):
        for d in group.dts:
            skipped = _anchored(d.dt, raw_start)
            item.overrides.append(
                OccurrenceOverride(reader.instant(skipped, all_day or None)[0], action=SKIP)
            )
    return item, None


def _anchored(value: Any, start: Any) -> Any:
    """A floating exception or extra date of a series anchored in a zone is in that zone (as calendar
    clients read it), not in the advisor's."""
    if isinstance(value, tuple):
        value = value[0]
    if isinstance(value, datetime) and value.tzinfo is None and isinstance(start, datetime) and start.tzinfo:
        return value.replace(tzinfo=start.tzinfo)
    return value


def _rule_text(comp: icalendar.cal.Component, all_day: bool, reader: _Reader) -> str | None:
    """The stored rule: the RRULE value and a line of extra dates (RDATE), or None for a one-off."""
    rule = comp.get("RRULE")
    rrule_text = recurrence.normalise(rule.to_ical().decode()) if rule is not None else None
    start = comp.decoded("DTSTART") if comp.get("DTSTART") is not None else None
    rdates = [
        reader.instant(_anchored(d.dt, start), all_day or None)[0]
        for prop in _listed(comp.get("RDATE"))
        for d in prop.dts
    ]
    return recurrence.join_rule(rrule_text, rdates) or None


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
    a = master.activity
    original, _all = reader.instant(comp.decoded("RECURRENCE-ID"), a.all_day or None)
    zone = series_zone(a, reader.tz)
    if not recurrence.is_occurrence(master.activity.rrule, master.activity.start, original, zone):
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
        if a.all_day and duration is not None and duration <= 24 * 60:
            duration = None
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
