"""Every real calendar fixture imports with the same occurrences as ``recurring-ical-events``, instant for
instant, over 800 days from the file's first event.

The fixtures (tests/schedule/calendars/, see the README there) come from the test suites of
python-recurring-ical-events and icalendar: Google, Exchange, CDO, SabreDAV, Thunderbird files with DST
changes, UTC anchors, EXDATE in UTC, moved occurrences, RDATE and multi-day all-day events.
"""

from __future__ import annotations

import json
import re
from collections import Counter
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import icalendar
import pytest
import recurring_ical_events
from tests import factories
from tests.schedule.conftest import NY

from actdesk.services import ics
from actdesk.storage.repositories import activities as repo

CALENDARS = Path(__file__).parent / "calendars"
FIXTURES = sorted(p for p in CALENDARS.glob("*.ics") if p.name != "no_events.ics")
DAYS = 800


def _key(value: date | datetime) -> tuple[str, Any]:
    if not isinstance(value, datetime):
        return ("day", value)
    if value.tzinfo is None:
        value = value.replace(tzinfo=NY)  # floating times are the advisor's
    return ("at", value.astimezone(UTC))


def _first_start(cal: icalendar.Calendar) -> datetime:
    starts = []
    for c in cal.walk():
        if c.name in ("VEVENT", "VTODO") and c.get("DTSTART") is not None:
            starts.append(_key(c.decoded("DTSTART")))
    instants = [
        v if kind == "at" else datetime.combine(v, datetime.min.time(), tzinfo=UTC) for kind, v in starts
    ]
    return min(instants) - timedelta(days=1)


def expected(data: bytes, lo: datetime, hi: datetime) -> Counter[tuple[str, tuple[str, Any]]]:
    # The oracle refuses Microsoft CDO's "BYDAY=MO, TU" (we read it): it gets the same rule without spaces.
    data = re.sub(rb"(BYDAY=[^;\r\n]*)", lambda m: m.group(1).replace(b", ", b","), data)
    cal = icalendar.Calendar.from_ical(data)
    found: Counter[tuple[str, tuple[str, Any]]] = Counter()
    for c in recurring_ical_events.of(cal, components=["VEVENT"]).between(lo - timedelta(days=2), hi):
        if str(c.get("STATUS", "")).upper() == "CANCELLED":
            continue
        kind, value = _key(c.decoded("DTSTART"))
        instant = value if kind == "at" else datetime.combine(value, datetime.min.time(), tzinfo=UTC)
        if lo <= instant < hi:
            found[(str(c.get("SUMMARY") or "").strip() or "(no title)", (kind, value))] += 1
    return found


def ours(s: Any, lo: datetime, hi: datetime) -> Counter[tuple[str, tuple[str, Any]]]:
    found: Counter[tuple[str, tuple[str, Any]]] = Counter()
    for o in repo.occurrences(s, lo, hi, NY):
        if o.kind == "task" or o.start is None:
            continue
        value: date | datetime = o.start.date() if o.all_day else o.start
        found[(o.subject, _key(value))] += 1
    return found


@pytest.mark.parametrize("path", FIXTURES, ids=[p.stem for p in FIXTURES])
def test_occurrences_equal_recurring_ical_events(book, path: Path) -> None:
    data = path.read_bytes()
    lo = _first_start(icalendar.Calendar.from_ical(data))
    hi = lo + timedelta(days=DAYS)
    with book.session() as s:
        hid = factories.household(s, "Fixture household")
        plan = ics.preview(s, data, NY, hid)
        assert [str(p) for p in plan.problems] == []
        ics.apply(s, plan, NY)
    with book.reader() as s:
        got = ours(s, lo, hi)
    want = expected(data, lo, hi)
    assert sum(want.values()) > 0
    assert got - want == Counter() and want - got == Counter(), (
        sorted(got - want)[:5],
        sorted(want - got)[:5],
    )


