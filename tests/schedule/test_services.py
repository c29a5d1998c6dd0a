"""Schedule services without the Schedule panel: quick-add from the contact card or an alert, reminders."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
from PySide6.QtWidgets import QMainWindow
from tests import factories
from tests.schedule.conftest import NY

from actdesk.domain.enums import ActivityKind
from actdesk.domain.models import Activity
from actdesk.settings import Settings
from actdesk.storage.repositories import activities as repo
from actdesk.ui.context import AppContext
from actdesk.ui.schedule.notifier import Toast
from actdesk.ui.schedule.panel import SchedulePanel
from actdesk.ui.schedule.services import install_schedule_services, schedule_services
from actdesk.ui.tasks import TaskRunner

NOW = datetime(2026, 3, 11, 9, 50, tzinfo=NY)


def ny(*args: int) -> datetime:
    return datetime(*args, tzinfo=NY).astimezone(UTC)  # type: ignore[misc]


@pytest.fixture
def ctx(book):
    with book.session() as s:
        garcia = factories.household(s, "Garcia household", since=date(2018, 9, 14))
        factories.household(s, "Okafor household", since=date(2016, 3, 31))
        repo.add(
            s,
            Activity(garcia, ActivityKind.REVIEW, "Semi-annual review", start=ny(2026, 3, 11, 10),
                     duration_minutes=90),
            NY,
        )  # fmt: skip
    settings = Settings(raw={"schedule": {"time_zone": "America/New_York", "reminder_minutes_before": 15}})
    return AppContext(
        book=book, settings=settings, tasks=TaskRunner(inline=True), now=lambda: NOW.astimezone(UTC)
    )


@pytest.fixture
def window(qtbot):
    w = QMainWindow()
    qtbot.addWidget(w)
    w.resize(1280, 800)
    w.show()
    return w


def test_contact_card_request_opens_quick_add_without_the_panel(ctx, window, qtbot) -> None:
    services = install_schedule_services(window, ctx)
    with qtbot.waitSignal(services.sig_dialog_opened) as opened:
        ctx.signals.schedule_activity_requested.emit(2)
    dialog = opened.args[0]
    assert dialog.isVisible() and dialog.parentWidget() is window
    assert dialog.household.currentText() == "Okafor household"
    dialog.subject.setText("Beneficiary update")
    with qtbot.waitSignal(ctx.signals.data_changed) as changed:
        dialog.accept()
    assert changed.args == ["activities"]
    with ctx.book.reader() as s:
        added = [o for o in repo.occurrences(s, ny(2026, 3, 11), ny(2026, 3, 12), NY) if o.household_id == 2]
    assert [(o.subject, o.start) for o in added] == [("Beneficiary update", ny(2026, 3, 11, 10))]


def test_bad_quick_add_says_why_and_writes_nothing(ctx, window, qtbot) -> None:
    services = install_schedule_services(window, ctx)
    qtbot.waitUntil(lambda: services.loaded)
    dialog = services.quick_add(household_id=1)
    assert dialog is not None
    dialog.accept()
    assert dialog.isVisible() and dialog.error.text() == "Give the activity a subject."
    with ctx.book.reader() as s:
        assert len(repo.occurrences(s, ny(2026, 1, 1), ny(2027, 1, 1), NY)) == 1


def test_reminder_fires_at_start_without_the_panel(ctx, window, qtbot) -> None:
    services = install_schedule_services(window, ctx)
    assert services.notifier.timer.isActive()
    services.notifier.shown.clear()
    with qtbot.waitSignal(services.notifier.sig_reminded) as reminded:
        services.notifier.check()
    (reminder,) = reminded.args[0]
    assert (reminder.occurrence.subject, reminder.minutes_left, reminder.household) == (
        "Semi-annual review",
        10,
        "Garcia household",
    )
    if services.notifier.tray is None:
        toast = window.findChild(Toast)
        assert toast is not None and toast.isVisible() and "In 10 minutes" in toast.title.text()


def test_a_long_reminder_title_is_shown_whole(window, qtbot, qapp) -> None:
    """The toast is 320 px wide: "In 8 minutes: Social Security timing meeting" was cut at its edge, and once
    wrapped, a third line fell outside the card (sized before the label knew its width)."""
    from actdesk.ui import theme

    theme.apply_theme(qapp, "light")  # the section title's own size, as in the window
    toast = Toast(window)
    title = "In 8 minutes: Social Security timing meeting with the whole family, their accountant and the estate attorney from Columbus"
    toast.show_message(title, "Pierce, Calvin & April")
    qtbot.waitUntil(toast.isVisible)
    needed = toast.title.heightForWidth(toast.title.width())
    assert toast.title.wordWrap() and needed > toast.title.fontMetrics().height()  # it wraps
    assert toast.title.height() >= needed  # every line of it shown
    assert toast.body.geometry().bottom() <= toast.contentsRect().bottom()  # and the body inside the card


def test_install_is_idempotent_and_the_panel_reuses_it(ctx, window, qtbot) -> None:
    services = install_schedule_services(window, ctx)
    assert install_schedule_services(window, ctx) is services is schedule_services(ctx)
    panel = SchedulePanel(ctx)
    qtbot.addWidget(panel)
    assert panel.services is services and panel.notifier is services.notifier
    assert services.host is window  # the panel did not take the dialogs away from the main window
    qtbot.waitUntil(lambda: services.loaded)
    opened: list[object] = []
    services.sig_dialog_opened.connect(opened.append)
    ctx.signals.schedule_activity_requested.emit(1)
    assert len(opened) == 1  # one dialog, not one from the services and one from the panel
    assert panel.dialog is opened[0]
