"""Editing from one occurrence: only this one, this and following (RFC 5545 split), or the whole series."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from tests import factories
from tests.schedule.conftest import NY

from actdesk.domain.enums import ActivityKind
from actdesk.domain.models import Activity
from actdesk.domain.schedule import recurrence
from actdesk.storage.errors import ValidationError
from actdesk.storage.repositories import activities as repo
from actdesk.storage.repositories.activity_series import Scope, edit

WINDOW = (datetime(2026, 1, 1, tzinfo=UTC), datetime(2026, 12, 31, tzinfo=UTC))


def ny(*args: int) -> datetime:
    return datetime(*args, tzinfo=NY).astimezone(UTC)  # type: ignore[misc]


def weekly(s, count: int | None = 6) -> int:
    """Mondays 10:00 New York from Jan 5; Jan 12 skipped, Jan 26 moved to Tuesday 15:00, Feb 2 done."""
    hid = factories.household(s)
    rule = "FREQ=WEEKLY" + (f";COUNT={count}" if count else "")
    aid = repo.add(s, Activity(hid, ActivityKind.CALL, "Weekly call", start=ny(2026, 1, 5, 10),
                               duration_minutes=30, rrule=rule, location="Zoom"), NY)  # fmt: skip
    repo.skip_occurrence(s, aid, ny(2026, 1, 12, 10), NY)
    repo.reschedule(s, aid, ny(2026, 1, 27, 15), ny(2026, 1, 26, 10), NY)
    repo.mark_done(s, aid, "Talked", ny(2026, 2, 2, 10, 40), ny(2026, 2, 2, 10), NY)
    return aid


def calendar(s) -> list[tuple[int, datetime | None, str, bool]]:
    return [(o.activity_id, o.start, o.subject, o.done) for o in repo.occurrences(s, *WINDOW, NY)]


def test_split_rule_keeps_the_count() -> None:
    left, right = recurrence.split_rule("FREQ=WEEKLY;COUNT=6", ny(2026, 1, 5, 10), ny(2026, 1, 19, 10), NY)
    assert left == "FREQ=WEEKLY;UNTIL=20260119T145959Z" and right == "FREQ=WEEKLY;COUNT=4"
    left, right = recurrence.split_rule("FREQ=DAILY", ny(2026, 1, 5, 10), ny(2026, 1, 8, 10), NY)
    assert left == "FREQ=DAILY;UNTIL=20260108T145959Z" and right == "FREQ=DAILY"


def test_only_this_one_changes_one_occurrence(book) -> None:
    with book.session() as s:
        aid = weekly(s)
        edit(s, aid, {"subject": "Call about the trust", "start": ny(2026, 1, 19, 11)}, Scope.THIS,
             ny(2026, 1, 19, 10), ny(2026, 1, 19, 10), NY)  # fmt: skip
        found = calendar(s)
    assert (aid, ny(2026, 1, 19, 11), "Call about the trust", False) in found
    assert sum(subject == "Weekly call" for _i, _s, subject, _d in found) == 4  # 6 - 1 skipped - 1 edited


def test_only_this_one_refuses_series_changes(book) -> None:
    with book.session() as s:
        aid = weekly(s)
        before = calendar(s)
        with pytest.raises(ValidationError) as raised:
            edit(s, aid, {"kind": ActivityKind.MEETING}, Scope.THIS, ny(2026, 1, 19, 10), None, NY)
        assert raised.value.errors[0][0] == "kind"
        assert calendar(s) == before


def test_this_and_following_splits_with_until_and_carries_exceptions(book) -> None:
    with book.session() as s:
        aid = weekly(s)
        new_id = edit(s, aid, {"start": ny(2026, 1, 19, 14), "location": "Office"}, Scope.FOLLOWING,
                      ny(2026, 1, 19, 10), ny(2026, 1, 19, 10), NY)  # fmt: skip
        old, new = repo.get(s, aid), repo.get(s, new_id)
        found = calendar(s)
        moved = repo.overrides_for(s, [aid, new_id])
    assert old.rrule == "FREQ=WEEKLY;UNTIL=20260119T145959Z"
    assert new.rrule == "FREQ=WEEKLY;COUNT=4" and new.start == ny(2026, 1, 19, 14) and new.uid != old.uid
    assert new.location == "Office" and old.location == "Zoom"
    assert [(i, start, done) for i, start, _subj, done in found] == [
        (aid, ny(2026, 1, 5, 10), False),  # Jan 12 stays skipped on the old side
        (new_id, ny(2026, 1, 19, 14), False),
        (new_id, ny(2026, 1, 27, 15), False),  # the moved occurrence kept its own time, in the new series
        (new_id, ny(2026, 2, 2, 10), True),  # a done occurrence stays where it happened
        (new_id, ny(2026, 2, 9, 14), False),
    ]
    assert [o.original_start for o in moved[aid]] == [ny(2026, 1, 12, 10)]
    assert len(moved[new_id]) == 2


def test_all_moves_every_occurrence_by_the_wall_clock_change(book) -> None:
    with book.session() as s:
        aid = weekly(s, count=None)
        # edited from the Mar 16 occurrence (after the DST change): 10:00 -> 09:30 for every occurrence
        edit(
            s, aid, {"start": ny(2026, 3, 16, 9, 30)}, Scope.ALL, ny(2026, 3, 16, 10), ny(2026, 3, 16, 10), NY
        )
        series = repo.get(s, aid)
        found = repo.occurrences(s, ny(2026, 3, 1), ny(2026, 3, 20), NY)
    assert series.start == ny(2026, 1, 5, 9, 30)
    assert [o.start for o in found] == [ny(2026, 3, d, 9, 30) for d in (2, 9, 16)]
    with book.reader() as s:
        assert len(repo.overrides_for(s, [aid])[aid]) == 3  # skip, move and done survived


def test_this_and_following_on_the_first_occurrence_edits_the_series(book) -> None:
    with book.session() as s:
        aid = weekly(s)
        assert edit(s, aid, {"subject": "Monday call"}, Scope.FOLLOWING, ny(2026, 1, 5, 10), None, NY) == aid
        assert repo.get(s, aid).rrule == "FREQ=WEEKLY;COUNT=6"
        assert {subject for _i, _s, subject, _d in calendar(s)} == {"Monday call"}


def test_this_and_following_stop_repeating_keeps_the_done_outcome(book) -> None:
    with book.session() as s:
        aid = weekly(s)
        new_id = edit(s, aid, {"rrule": None}, Scope.FOLLOWING, ny(2026, 2, 2, 10), ny(2026, 2, 2, 10), NY)
        one_off = repo.get(s, new_id)
        found = calendar(s)
    assert one_off.rrule is None and one_off.outcome == "Talked" and one_off.done
    assert [start for _i, start, _s, _d in found] == [
        ny(2026, 1, 5, 10), ny(2026, 1, 19, 10), ny(2026, 1, 27, 15), ny(2026, 2, 2, 10)
    ]  # fmt: skip


def test_one_off_edit_and_bad_values(book) -> None:
    with book.session() as s:
        hid = factories.household(s)
        aid = repo.add(s, Activity(hid, ActivityKind.TASK, "Send forms", start=ny(2026, 1, 5, 9)), NY)
        edit(s, aid, {"start": None, "due_date": datetime(2026, 1, 9).date()}, tz=NY)
        assert repo.get(s, aid).due_date == datetime(2026, 1, 9).date()
        with pytest.raises(ValidationError):
            edit(s, aid, {"subject": "  "}, tz=NY)
        assert repo.get(s, aid).subject == "Send forms"
        with pytest.raises(ValueError):
            edit(s, aid, {"colour": "red"}, tz=NY)