@pytest.mark.parametrize("path", FIXTURES, ids=[p.stem for p in FIXTURES])
def test_exported_calendar_has_the_same_occurrences(book, path: Path) -> None:
    """What we write is read by the oracle (and the strict ``ical`` parser) as the same occurrences."""
    strict = pytest.importorskip("ical.calendar_stream")
    data = path.read_bytes()
    lo = _first_start(icalendar.Calendar.from_ical(data))
    hi = lo + timedelta(days=DAYS)
    with book.session() as s:
        hid = factories.household(s, "Fixture household")
        ics.apply(s, ics.preview(s, data, NY, hid), NY)
    with book.reader() as s:
        exported = ics.export_calendar(s, datetime(2026, 1, 1, tzinfo=UTC), NY)
        got = ours(s, lo, hi)
    strict.IcsCalendarStream.calendar_from_ics(exported.decode("utf-8"))
    assert expected(exported, lo, hi) == got


def test_an_empty_calendar_says_nothing_found(book, db_path, tmp_path, capsys) -> None:
    from actdesk.cli import main

    with book.session() as s:
        factories.household(s, "Fixture household")
    book.dispose()
    empty = CALENDARS / "no_events.ics"
    assert main(["--db", str(db_path), "schedule", "import-ics", str(empty), "--household", "1"]) == 0
    assert "Nothing found" in capsys.readouterr().out
    assert (
        main(["--db", str(db_path), "schedule", "import-ics", str(empty), "--household", "1", "--json"]) == 0
    )
    summary = json.loads(capsys.readouterr().out)
    assert (summary["entries"], summary["created"], summary["problems"]) == (0, 0, [])


def test_a_bare_vevent_is_read(book, tmp_path) -> None:
    """Some mail programs attach a single VEVENT without its VCALENDAR: one event, nothing ambiguous."""
    bare = (
        "BEGIN:VEVENT\r\nUID:bare-1@example.com\r\nDTSTAMP:20260101T120000Z\r\n"
        "DTSTART;TZID=Europe/Madrid:20260315T183000\r\nDTEND;TZID=Europe/Madrid:20260315T193000\r\n"
        "RRULE:FREQ=WEEKLY;COUNT=3\r\nSUMMARY:Seminario\r\nEND:VEVENT\r\n"
    )
    with book.session() as s:
        hid = factories.household(s, "Fixture household")
        plan = ics.preview(s, bare.encode(), NY, hid)
        assert plan.problems == [] and plan.entries == 1
        ics.apply(s, plan, NY)
    with book.reader() as s:
        starts = [
            o.start
            for o in repo.occurrences(
                s, datetime(2026, 3, 1, tzinfo=UTC), datetime(2026, 5, 1, tzinfo=UTC), NY
            )
        ]
    madrid = ZoneInfo("Europe/Madrid")
    # 18:30 in Madrid each week, across Madrid's DST change on 29 March (and New York's on 8 March).
    assert starts == [datetime(2026, 3, d, 18, 30, tzinfo=madrid).astimezone(UTC) for d in (15, 22, 29)]


def test_a_multi_day_all_day_event_keeps_its_length(book) -> None:
    data = (CALENDARS / "machbar_16_feb_2019.ics").read_bytes()
    with book.session() as s:
        hid = factories.household(s, "Fixture household")
        ics.apply(s, ics.preview(s, data, NY, hid), NY)
    with book.reader() as s:
        [occ] = [
            o
            for o in repo.occurrences(
                s, datetime(2017, 10, 1, tzinfo=UTC), datetime(2017, 10, 31, tzinfo=UTC), NY
            )
            if o.all_day and o.start == datetime(2017, 10, 7, tzinfo=UTC)
        ]
        assert occ.end == datetime(2017, 10, 23, tzinfo=UTC)  # DTEND is exclusive: 7 to 22 October
        exported = icalendar.Calendar.from_ical(ics.export_calendar(s, datetime(2026, 1, 1, tzinfo=UTC), NY))
    [event] = [e for e in exported.walk("VEVENT") if e.decoded("DTSTART") == date(2017, 10, 7)]
    assert event.decoded("DTEND") == date(2017, 10, 23)


