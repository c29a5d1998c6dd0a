"""iCalendar export (valid RFC 5545, checked strictly) and import from Google, Outlook and Apple files."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import icalendar
import pytest
from tests import factories
from tests.schedule import ics_samples
from tests.schedule.conftest import NY

from actdesk.cli import main
from actdesk.domain.enums import ActivityKind
from actdesk.domain.models import Activity
from actdesk.services import ics
from actdesk.storage.open import open_book
from actdesk.storage.repositories import activities as repo

WINDOW = (datetime(2025, 12, 1, tzinfo=UTC), datetime(2026, 12, 31, tzinfo=UTC))
NOW = datetime(2026, 1, 1, 12, tzinfo=UTC)


def ny(*args: int) -> datetime:
    return datetime(*args, tzinfo=NY).astimezone(UTC)  # type: ignore[misc]


def fill(s) -> tuple[int, int]:
    a = factories.household(s, "Avery household")
    b = factories.household(s, "Brook household")
    series = repo.add(
        s,
        Activity(a, ActivityKind.CALL, "Weekly check-in with a rather long subject line — ñandú über café",
                 start=ny(2026, 1, 5, 10), duration_minutes=30, rrule="FREQ=WEEKLY;COUNT=6",
                 notes="Línea uno\nLínea dos, with commas; and semicolons", location="Zoom"),
        NY,
    )  # fmt: skip
    repo.skip_occurrence(s, series, ny(2026, 1, 12, 10), NY)
    repo.reschedule(s, series, ny(2026, 1, 20, 15), ny(2026, 1, 19, 10), NY)
    repo.mark_done(s, series, "Discussed the 529 plan", ny(2026, 1, 5, 10, 35), ny(2026, 1, 5, 10), NY)
    review = repo.add(
        s, Activity(b, ActivityKind.REVIEW, "Semi-annual review", start=ny(2026, 2, 28, 10), duration_minutes=90,
                    rrule="FREQ=MONTHLY;INTERVAL=6;BYMONTHDAY=28,29,30,31;BYSETPOS=-1"), NY,
    )  # fmt: skip
    repo.add(s, Activity(b, ActivityKind.TASK, "Send RMD forms", due_date=date(2026, 1, 9)), NY)
    repo.add(
        s,
        Activity(
            b, ActivityKind.EVENT, "Client brunch", start=datetime(2026, 2, 14, tzinfo=UTC), all_day=True
        ),
        NY,
    )
    return series, review


def snapshot(s) -> list[tuple]:
    return [
        (
            o.household_id,
            o.kind,
            o.start,
            o.due_date,
            o.all_day,
            o.subject,
            o.done,
            o.outcome,
            o.duration_minutes,
        )
        for o in repo.occurrences(s, *WINDOW, NY)
    ]


def test_export_is_valid_rfc5545(book) -> None:
    with book.session() as s:
        fill(s)
    with book.reader() as s:
        data = ics.export_calendar(s, NOW, NY)
    assert data.endswith(b"\r\n") and b"\n" not in data.replace(b"\r\n", b"")
    physical = data.split(b"\r\n")[:-1]
    assert max(len(line) for line in physical) <= 75
    assert any(line.startswith(b" ") for line in physical)  # the long subject was folded
    for line in physical:
        line.decode("utf-8")  # folding never splits a UTF-8 character
    cal = icalendar.Calendar.from_ical(data)
    assert str(cal["VERSION"]) == "2.0" and str(cal["PRODID"]).startswith("-//actdesk//")
    events = list(cal.walk("VEVENT"))
    assert len(events) == 5  # 3 activities + 2 changed occurrences; the task is a VTODO
    (todo,) = cal.walk("VTODO")
    assert todo.decoded("DUE") == date(2026, 1, 9) and "DTSTART" not in todo and "STATUS" not in todo
    for e in events:
        for prop in ("UID", "DTSTAMP", "DTSTART", "SUMMARY"):
            assert prop in e
    assert [tz["TZID"] for tz in cal.walk("VTIMEZONE")] == ["America/New_York"]
    series = next(e for e in events if "RRULE" in e and "EXDATE" in e)
    assert series["RRULE"].to_ical() == b"FREQ=WEEKLY;COUNT=6"
    assert series.decoded("DESCRIPTION") == "Línea uno\nLínea dos, with commas; and semicolons"
    assert sum("RECURRENCE-ID" in e for e in events) == 2


def test_export_parses_with_a_strict_parser(book) -> None:
    strict = pytest.importorskip("ical.calendar_stream")
    with book.session() as s:
        fill(s)
    with book.reader() as s:
        data = ics.export_calendar(s, NOW, NY)
    cal = strict.IcsCalendarStream.calendar_from_ics(data.decode("utf-8"))
    assert len(cal.events) == 5 and len(cal.todos) == 1
    assert {e.uid for e in cal.events} == {e.uid for e in cal.events if e.dtstamp is not None}


def add_tasks(s, hid: int) -> None:
    """A done task with a time, a weekly recurring task with a skip and a move, a timed task without length."""
    done = repo.add(s, Activity(hid, ActivityKind.TASK, "File the ADV", start=ny(2026, 3, 2, 9),
                                duration_minutes=60), NY)  # fmt: skip
    repo.mark_done(s, done, "Filed", datetime(2026, 3, 2, 15, 5, 7, tzinfo=UTC))
    weekly = repo.add(s, Activity(hid, ActivityKind.TASK, "Reconcile trades", start=ny(2026, 3, 6, 16),
                                  rrule="FREQ=WEEKLY;COUNT=4"), NY)  # fmt: skip
    repo.skip_occurrence(s, weekly, ny(2026, 3, 13, 16), NY)
    repo.reschedule(s, weekly, ny(2026, 3, 21, 10), ny(2026, 3, 20, 16), NY)
    repo.add(s, Activity(hid, ActivityKind.TASK, "Call back", start=ny(2026, 3, 4, 11)), NY)


def test_tasks_export_as_vtodo_and_come_back_as_tasks(book, tmp_path: Path) -> None:
    strict = pytest.importorskip("ical.calendar_stream")
    with book.session() as s:
        fill(s)
        add_tasks(s, 1)
    with book.reader() as s:
        data = ics.export_calendar(s, NOW, NY)
        before = snapshot(s)
    cal = strict.IcsCalendarStream.calendar_from_ics(data.decode("utf-8"))
    assert sorted(t.summary for t in cal.todos) == [
        "Call back", "File the ADV", "Reconcile trades", "Reconcile trades", "Send RMD forms"
    ]  # fmt: skip
    done = next(t for t in cal.todos if t.summary == "File the ADV")
    assert done.status == "COMPLETED" and done.completed == datetime(2026, 3, 2, 15, 5, 7, tzinfo=UTC)
    assert done.due == datetime(2026, 3, 2, 10, tzinfo=NY)
    parsed = icalendar.Calendar.from_ical(data)
    weekly = next(t for t in parsed.walk("VTODO") if "RRULE" in t)
    assert "EXDATE" in weekly and "DTSTART" in weekly
    assert not any("BEGIN:VEVENT" in chunk and "Reconcile" in chunk for chunk in data.decode().split("END:"))
    fresh = open_book(tmp_path / "fresh.db")
    try:
        with fresh.session() as s:
            factories.household(s, "Avery household")
            factories.household(s, "Brook household")
        with fresh.session() as s:
            plan = ics.preview(s, data, NY)
            assert plan.problems == []
            ics.apply(s, plan, NY)
        with fresh.reader() as s:
            assert snapshot(s) == before
            kinds = {o.subject: o.kind for o in repo.occurrences(s, *WINDOW, NY)}
            assert kinds["File the ADV"] == kinds["Reconcile trades"] == kinds["Call back"] == "task"
    finally:
        fresh.dispose()


def test_round_trip_into_a_fresh_book_gives_the_same_occurrences(book, tmp_path: Path) -> None:
    with book.session() as s:
        fill(s)
    with book.reader() as s:
        data = ics.export_calendar(s, NOW, NY)
        before = snapshot(s)
    fresh = open_book(tmp_path / "fresh.db")
    try:
        with fresh.session() as s:
            factories.household(s, "Avery household")
            factories.household(s, "Brook household")
        with fresh.session() as s:
            plan = ics.preview(s, data, NY)
            assert plan.problems == []
            assert ics.apply(s, plan, NY) == ics.ImportResult(created=4, updated=0)
        with fresh.reader() as s:
            assert snapshot(s) == before
        with fresh.session() as s:  # importing the same file again replaces, never duplicates
            assert ics.apply(s, ics.preview(s, data, NY), NY) == ics.ImportResult(created=0, updated=4)
        with fresh.reader() as s:
            assert snapshot(s) == before
    finally:
        fresh.dispose()


def test_google_export_with_exdate_and_moved_occurrence(book) -> None:
    with book.session() as s:
        hid = factories.household(s)
        factories.contact(s, hid, email="Ann@Example.com")
        plan = ics.preview(s, ics_samples.GOOGLE.encode(), NY)
        assert [p.where for p in plan.problems] == ["Client appreciation brunch"]
        assert "no household" in plan.problems[0].message
        plan = ics.preview(s, ics_samples.GOOGLE.encode(), NY, household_id=hid)
        assert plan.problems == []
        ics.apply(s, plan, NY)
        found = repo.occurrences(s, *WINDOW, NY)
    la = ZoneInfo("America/Los_Angeles")
    weekly = [o for o in found if o.recurring]
    assert [o.start.astimezone(la).replace(tzinfo=None) for o in weekly] == [  # type: ignore[union-attr]
        datetime(2026, 1, 5, 9),
        datetime(2026, 1, 20, 14),
        datetime(2026, 1, 26, 9),
    ]
    assert weekly[1].subject == "Check-in with Ann (moved)"
    assert weekly[0].notes == "Monday check-in, portfolio questions" and weekly[0].duration_minutes == 30
    assert weekly[0].contact_id is None  # --household given: the household is the advisor's choice
    brunch = next(o for o in found if not o.recurring)
    assert brunch.all_day and brunch.day(NY) == date(2026, 2, 14) and brunch.kind == "event"


def test_google_attendee_email_links_the_household(book) -> None:
    with book.session() as s:
        hid = factories.household(s)
        cid = factories.contact(s, hid, email="ann@example.com")
        plan = ics.preview(s, ics_samples.GOOGLE.encode(), NY)
    assert len(plan.items) == 1 and plan.items[0].activity.household_id == hid
    assert plan.items[0].activity.contact_id == cid
    assert [p.where for p in plan.problems] == ["Client appreciation brunch"]


def test_outlook_file_with_windows_time_zone(book) -> None:
    data = ics_samples.OUTLOOK.replace("\n", "\r\n").encode()
    with book.session() as s:
        hid = factories.household(s)
        plan = ics.preview(s, data, NY, household_id=hid)
        assert plan.problems == []
        ics.apply(s, plan, NY)
        found = repo.occurrences(s, *WINDOW, NY)
    la = ZoneInfo("America/Los_Angeles")
    assert [o.start.astimezone(la).replace(tzinfo=None) for o in found] == [  # type: ignore[union-attr]
        datetime(2026, 3, 16, 10),
        datetime(2026, 4, 20, 10),
        datetime(2026, 5, 18, 10),
    ]  # third Mondays, 10:00 Pacific on both sides of the DST change
    assert found[0].location == "Office - Conference room B" and found[0].duration_minutes == 60
    assert "the 2026 RMD" in (found[0].notes or "") and found[0].kind == "meeting"


def test_apple_file(book) -> None:
    with book.session() as s:
        hid = factories.household(s)
        ics.apply(s, ics.preview(s, ics_samples.APPLE.encode(), NY, household_id=hid), NY)
        (call,) = repo.occurrences(s, *WINDOW, NY)
    assert call.start == datetime(2026, 4, 2, 14, tzinfo=UTC) and call.subject == "Estate planning call"


def test_invisible_characters_of_another_program_are_taken_out_not_refused(book) -> None:
    """Outlook writes a vertical tab for a line break, and a stray control character or a bidi override
    can ride along in a title: the book refuses those when typed (storage/text_guard.py), so an import
    takes them out instead of failing the whole calendar at the end."""
    data = ics_samples.APPLE.replace("Estate planning call", "Estate\x01 planning\u202e call").replace(
        "END:VEVENT", "DESCRIPTION:first line\x0bsecond line\nEND:VEVENT", 1
    )
    with book.session() as s:
        hid = factories.household(s)
        plan = ics.preview(s, data.encode(), NY, household_id=hid)
        assert plan.problems == []
        ics.apply(s, plan, NY)
        (call,) = repo.occurrences(s, *WINDOW, NY)
    assert call.subject == "Estate planning call"
    assert call.notes == "first line\nsecond line"


def test_bad_file_preview_lists_each_problem_and_writes_nothing(book) -> None:
    with book.session() as s:
        hid = factories.household(s)
        plan = ics.preview(s, ics_samples.BAD.encode(), NY, household_id=hid)
        assert [p.line for p in plan.problems] == [15, 21, 28, 31]
        assert [p.where for p in plan.problems] == [
            "Has a broken line", "Bad start date", "Bad rule", "Moved occurrence of an unknown series",
        ]  # fmt: skip
        assert [i.activity.subject for i in plan.items] == ["Good meeting"]
        with pytest.raises(ics.PartialImportRefused):
            ics.apply(s, plan, NY)
        assert repo.occurrences(s, *WINDOW, NY) == []


def test_not_a_calendar(book) -> None:
    with book.session() as s:
        plan = ics.preview(s, b"Name,Date\nAnn,2026-01-01\n", NY)
    assert len(plan.problems) == 1 and "not an iCalendar file" in plan.problems[0].message


def test_cli_import_refuses_then_accepts_a_partial_file(book, db_path, tmp_path, ny_settings, capsys) -> None:
    with book.session() as s:
        factories.household(s)
    book.dispose()
    path = tmp_path / "bad.ics"
    path.write_text(ics_samples.BAD, encoding="utf-8")
    args = ["--db", str(db_path), "schedule", "import-ics", str(path), "--household", "1"]
    assert main(args) == 2
    captured = capsys.readouterr()
    # The report (each problem with its line) on stdout; the refusal is one line on stderr (exit 2).
    assert captured.out.count("bad.ics: line ") == 4
    err = captured.err.strip().splitlines()
    assert len(err) == 1 and "nothing was imported" in err[0] and "--accept-partial" in err[0]
    assert main([*args, "--json"]) == 2
    captured = capsys.readouterr()
    assert len(json.loads(captured.out)["problems"]) == 4 and len(captured.err.strip().splitlines()) == 1
    assert (
        main(["--db", str(db_path), "schedule", "--from", "2026-01-01", "--to", "2026-01-31", "--json"]) == 0
    )
    assert json.loads(capsys.readouterr().out) == []
    assert main([*args, "--accept-partial", "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["created"] == 1 and len(out["problems"]) == 4
    assert (
        main(["--db", str(db_path), "schedule", "--from", "2026-01-01", "--to", "2026-01-31", "--json"]) == 0
    )
    assert [r["subject"] for r in json.loads(capsys.readouterr().out)] == ["Good meeting"]


def test_cli_export_one_household(book, db_path, tmp_path, ny_settings, capsys) -> None:
    with book.session() as s:
        fill(s)
    book.dispose()
    target = tmp_path / "brook.ics"
    assert main(["--db", str(db_path), "schedule", "export-ics", str(target), "--household", "2"]) == 0
    assert "3 calendar entries" in capsys.readouterr().out
    cal = icalendar.Calendar.from_ical(target.read_bytes())
    assert {str(e["SUMMARY"]) for e in cal.walk() if e.name in ("VEVENT", "VTODO")} == {
        "Semi-annual review",
        "Send RMD forms",
        "Client brunch",
    }
    assert main(["--db", str(db_path), "schedule", "export-ics", str(target), "--household", "99"]) == 2
    assert "99" in capsys.readouterr().err  # one line naming the missing household (cli validation layer)


TODO_AND_CANCELLED = """BEGIN:VCALENDAR
VERSION:2.0
PRODID:-//Example//Tasks//EN
BEGIN:VTODO
UID:todo-1
DTSTAMP:20260101T000000Z
DUE;VALUE=DATE:20260120
SUMMARY:Collect the signed IPS
END:VTODO
BEGIN:VEVENT
UID:weekly-1
DTSTAMP:20260101T000000Z
DTSTART:20260105T150000Z
DURATION:PT30M
RRULE:FREQ=WEEKLY;COUNT=3
SUMMARY:Weekly call
END:VEVENT
BEGIN:VEVENT
UID:weekly-1
DTSTAMP:20260101T000000Z
RECURRENCE-ID:20260112T150000Z
DTSTART:20260112T150000Z
STATUS:CANCELLED
SUMMARY:Weekly call
END:VEVENT
END:VCALENDAR
"""


def test_todo_becomes_a_task_and_a_cancelled_occurrence_is_skipped(book) -> None:
    with book.session() as s:
        hid = factories.household(s)
        plan = ics.preview(s, TODO_AND_CANCELLED.encode(), NY, household_id=hid)
        assert plan.problems == []
        ics.apply(s, plan, NY)
        found = repo.occurrences(s, *WINDOW, NY)
    assert [(o.kind, o.subject, o.start, o.due_date) for o in found] == [
        ("meeting", "Weekly call", datetime(2026, 1, 5, 15, tzinfo=UTC), None),
        ("meeting", "Weekly call", datetime(2026, 1, 19, 15, tzinfo=UTC), None),
        ("task", "Collect the signed IPS", None, date(2026, 1, 20)),
    ]
    assert found[0].duration_minutes == 30


def test_cli_household_flag_before_or_after_the_action(book, db_path, tmp_path, ny_settings, capsys) -> None:
    with book.session() as s:
        fill(s)
    book.dispose()
    before, after = tmp_path / "before.ics", tmp_path / "after.ics"
    assert main(["--db", str(db_path), "schedule", "--household", "2", "export-ics", str(before)]) == 0
    assert main(["--db", str(db_path), "schedule", "export-ics", str(after), "--household", "2"]) == 0
    capsys.readouterr()
    for target in (before, after):
        cal = icalendar.Calendar.from_ical(target.read_bytes())
        summaries = {str(c["SUMMARY"]) for c in cal.walk() if c.name in ("VEVENT", "VTODO")}
        assert summaries == {"Semi-annual review", "Send RMD forms", "Client brunch"}
    assert main(["--db", str(db_path), "schedule", "--household", "99", "export-ics", str(before)]) == 2
    assert "99" in capsys.readouterr().err  # one line naming the missing household (cli validation layer)
    assert main(["--db", str(db_path), "schedule", "--json", "service-level", "--as-of", "2026-01-10"]) == 0
    assert "aging_buckets" in json.loads(capsys.readouterr().out)
