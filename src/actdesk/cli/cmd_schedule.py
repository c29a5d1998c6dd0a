"""``actdesk schedule``: the calendar window as a list, .ics export and import, the service-level report."""

from __future__ import annotations

import argparse
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path
from typing import Any

from actdesk.cli.context import CliContext, UsageError
from actdesk.cli.validation import parse_day
from actdesk.domain.schedule.config import ScheduleSettings
from actdesk.domain.schedule.occurrences import Occurrence
from actdesk.i18n import _, format_date
from actdesk.paths import atomic_write
from actdesk.settings import load_settings

# The sub-commands register() adds, read from this file's text without importing it (cli/__init__.py).
COMMANDS = ("schedule",)


def register(subparsers: argparse._SubParsersAction[Any]) -> None:
    p = subparsers.add_parser(
        "schedule", help=_("the activity schedule: list, .ics export and import, service level")
    )
    p.add_argument("--from", dest="date_from", metavar="YYYY-MM-DD", help=_("first day (default: today)"))
    p.add_argument(
        "--to", dest="date_to", metavar="YYYY-MM-DD", help=_("last day, included (default: 7 days on)")
    )
    p.add_argument("--household", type=int, metavar="ID", help=_("only this household"))
    p.add_argument("--json", action="store_true", help=_("print JSON"))
    p.set_defaults(handler=list_occurrences)
    sub = p.add_subparsers(dest="schedule_command", metavar="ACTION", parser_class=type(p))
    e = sub.add_parser("export-ics", help=_("write the schedule to an .ics calendar file"))
    e.add_argument("file", type=Path, metavar="FILE")
    # SUPPRESS: an action's own default must not erase a --household given before the action.
    e.add_argument(
        "--household", type=int, metavar="ID", default=argparse.SUPPRESS, help=_("only this household")
    )
    e.set_defaults(handler=export_ics)
    i = sub.add_parser("import-ics", help=_("read activities from an .ics calendar file"))
    i.add_argument("file", type=Path, metavar="FILE")
    i.add_argument(
        "--household",
        type=int,
        metavar="ID",
        default=argparse.SUPPRESS,
        help=_("link every imported activity to this household"),
    )
    i.add_argument(
        "--accept-partial", action="store_true", help=_("import the valid part of a file that has problems")
    )
    i.add_argument("--json", action="store_true", default=argparse.SUPPRESS, help=_("print JSON"))
    i.set_defaults(handler=import_ics)
    s = sub.add_parser("service-level", help=_("last and next contact per household, days overdue, aging"))
    s.add_argument("--as-of", metavar="YYYY-MM-DD", help=_("report as of the end of this day (default: now)"))
    s.add_argument("--json", action="store_true", default=argparse.SUPPRESS, help=_("print JSON"))
    s.set_defaults(handler=service_level)


def _settings() -> ScheduleSettings:
    return load_settings().section(ScheduleSettings)


def _day(text: str | None, default: date, flag: str) -> date:
    return default if text is None else parse_day(text, flag)


def occurrence_json(o: Occurrence, household: str, tz: Any) -> dict[str, Any]:
    return {
        "activity_id": o.activity_id,
        "household_id": o.household_id,
        "household": household,
        "kind": o.kind,
        "start": None
        if o.start is None
        else (o.start.date().isoformat() if o.all_day else o.start.astimezone(tz).isoformat()),
        "end": None if o.end is None or o.all_day else o.end.astimezone(tz).isoformat(),
        "all_day": o.all_day,
        "due_date": o.due_date,
        "subject": o.subject,
        "done": o.done,
        "completed_at": o.completed_at,
        "outcome": o.outcome,
        "location": o.location,
        "recurring": o.recurring,
        "original_start": o.original_start,
    }


def list_occurrences(ctx: CliContext) -> int:
    from actdesk.services.schedule_zone import schedule_zone
    from actdesk.storage.repositories import activities as repo

    tz = schedule_zone(_settings())
    today = datetime.now(tz).date()
    first = _day(ctx.args.date_from, today, "--from")
    last = _day(ctx.args.date_to, first + timedelta(days=6), "--to")
    if last < first:
        raise UsageError(_("--to must not be before --from"))
    start = datetime.combine(first, time.min, tzinfo=tz).astimezone(UTC)
    end = datetime.combine(last + timedelta(days=1), time.min, tzinfo=tz).astimezone(UTC)
    with ctx.book().reader() as s:
        found = repo.occurrences(s, start, end, tz, household_id=ctx.args.household)
        names = repo.household_names(s, sorted({o.household_id for o in found}))
    rows = [occurrence_json(o, names.get(o.household_id, ""), tz) for o in found]
    if ctx.args.json:
        ctx.print_json(rows)
        return 0
    if not rows:
        print(
            _("Nothing scheduled from {first} to {last}.").format(
                first=format_date(first), last=format_date(last)
            )
        )
        return 0
    for r, o in zip(rows, found, strict=True):
        when = (
            o.start.astimezone(tz).strftime("%Y-%m-%d %H:%M") if o.start and not o.all_day else str(o.day(tz))
        )
        mark = "x" if o.done else " "
        print(f"[{mark}] {when:<16}  {o.kind:<8} {r['household'][:28]:<28}  {o.subject}")
    return 0


def _atomic_write(path: Path, data: bytes) -> None:
    path = path.expanduser()
    if not path.parent.is_dir():
        raise UsageError(_("folder {folder} does not exist").format(folder=path.parent))
    atomic_write(path, data)


