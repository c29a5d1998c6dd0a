"""``actdesk schedule --json``: the window with recurrences expanded; bad input gets one clear line."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime, timedelta

from tests import factories
from tests.schedule.conftest import NY

from actdesk.cli import main
from actdesk.domain.enums import ActivityKind
from actdesk.domain.models import Activity
from actdesk.domain.schedule.occurrences import Occurrence
from actdesk.services.reminders import due_reminders
from actdesk.storage.repositories import activities as repo


def ny(*args: int) -> datetime:
    return datetime(*args, tzinfo=NY).astimezone(UTC)  # type: ignore[misc]


def test_schedule_json_lists_occurrences_with_recurrences(book, db_path, ny_settings, capsys) -> None:
    with book.session() as s:
        hid = factories.household(s, "Garcia household")
        series = repo.add(
            s,
            Activity(
                hid,
                ActivityKind.CALL,
                "Third-Monday call",
                start=ny(2026, 1, 19, 9),
                duration_minutes=30,
                rrule="FREQ=MONTHLY;BYDAY=+3MO",
            ),
            NY,
        )
        repo.mark_done(s, series, "ok", ny(2026, 2, 16, 9, 30), ny(2026, 2, 16, 9), NY)
        repo.add(s, Activity(hid, ActivityKind.TASK, "Send forms", due_date=date(2026, 3, 2)), NY)
    book.dispose()
    assert (
        main(["--db", str(db_path), "schedule", "--from", "2026-02-01", "--to", "2026-03-31", "--json"]) == 0
    )
    rows = json.loads(capsys.readouterr().out)
    assert [
        (r["activity_id"], r["household_id"], r["kind"], r["start"], r["subject"], r["done"]) for r in rows
    ] == [
        (series, hid, "call", "2026-02-16T09:00:00-05:00", "Third-Monday call", True),
        (2, hid, "task", None, "Send forms", False),
        (series, hid, "call", "2026-03-16T09:00:00-04:00", "Third-Monday call", False),
    ]
    assert rows[1]["due_date"] == "2026-03-02" and rows[0]["outcome"] == "ok"
    assert main(["--db", str(db_path), "schedule", "--from", "2026-02-01", "--to", "2026-03-31"]) == 0
    text = capsys.readouterr().out
    assert "Third-Monday call" in text and "[x] 2026-02-16 09:00" in text


def test_bad_dates_are_refused_with_one_line(book, db_path, capsys) -> None:
    book.dispose()
    assert main(["--db", str(db_path), "schedule", "--from", "2026-02-30", "--json"]) == 2
    assert capsys.readouterr().err.strip() == (
        "actdesk: --from: not a date: '2026-02-30' (use YYYY-MM-DD, e.g. 2026-03-31)"
    )
    assert main(["--db", str(db_path), "schedule", "--from", "2026-03-01", "--to", "2026-02-01"]) == 2
    assert "--to must not be before --from" in capsys.readouterr().err


def test_import_of_a_missing_file_is_one_line(book, db_path, tmp_path, capsys) -> None:
    book.dispose()
    assert main(["--db", str(db_path), "schedule", "import-ics", str(tmp_path / "nope.ics")]) == 2
    err = capsys.readouterr().err
    assert err.startswith("actdesk: cannot read") and "Traceback" not in err


def occ(start: datetime | None, done: bool = False, all_day: bool = False, key: int = 1) -> Occurrence:
    return Occurrence(
        key, 1, "call", "Call", start, 30, all_day=all_day, completed_at=start if done else None
    )


def test_reminders_fire_once_within_the_lead_time() -> None:
    now = datetime(2026, 3, 11, 14, tzinfo=UTC)
    items = [
        occ(now + timedelta(minutes=10), key=1),
        occ(now + timedelta(minutes=16), key=2),  # not yet
        occ(now + timedelta(minutes=5), done=True, key=3),
        occ(now - timedelta(minutes=1), key=4),  # already started
        occ(datetime(2026, 3, 11, tzinfo=UTC), all_day=True, key=5),
        occ(None, key=6),
        occ(now + timedelta(minutes=15), key=7),
    ]
    assert [(o.activity_id, m) for o, m in due_reminders(items, now, 15)] == [(1, 10), (7, 15)]
    assert [o.activity_id for o, _m in due_reminders(items, now, 15, shown={(1, None)})] == [7]
