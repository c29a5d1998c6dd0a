"""An event created in the window keeps its wall time across a daylight-saving change.

A copied helper once attached today's fixed UTC offset to a date weeks ahead, so an event set in summer for
18:30 in December was stored an hour off. The dialog now uses the schedule's zone (``advisor_zone``).
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from PySide6.QtCore import QDate, QDateTime, QTime

from actdesk.domain.schedule.config import ScheduleSettings
from actdesk.storage.repositories import engagement_events as events_repo

SUMMER = datetime(2026, 7, 10, 15, 0, tzinfo=UTC)
WINTER = datetime(2026, 1, 20, 15, 0, tzinfo=UTC)


def make_ctx(book: Any, zone: str, now: datetime) -> Any:
    from actdesk.settings import load_settings
    from actdesk.ui.context import AppContext
    from actdesk.ui.tasks import TaskRunner

    settings = load_settings()
    settings.set_section(ScheduleSettings(time_zone=zone))
    return AppContext(book=book, settings=settings, tasks=TaskRunner(inline=True), now=lambda: now)


@pytest.fixture
def contexts(book) -> Iterator[list[Any]]:
    made: list[Any] = []
    yield made
    for ctx in made:
        ctx.tasks.shutdown()


def create(qtbot: Any, ctx: Any, day: QDate, hour: int, minute: int) -> datetime:
    from actdesk.ui.engagement.event_dialogs import NewEventDialog

    dialog = NewEventDialog(ctx, [])
    qtbot.addWidget(dialog)
    dialog.subject.setText("Year-end seminar")
    dialog.when.setDateTime(QDateTime(day, QTime(hour, minute)))
    created: list[int] = []
    dialog.sig_created.connect(created.append)
    # click() rather than a synthesised mouse event: what is tested is the zone, not the pointer's route (in
    # one whole run a mouse click on this hidden dialog never arrived, whatever an earlier test left open)
    dialog.create_button.click()
    qtbot.waitUntil(lambda: bool(created) or bool(dialog.status.text()), timeout=10000)
    assert created, dialog.status.text()  # the dialog's own error, if the job failed
    with ctx.book.reader() as s:
        [event] = events_repo.list_events(s, created[0])
    start = event.start
    return start if start.tzinfo else start.replace(tzinfo=UTC)


@pytest.mark.parametrize("zone", ["Europe/Madrid", "America/New_York"])
@pytest.mark.parametrize(
    ("now", "day"),
    [(SUMMER, QDate(2026, 12, 10)), (WINTER, QDate(2026, 7, 15))],
    ids=["summer-for-december", "winter-for-july"],
)
def test_an_event_set_across_dst_keeps_its_wall_time(
    qtbot: Any, book: Any, contexts: list[Any], zone: str, now: datetime, day: QDate
) -> None:
    ctx = make_ctx(book, zone, now)
    contexts.append(ctx)
    stored = create(qtbot, ctx, day, 18, 30)
    local = stored.astimezone(ZoneInfo(zone))
    assert (local.year, local.month, local.day, local.hour, local.minute) == (
        day.year(),
        day.month(),
        day.day(),
        18,
        30,
    )
    # The offset is the one the zone has on that day, not the one it had when the event was created.
    assert (
        local.utcoffset()
        == datetime(day.year(), day.month(), day.day(), 18, 30, tzinfo=ZoneInfo(zone)).utcoffset()
    )
    assert local.utcoffset() != now.astimezone(ZoneInfo(zone)).utcoffset()


@pytest.mark.parametrize("zone", ["Europe/Madrid", "America/New_York"])
def test_the_proposed_time_is_1830_in_the_schedules_zone(
    qtbot: Any, book: Any, contexts: list[Any], zone: str
) -> None:
    from actdesk.ui.engagement.event_dialogs import NewEventDialog

    # 20 Jan 23:30 UTC is already 21 Jan in Madrid and still 20 Jan in New York.
    ctx = make_ctx(book, zone, datetime(2026, 1, 20, 23, 30, tzinfo=UTC))
    contexts.append(ctx)
    dialog = NewEventDialog(ctx, [])
    qtbot.addWidget(dialog)
    proposed = dialog.when.dateTime().toPython()
    expected_day = 21 + 21 if zone == "Europe/Madrid" else 20 + 21
    assert (proposed.month, proposed.day, proposed.hour, proposed.minute) == (
        2,
        expected_day - 31,
        18,
        30,
    )
