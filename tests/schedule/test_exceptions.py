"""Skipped and moved occurrences, done one by one, and how they survive edits of their series."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
from tests import factories
from tests.schedule.conftest import NY

from actdesk.domain.enums import ActivityKind
from actdesk.domain.models import Activity
from actdesk.storage.errors import ValidationError
from actdesk.storage.repositories import activities as repo


def ny(*args: int) -> datetime:
    return datetime(*args, tzinfo=NY).astimezone(UTC)  # type: ignore[misc]


JAN = (ny(2026, 1, 1), ny(2026, 3, 1))


def weekly(s, household_id: int, **extra) -> int:
    return repo.add(
        s,
        Activity(
            household_id,
            ActivityKind.CALL,
            "Weekly check-in",
            start=ny(2026, 1, 5, 10),
            duration_minutes=30,
            rrule="FREQ=WEEKLY;COUNT=6",
            **extra,
        ),
        NY,
    )


def starts(s) -> list[datetime]:
    return [o.start.astimezone(NY).replace(tzinfo=None) for o in repo.occurrences(s, *JAN, NY)]  # type: ignore[union-attr]


def test_skip_move_and_done_one_occurrence(book) -> None:
    with book.session() as s:
        series = weekly(s, factories.household(s))
        repo.skip_occurrence(s, series, ny(2026, 1, 12, 10), NY)
        repo.reschedule(s, series, ny(2026, 1, 20, 15), ny(2026, 1, 19, 10), NY)
        repo.mark_done(s, series, " Talked about the 529 ", ny(2026, 1, 5, 10, 40), ny(2026, 1, 5, 10), NY)
    with book.reader() as s:
        found = repo.occurrences(s, *JAN, NY)
        assert [o.start.astimezone(NY).replace(tzinfo=None) for o in found] == [  # type: ignore[union-attr]
            datetime(2026, 1, 5, 10),
            datetime(2026, 1, 20, 15),
            datetime(2026, 1, 26, 10),
            datetime(2026, 2, 2, 10),
            datetime(2026, 2, 9, 10),
        ]
        assert [o.done for o in found] == [True, False, False, False, False]
        assert found[0].outcome == "Talked about the 529"
        assert found[1].original_start == ny(2026, 1, 19, 10)


def test_an_occurrence_moved_into_the_window_appears_and_one_moved_out_does_not(book) -> None:
    with book.session() as s:
        series = weekly(s, factories.household(s))
        repo.reschedule(s, series, ny(2026, 3, 20, 9), ny(2026, 1, 5, 10), NY)
    with book.reader() as s:
        january = repo.occurrences(s, ny(2026, 1, 5), ny(2026, 1, 6), NY)
        march = repo.occurrences(s, ny(2026, 3, 20), ny(2026, 3, 21), NY)
    assert january == []
    assert [o.original_start for o in march] == [ny(2026, 1, 5, 10)]


def test_exceptions_survive_edits_of_the_series(book) -> None:
    with book.session() as s:
        series = weekly(s, factories.household(s))
        repo.skip_occurrence(s, series, ny(2026, 1, 12, 10), NY)
        repo.reschedule(s, series, ny(2026, 1, 20, 15), ny(2026, 1, 19, 10), NY)
        repo.mark_done(s, series, "done", ny(2026, 1, 5, 11), ny(2026, 1, 5, 10), NY)
        # Retitle, then move the whole series to 11:30 with a longer slot.
        assert repo.update(s, series, NY, subject="Weekly call") == []
        assert repo.update(s, series, NY, start=ny(2026, 1, 5, 11, 30), duration_minutes=45) == []
    with book.reader() as s:
        found = repo.occurrences(s, *JAN, NY)
    local = [o.start.astimezone(NY).replace(tzinfo=None) for o in found]  # type: ignore[union-attr]
    assert local == [
        datetime(2026, 1, 5, 10),  # done before the edit: stays where it happened
        datetime(2026, 1, 20, 15),  # moved by hand: stays moved
        datetime(2026, 1, 26, 11, 30),
        datetime(2026, 2, 2, 11, 30),
        datetime(2026, 2, 9, 11, 30),
    ]
    assert all(o.subject == "Weekly call" for o in found)
    assert found[0].done and found[0].outcome == "done"
    assert datetime(2026, 1, 12, 11, 30) not in local  # the skip followed its occurrence


def test_an_exception_whose_occurrence_disappears_is_detached_not_lost(book) -> None:
    with book.session() as s:
        hid = factories.household(s)
        series = weekly(s, hid)
        repo.reschedule(s, series, ny(2026, 1, 13, 16), ny(2026, 1, 12, 10), NY)
        repo.skip_occurrence(s, series, ny(2026, 1, 26, 10), NY)
        detached = repo.update(s, series, NY, rrule="FREQ=WEEKLY;INTERVAL=2;COUNT=3")
        assert len(detached) == 1
        one_off = repo.get(s, detached[0])
    assert one_off.rrule is None and one_off.start == ny(2026, 1, 13, 16) and one_off.household_id == hid
    with book.reader() as s:
        local = [o.start.astimezone(NY).replace(tzinfo=None) for o in repo.occurrences(s, *JAN, NY)]  # type: ignore[union-attr]
    assert local == [
        datetime(2026, 1, 5, 10),
        datetime(2026, 1, 13, 16),
        datetime(2026, 1, 19, 10),
        datetime(2026, 2, 2, 10),
    ]


def test_one_off_done_and_rescheduled(book) -> None:
    with book.session() as s:
        hid = factories.household(s)
        a = repo.add(
            s, Activity(hid, ActivityKind.MEETING, "Plan", start=ny(2026, 1, 7, 9), duration_minutes=60), NY
        )
        task = repo.add(s, Activity(hid, ActivityKind.TASK, "Send forms", due_date=date(2026, 1, 9)), NY)
        repo.reschedule(s, a, ny(2026, 1, 8, 14), tz=NY)
        repo.mark_done(s, task, "sent", ny(2026, 1, 8, 12))
    with book.reader() as s:
        found = repo.occurrences(s, *JAN, NY)
    assert [(o.subject, o.day(NY), o.done) for o in found] == [
        ("Plan", date(2026, 1, 8), False),
        ("Send forms", date(2026, 1, 9), True),
    ]


def test_bad_activities_and_bad_occurrences_are_refused(book) -> None:
    with book.session() as s:
        hid = factories.household(s)
        series = weekly(s, hid)
        with pytest.raises(ValidationError, match="subject"):
            repo.add(s, Activity(hid, ActivityKind.CALL, "  ", start=ny(2026, 1, 5, 10)), NY)
        with pytest.raises(ValidationError, match="rrule"):
            repo.add(
                s, Activity(hid, ActivityKind.CALL, "x", start=ny(2026, 1, 5, 10), rrule="FREQ=SOMETIMES"), NY
            )
        with pytest.raises(ValidationError, match="start"):
            repo.add(s, Activity(hid, ActivityKind.CALL, "x"), NY)
        with pytest.raises(ValidationError, match="no occurrence"):
            repo.skip_occurrence(s, series, ny(2026, 1, 6, 10), NY)
        with pytest.raises(ValidationError, match="which occurrence"):
            repo.reschedule(s, series, ny(2026, 1, 6, 10), tz=NY)
    with book.reader() as s:
        assert len(repo.occurrences(s, *JAN, NY)) == 6


def test_window_query_reads_only_its_window(book) -> None:
    with book.session() as s:
        hid = factories.household(s)
        for day in range(0, 400, 3):
            repo.add(
                s,
                Activity(hid, ActivityKind.CALL, f"c{day}", start=ny(2025, 6, 1, 9) + timedelta(days=day)),
                NY,
            )
        ended = repo.add(
            s,
            Activity(
                hid, ActivityKind.CALL, "old series", start=ny(2024, 1, 1, 9), rrule="FREQ=DAILY;COUNT=3"
            ),
            NY,
        )
        repo.add(
            s, Activity(hid, ActivityKind.REVIEW, "review", start=ny(2024, 3, 1, 9), rrule="FREQ=MONTHLY"), NY
        )
    with book.reader() as s:
        found = repo.occurrences(s, ny(2026, 2, 1), ny(2026, 3, 1), NY)
        assert ended not in {o.activity_id for o in found}
        assert sum(o.subject == "review" for o in found) == 1
        assert all(ny(2026, 2, 1) <= o.start < ny(2026, 3, 1) for o in found)  # type: ignore[operator]
        plan = (
            s.connection()
            .exec_driver_sql(
                "EXPLAIN QUERY PLAN SELECT id FROM activities WHERE series_end IS NULL AND start >= ? AND start < ?",
                ("2026", "2027"),
            )
            .all()
        )
    assert "ix_activities" in " ".join(str(row) for row in plan)


def test_a_series_inserted_around_the_repository_still_expands(book) -> None:
    """Book imports and the demo generator insert rows directly; a trigger keeps their series visible."""
    from sqlalchemy import insert

    from actdesk.storage.tables.book import ActivityRow

    with book.session() as s:
        hid = factories.household(s)
        s.execute(
            insert(ActivityRow),
            [
                {
                    "household_id": hid,
                    "kind": "call",
                    "subject": "Bulk series",
                    "start": ny(2025, 1, 6, 9),
                    "rrule": "FREQ=MONTHLY;BYDAY=+1MO",
                }
            ],
        )
    with book.reader() as s:
        found = repo.occurrences(s, *JAN, NY)
    assert [o.start.astimezone(NY).date() for o in found] == [date(2026, 1, 5), date(2026, 2, 2)]  # type: ignore[union-attr]