def test_series_keep_their_zone_and_exchange_zones_map_to_iana(book) -> None:
    from actdesk.services.ics_zones import windows_zone

    assert windows_zone("W. Europe Standard Time") == "Europe/Berlin"
    assert windows_zone("Eastern Standard Time") == "America/New_York"
    assert windows_zone("Romance Standard Time") == "Europe/Paris"
    zones = {}
    for name in ("issue_48_dst", "each_week_but_two_deleted", "icalendar_issue_165_missing_event", "rdate"):
        with book.session() as s:
            hid = factories.household(s, name)
            for item in ics.preview(s, (CALENDARS / f"{name}.ics").read_bytes(), NY, hid).items:
                if item.activity.rrule:
                    zones[name] = item.activity.time_zone
    assert zones["issue_48_dst"] == "America/Chicago"
    assert zones["each_week_but_two_deleted"] == "Europe/Berlin"
    assert zones["rdate"] == "UTC"  # anchored in UTC: the same instant every day, whatever NY's DST
    # Microsoft CDO's home-made "GMT +0100 (Standard) / GMT +0200 (Daylight)" matched to a zone with its rules.
    cdo = ZoneInfo(zones["icalendar_issue_165_missing_event"] or "UTC")
    assert datetime(2015, 7, 3, 10, tzinfo=cdo).utcoffset() == timedelta(hours=2)
    assert datetime(2015, 12, 3, 10, tzinfo=cdo).utcoffset() == timedelta(hours=1)


def test_until_of_the_wrong_type_is_normalised_on_export(book) -> None:
    """UNTIL as a DATE under a DATE-TIME start (and the reverse, Exchange's all-day series) is written the way
    the strict ``ical`` parser demands, with the same occurrences."""
    strict = pytest.importorskip("ical.calendar_stream")
    mixed = (
        b"BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//x//y//EN\r\n"
        b"BEGIN:VEVENT\r\nUID:until-date@example.com\r\nDTSTAMP:20260101T120000Z\r\n"
        b"DTSTART;TZID=America/New_York:20260302T090000\r\nRRULE:FREQ=WEEKLY;UNTIL=20260323\r\n"
        b"SUMMARY:Weekly call\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n"
    )
    for data in (mixed, (CALENDARS / "issue_28_rrule_with_UTC_endinginZ.ics").read_bytes()):
        with book.session() as s:
            hid = factories.household(s, "Fixture household")
            ics.apply(s, ics.preview(s, data, NY, hid), NY)
    with book.reader() as s:
        exported = ics.export_calendar(s, datetime(2026, 1, 1, tzinfo=UTC), NY)
        got = ours(s, datetime(2020, 1, 1, tzinfo=UTC), datetime(2026, 12, 31, tzinfo=UTC))
    strict.IcsCalendarStream.calendar_from_ics(exported.decode("utf-8"))
    assert b"UNTIL=20260324T035959Z" in exported.replace(b"\r\n ", b"")
    assert b"UNTIL=20200916;" in exported.replace(b"\r\n ", b"") or b"UNTIL=20200916\r\n" in exported
    assert expected(exported, datetime(2020, 1, 1, tzinfo=UTC), datetime(2026, 12, 31, tzinfo=UTC)) == got
    weekly = sorted(v for (subject, (_k, v)) in got if subject == "Weekly call")
    assert [d.astimezone(NY).day for d in weekly] == [2, 9, 16, 23]


def test_a_file_that_is_not_a_calendar_is_refused_with_one_line(book, db_path, tmp_path, capsys) -> None:
    from actdesk.cli import main

    with book.session() as s:
        factories.household(s, "Fixture household")
    book.dispose()
    text = tmp_path / "notes.ics"
    text.write_text("Meeting with Ann on Tuesday\n", encoding="utf-8")
    assert main(["--db", str(db_path), "schedule", "import-ics", str(text), "--household", "1"]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and "not an iCalendar file" in err[0]