def export_ics(ctx: CliContext) -> int:
    from actdesk.services.ics import export_calendar
    from actdesk.services.schedule_zone import schedule_zone
    from actdesk.storage.repositories import activities as repo

    tz = schedule_zone(_settings())
    with ctx.book().reader() as s:
        if ctx.args.household is not None and not repo.household_names(s, [ctx.args.household]):
            raise UsageError(_("household {id} does not exist").format(id=ctx.args.household))
        data = export_calendar(s, datetime.now(UTC), tz, ctx.args.household)
    _atomic_write(ctx.args.file, data)
    events = data.count(b"BEGIN:VEVENT") + data.count(b"BEGIN:VTODO")
    print(_("Wrote {n} calendar entries to {file}.").format(n=events, file=ctx.args.file))
    return 0


def import_ics(ctx: CliContext) -> int:
    from actdesk.services import ics
    from actdesk.services.schedule_zone import schedule_zone
    from actdesk.storage.errors import NotFoundError

    tz = schedule_zone(_settings())
    try:
        data = ctx.args.file.expanduser().read_bytes()
    except OSError as exc:
        raise UsageError(
            _("cannot read {file}: {error}").format(file=ctx.args.file, error=exc.strerror)
        ) from None
    book = ctx.book()
    try:
        with book.session() as s:
            plan = ics.preview(s, data, tz, ctx.args.household)
            if not plan.items and not plan.entries and plan.problems:
                # Not a calendar at all (or only broken structure): one line says so.
                raise UsageError(f"{ctx.args.file}: {plan.problems[0]}")
            if plan.problems and not ctx.args.accept_partial:
                # The report (each problem with its line) on stdout; the refusal is the one line on stderr.
                if ctx.args.json:
                    ctx.print_json(_problems_json(plan))
                else:
                    for problem in plan.problems:
                        print(f"{ctx.args.file}: {problem}")
                raise UsageError(
                    _(
                        "{n} problems found; nothing was imported. {valid} entries are valid: re-run with "
                        "--accept-partial to import only those."
                    ).format(n=len(plan.problems), valid=len(plan.items))
                )
            result = ics.apply(s, plan, tz, accept_partial=ctx.args.accept_partial)
    except NotFoundError as exc:
        raise UsageError(str(exc)) from None
    summary = {
        "created": result.created,
        "updated": result.updated,
        "problems": [{"line": p.line, "where": p.where, "message": p.message} for p in plan.problems],
        "skipped_cancelled": plan.skipped_cancelled,
        "entries": plan.entries,
    }
    if ctx.args.json:
        ctx.print_json(summary)
    elif not plan.entries:
        print(_("Nothing found: {file} is a calendar without events or tasks.").format(file=ctx.args.file))
    else:
        print(
            _("Imported {created} new and {updated} updated activities; {problems} entries left out.").format(
                created=result.created, updated=result.updated, problems=len(plan.problems)
            )
        )
    return 0


def _problems_json(plan: Any) -> dict[str, Any]:
    return {
        "created": 0,
        "updated": 0,
        "problems": [{"line": p.line, "where": p.where, "message": p.message} for p in plan.problems],
        "skipped_cancelled": plan.skipped_cancelled,
        "entries": plan.entries,
        "valid": len(plan.items),
    }


def service_level(ctx: CliContext) -> int:
    from actdesk.domain.analytics.config import AnalyticsConfig
    from actdesk.services.schedule_zone import schedule_zone
    from actdesk.services.service_level import build_report

    settings = _settings()
    tz = schedule_zone(settings)
    now = datetime.now(UTC)
    if ctx.args.as_of:
        day = _day(ctx.args.as_of, now.date(), "--as-of")
        now = datetime.combine(day, time(23, 59, 59), tzinfo=tz).astimezone(UTC)
    with ctx.book().reader() as s:
        report = build_report(s, now, tz, settings, ctx.settings.section(AnalyticsConfig))
    if ctx.args.json:
        ctx.print_json(
            {
                "as_of": report.as_of.astimezone(tz).date(),
                "segments_known": report.segments_known,
                "households": [
                    {
                        "household_id": line.household_id,
                        "household": line.name,
                        "segment": line.segment,
                        "cadence_days": line.cadence_days,
                        "last_contact": line.last_contact,
                        "next_scheduled": line.next_scheduled,
                        "contact_due": line.contact_due,
                        "days_overdue": line.days_overdue,
                    }
                    for line in report.lines
                ],
                "aging_buckets": report.buckets,
                "overdue_items": [
                    {
                        "activity_id": i.occurrence.activity_id,
                        "household_id": i.occurrence.household_id,
                        "subject": i.occurrence.subject,
                        "kind": i.occurrence.kind,
                        "days_overdue": i.days_overdue,
                        "bucket": i.bucket,
                    }
                    for i in report.overdue
                ],
            }
        )
        return 0
    print(_("Household                       Segment  Last contact  Next scheduled  Days overdue"))
    for line in report.lines:
        print(
            f"{line.name[:30]:<31} {line.segment or '-':<8} {format_date(line.last_contact) or '-':<13} "
            f"{format_date(line.next_scheduled) or '-':<15} {line.days_overdue:>12}"
        )
    print(
        _("Overdue items by age: {buckets}").format(
            buckets=", ".join(f"{k}: {v}" for k, v in report.buckets.items())
        )
    )
    return 0
