"""The Schedule panel through qtbot: views, quick-add, mark done, next review, drag to reschedule."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
from PySide6.QtCore import QEvent, QPointF, Qt
from PySide6.QtGui import QFontMetrics, QMouseEvent
from PySide6.QtWidgets import QApplication
from tests import factories
from tests.schedule.conftest import NY

from actdesk.domain.enums import ActivityKind
from actdesk.domain.models import Activity
from actdesk.settings import Settings
from actdesk.storage.repositories import activities as repo
from actdesk.ui.context import AppContext
from actdesk.ui.schedule.models import OccurrenceTableModel
from actdesk.ui.schedule.panel import SchedulePanel
from actdesk.ui.tasks import TaskRunner

NOW = datetime(2026, 3, 11, 9, 0, tzinfo=NY)  # a Wednesday morning


def ny(*args: int) -> datetime:
    return datetime(*args, tzinfo=NY).astimezone(UTC)  # type: ignore[misc]


def realistic_week(s) -> dict[str, int]:
    """A week an advisor recognises: reviews, calls, a client event, tasks, one overdue follow-up."""
    garcia = factories.household(s, "Garcia household", since=date(2018, 9, 14))
    chen = factories.household(s, "Chen household", since=date(2020, 2, 29))
    okafor = factories.household(s, "Okafor household", since=date(2016, 3, 31))
    ids = {
        "review": repo.add(
            s,
            Activity(
                garcia,
                ActivityKind.REVIEW,
                "Semi-annual review",
                start=ny(2026, 3, 11, 10),
                duration_minutes=90,
                location="Office",
            ),
            NY,
        ),
        "call": repo.add(
            s,
            Activity(
                chen,
                ActivityKind.CALL,
                "Check-in call",
                start=ny(2026, 3, 9, 14),
                duration_minutes=30,
                rrule="FREQ=WEEKLY;BYDAY=MO",
            ),
            NY,
        ),
        "meeting": repo.add(
            s,
            Activity(
                okafor,
                ActivityKind.MEETING,
                "Estate attorney intro",
                start=ny(2026, 3, 12, 15),
                duration_minutes=60,
            ),
            NY,
        ),
        "task": repo.add(
            s, Activity(okafor, ActivityKind.TASK, "Send beneficiary forms", due_date=date(2026, 3, 13)), NY
        ),
        "event": repo.add(
            s,
            Activity(
                garcia,
                ActivityKind.EVENT,
                "Client appreciation brunch",
                start=datetime(2026, 3, 14, tzinfo=UTC),
                all_day=True,
            ),
            NY,
        ),
        "overdue": repo.add(
            s,
            Activity(
                chen,
                ActivityKind.EMAIL,
                "Follow up on 401(k) rollover",
                start=ny(2026, 2, 2, 11),
                duration_minutes=15,
            ),
            NY,
        ),
    }
    return ids


@pytest.fixture
def ctx(book):
    with book.session() as s:
        realistic_week(s)
    settings = Settings(raw={"schedule": {"time_zone": "America/New_York", "reminders_enabled": False}})
    return AppContext(
        book=book, settings=settings, tasks=TaskRunner(inline=True), now=lambda: NOW.astimezone(UTC)
    )


@pytest.fixture
def panel(ctx, qtbot):
    w = SchedulePanel(ctx)
    qtbot.addWidget(w)
    w.resize(1280, 800)
    w.show()
    qtbot.waitUntil(lambda: w.controller.data is not None and w.controller.overdue is not None)
    return w


def reload(panel, qtbot, action) -> None:
    with qtbot.waitSignal(panel.sig_loaded, timeout=3000):
        action()


def test_week_view_shows_the_week_today_and_overdue(panel) -> None:
    data = panel.controller.data
    assert [o.subject for o in data.occurrences] == [
        "Check-in call",
        "Semi-annual review",
        "Estate attorney intro",
        "Send beneficiary forms",
        "Client appreciation brunch",
    ]
    assert panel.today_model.rowCount() == 1 and panel.today_model.rows[0].subject == "Semi-annual review"
    assert [o.subject for o in panel.overdue_model.rows] == ["Check-in call", "Follow up on 401(k) rollover"]
    assert panel.overdue_label.text() == "Overdue (2)"
    assert panel.title.text() == "Mar 9, 2026 – Mar 15, 2026"
    assert (
        panel.grid.item_at(panel.grid.item_rect(data.occurrences[1]).center()).subject == "Semi-annual review"
    )


def test_switching_views(panel, qtbot) -> None:
    reload(panel, qtbot, lambda: panel.set_view("day"))
    assert [o.subject for o in panel.controller.data.occurrences] == ["Semi-annual review"]
    assert panel.title.text() == "Wednesday, March 11, 2026"
    reload(panel, qtbot, lambda: panel.set_view("month"))
    assert panel.controller.bounds() == (date(2026, 2, 23), date(2026, 4, 5))
    assert (
        sum(o.subject == "Check-in call" for o in panel.controller.data.occurrences) == 4
    )  # Mondays from Mar 9
    assert panel.title.text() == "March 2026"
    reload(panel, qtbot, lambda: panel.set_view("agenda"))
    assert panel.stack.currentWidget() is panel.agenda and panel.agenda_proxy.rowCount() > 5
    panel.search.setText("garcia")
    assert panel.agenda_proxy.rowCount() == 2
    reload(panel, qtbot, lambda: panel.controller.step(1))
    assert panel.controller.bounds()[0] == date(2026, 4, 10)
    reload(panel, qtbot, panel.controller.go_today)
    assert panel.controller.bounds()[0] == date(2026, 3, 11)


def test_quick_add_from_the_panel_and_from_a_contact_card(panel, ctx, qtbot) -> None:
    ctx.signals.schedule_activity_requested.emit(3)
    dialog = panel.dialog
    assert dialog is not None and dialog.household.currentText() == "Okafor household"
    dialog.subject.setText("Discuss the Roth conversion")
    dialog.kind.setCurrentIndex(dialog.kind.findData("call"))
    reload(panel, qtbot, dialog.accept)
    with ctx.book.reader() as s:
        added = [
            o
            for o in repo.occurrences(s, ny(2026, 3, 1), ny(2026, 4, 1), NY)
            if o.subject.startswith("Discuss")
        ]
    assert len(added) == 1 and added[0].household_id == 3 and added[0].kind == "call"
    assert added[0].start == ny(2026, 3, 11, 10)  # the next whole hour


def test_new_activity_defaults_to_the_household_in_focus_or_none(panel) -> None:
    dialog = panel.quick_add()
    assert dialog.household.currentIndex() == -1 and dialog.household.currentText() == ""  # never a guess
    assert dialog.activity() is None and dialog.error.text() == "Choose a household from the list."
    dialog.reject()
    review = panel.today_model.rows[0]  # Garcia's review
    panel._select(review)
    dialog = panel.quick_add()
    assert dialog.household.currentText() == "Garcia household"
    dialog.reject()


def test_very_old_overdue_items_close_or_move_in_one_step(panel, ctx, qtbot) -> None:
    with ctx.book.session() as s:
        chen = 2
        old = [
            repo.add(s, Activity(chen, ActivityKind.TASK, f"Old task {n}", start=ny(2017, 5, n + 1, 10)), NY)
            for n in range(3)
        ]
    reload(panel, qtbot, panel.controller.reload)
    qtbot.waitUntil(lambda: panel.overdue_model.rowCount() == 5)
    assert panel.overdue_model.rows[0].subject == "Check-in call"  # newest first
    assert panel.overdue_model.rows[-1].subject == "Old task 0"
    assert panel.cleanup_button.isVisible()
    box = panel.clean_up_overdue()
    move = next(b for b in box.buttons() if b.text() == "Move to next week")
    move.click()
    qtbot.waitUntil(lambda: panel.overdue_model.rowCount() == 2, timeout=3000)
    with ctx.book.reader() as s:
        moved = [repo.get(s, i) for i in old]
    assert all(a.start is not None and a.start.astimezone(NY).date() == date(2026, 3, 18) for a in moved)
    assert [a.start.astimezone(NY).hour for a in moved] == [10, 10, 10]  # each keeps its time of day
    assert not panel.cleanup_button.isVisible()


def test_quick_add_refuses_an_empty_subject(panel) -> None:
    dialog = panel.quick_add(household_id=2)
    dialog.accept()
    assert dialog.isVisible() and dialog.error.text() == "Give the activity a subject."


def test_quick_add_semi_annual_review_on_the_anniversary(panel, qtbot) -> None:
    dialog = panel.quick_add(household_id=2)  # Chen: client since Feb 29, 2020
    dialog.subject.setText("Review")
    dialog.kind.setCurrentIndex(dialog.kind.findData("review"))
    assert dialog.repeat.currentData() == "anniversary" and dialog.interval.value() == 6
    activity = dialog.activity()
    assert activity.rrule == "FREQ=MONTHLY;INTERVAL=6;BYMONTHDAY=28,29;BYSETPOS=-1"
    assert activity.start.astimezone(NY).date() == date(2026, 8, 29)


def test_a_returning_client_keeps_its_first_anniversary_for_reviews(panel, ctx, qtbot) -> None:
    from actdesk.storage.repositories.client_periods import record_departure, record_return

    with (
        ctx.book.session() as s
    ):  # Chen (client since Feb 29, 2020) left in 2022 and came back on June 3, 2024
        record_departure(s, 2, date(2022, 5, 10), "moved")
        record_return(s, 2, date(2024, 6, 3))
    with qtbot.waitSignal(panel.services.sig_households_loaded, timeout=3000):
        panel.services.load_households()
    dialog = panel.quick_add(household_id=2)
    dialog.subject.setText("Review")
    dialog.kind.setCurrentIndex(dialog.kind.findData("review"))
    activity = dialog.activity()  # the anniversary of its first day as a client, as the yearly note's
    assert activity.rrule == "FREQ=MONTHLY;INTERVAL=6;BYMONTHDAY=28,29;BYSETPOS=-1"
    assert activity.start.astimezone(NY).date() == date(2026, 8, 29)
    dialog.reject()


def test_mark_done_in_one_step_then_schedule_the_next_review(panel, ctx, qtbot) -> None:
    review = panel.today_model.rows[0]
    dialog = panel.mark_done(review)
    dialog.outcome.setPlainText("Rebalanced; raised the cash reserve.")
    reload(panel, qtbot, dialog.accept)
    box = panel.review_box
    assert "Monday, September 14, 2026 at 10:00" in box.text()  # the client anniversary, six months on
    reload(panel, qtbot, lambda: box.button(box.StandardButton.Yes).click())
    with ctx.book.reader() as s:
        done = repo.get(s, review.activity_id)
        upcoming = [o for o in repo.occurrences(s, ny(2026, 9, 1), ny(2026, 10, 1), NY) if o.kind == "review"]
    assert done.outcome == "Rebalanced; raised the cash reserve." and done.completed_at == NOW.astimezone(UTC)
    assert [o.start.astimezone(NY).date() for o in upcoming] == [date(2026, 9, 14)]


def _mouse(widget, kind: QEvent.Type, pos: QPointF, buttons: Qt.MouseButton) -> None:
    event = QMouseEvent(
        kind, pos, widget.mapToGlobal(pos), Qt.MouseButton.LeftButton, buttons, Qt.KeyboardModifier.NoModifier
    )
    QApplication.sendEvent(widget, event)


def test_drag_to_reschedule_one_occurrence_of_a_series(panel, ctx, qtbot) -> None:
    grid = panel.grid
    call = next(o for o in panel.controller.data.occurrences if o.subject == "Check-in call")
    rect = grid.item_rect(call)
    offset = QPointF(5, 5)
    grab = rect.topLeft() + offset
    target_slot = datetime(2026, 3, 10, 16, 0, tzinfo=NY)  # Tuesday 16:00
    col_x = grid.width() - (grid.width() - 52) / 7 * 6 + 5  # inside Tuesday's column
    y = next(yy for yy in range(grid.height()) if grid.slot_at(QPointF(col_x, yy)) == target_slot)
    drop = QPointF(col_x, y) + offset - QPointF(1, 1)
    _mouse(grid, QEvent.Type.MouseButtonPress, grab, Qt.MouseButton.LeftButton)
    _mouse(grid, QEvent.Type.MouseMove, grab + QPointF(30, 30), Qt.MouseButton.LeftButton)
    _mouse(grid, QEvent.Type.MouseMove, drop, Qt.MouseButton.LeftButton)
    with qtbot.waitSignal(panel.sig_loaded, timeout=3000):
        _mouse(grid, QEvent.Type.MouseButtonRelease, drop, Qt.MouseButton.NoButton)
    with ctx.book.reader() as s:
        calls = [
            o
            for o in repo.occurrences(s, ny(2026, 3, 9), ny(2026, 3, 24), NY)
            if o.subject == "Check-in call"
        ]
    assert [o.start.astimezone(NY).replace(tzinfo=None) for o in calls] == [
        datetime(2026, 3, 10, 16),
        datetime(2026, 3, 16, 14),
        datetime(2026, 3, 23, 14),
    ]


def test_skip_one_occurrence_from_the_side_panel(panel, ctx, qtbot) -> None:
    call = next(o for o in panel.controller.data.occurrences if o.subject == "Check-in call")
    panel.select(call)
    assert panel.skip_button.text() == "Skip this time"
    reload(panel, qtbot, panel.skip_button.click)
    assert all(o.subject != "Check-in call" for o in panel.controller.data.occurrences)


def test_models_pass_the_model_tester(panel, qtmodeltester) -> None:
    qtmodeltester.check(panel.agenda_model)
    qtmodeltester.check(panel.agenda_proxy)
    qtmodeltester.check(panel.overdue_model)
    empty = OccurrenceTableModel(panel.controller.types, NY)
    qtmodeltester.check(empty)


def test_reminder_toast_without_a_tray(panel, ctx, qtbot) -> None:
    from actdesk.services.reminders import pending

    with ctx.book.reader() as s:
        due = pending(s, NOW.astimezone(UTC) + timedelta(minutes=50), NY, 15)
    assert [(r.occurrence.subject, r.minutes_left, r.household) for r in due] == [
        ("Semi-annual review", 10, "Garcia household")
    ]
    with qtbot.waitSignal(panel.notifier.sig_reminded):
        panel.notifier.show(due)
    if panel.notifier.tray is None:
        assert panel.notifier.toast.isVisible() and "In 10 minutes" in panel.notifier.toast.title.text()
    panel.notifier.show(due)  # never twice for the same occurrence
    assert len(panel.notifier.shown) == 1


def test_a_failed_write_is_shown_in_the_panel_not_a_modal_box(panel, ctx, qtbot) -> None:
    call = next(o for o in panel.controller.data.occurrences if o.subject == "Check-in call")
    with ctx.book.session() as s:
        repo.delete_activity(s, call.activity_id)  # deleted elsewhere since the view was loaded
    with qtbot.waitSignal(panel.controller.sig_failed):
        panel.controller.mark_done(call, "done")
    assert panel.error_label.isVisibleTo(panel) and "does not exist" in panel.error_label.text()


def test_side_lists_say_when_in_brief_and_whole_in_the_tooltip(panel) -> None:
    """Today's entries by the clock, overdue ones by the day: the household and subject keep the width."""
    today, overdue = panel.today_model, panel.overdue_model
    assert today.data(today.index(0, 0)) == "10:00\u202fAM"  # CLDR puts a narrow space before AM
    assert [overdue.data(overdue.index(r, 0)) for r in range(2)] == ["Mar 9, 2026", "Feb 2, 2026"]
    tip = overdue.data(overdue.index(1, 3), Qt.ItemDataRole.ToolTipRole)
    assert tip.splitlines()[:3] == [
        "Feb 2, 2026 11:00\u202fAM",
        "Chen household",
        "Follow up on 401(k) rollover",
    ]
    assert panel.agenda_model.brief is False  # the agenda keeps the whole date and time


def test_a_narrow_block_on_the_week_grid_says_its_subject_not_only_its_time(panel, qtbot) -> None:
    """A week column is narrow: a short entry whose time and subject do not fit shows the subject (its place
    on the grid shows the time, the tooltip says both); the day view, wide enough, shows both."""
    grid = panel.grid
    call = next(o for o in panel.controller.data.occurrences if o.subject == "Check-in call")
    rect = grid.item_rect(call)
    assert rect is not None and grid.entry_text(call).startswith("2:00\u202fPM Check-in call")
    inner = rect.adjusted(6, 1, -2, -1)
    inner.setWidth(QFontMetrics(grid.chip_font(call)).horizontalAdvance("Check-in ca"))
    shown = grid.chip_lines(call, inner)
    assert shown[0].startswith("Check-in"), shown
    reload(panel, qtbot, lambda: panel.set_view("day"))
    review = panel.controller.data.occurrences[0]
    wide = grid.item_rect(review)
    assert wide is not None
    assert grid.chip_lines(review, wide.adjusted(6, 1, -2, -1))[0] == "10:00\u202fAM Semi-annual review"


def test_the_detail_shows_subjects_from_other_calendars_as_text(panel, ctx, qtbot) -> None:
    """A subject or place with markup characters (an .ics from elsewhere) is shown as written."""
    with ctx.book.session() as s:
        household = factories.household(s, "Ng & Partners", since=date(2019, 1, 1))
        repo.add(
            s,
            Activity(
                household,
                ActivityKind.MEETING,
                "Lunch <Mike> & <b>Co</b>",
                start=ny(2026, 3, 11, 12),
                duration_minutes=60,
                location="<img src='x'>Café",
            ),
            NY,
        )
    reload(panel, qtbot, panel.controller.reload)
    lunch = next(o for o in panel.controller.data.occurrences if o.subject.startswith("Lunch"))
    panel.select(lunch)
    text = panel.detail.text()
    assert "<b>Lunch &lt;Mike&gt; &amp; &lt;b&gt;Co&lt;/b&gt;</b>" in text
    assert "&lt;img src=&#x27;x&#x27;&gt;Café" in text and "<img" not in text


def opened(ctx, qtbot) -> SchedulePanel:
    """A schedule panel as the window shows it at 1366 x 768, once its week has loaded."""
    w = SchedulePanel(ctx)
    qtbot.addWidget(w)
    w.resize(1366, 768)
    w.show()
    qtbot.waitUntil(lambda: w.controller.data is not None)
    return w


def test_the_view_and_the_splitter_are_kept_between_sessions(ctx, qtbot) -> None:
    """Closing the window saves the schedule's view and splitter (``save_window_geometry`` calls
    ``save_state``); the next panel opens as the advisor left it."""
    from actdesk.app import configure_qsettings

    configure_qsettings()  # this test's own settings folder
    first = opened(ctx, qtbot)
    reload(first, qtbot, lambda: first.set_view("agenda"))
    first.splitter.setSizes([900, 420])
    sizes = first.splitter.sizes()
    first.save_state()
    second = opened(ctx, qtbot)
    assert second.controller.view == "agenda"
    assert second.stack.currentWidget() is second.agenda
    assert [b.objectName() for b in second.view_buttons.buttons() if b.isChecked()] == ["view_agenda"]
    assert second.splitter.sizes() == sizes


def test_a_damaged_saved_state_leaves_the_defaults(ctx, qtbot) -> None:
    """A settings file edited by hand or cut short: a splitter state Qt cannot read, an unknown view, a number
    where text was expected. The panel opens as on a first start, in the week view."""
    from PySide6.QtCore import QByteArray, QSettings

    from actdesk.app import configure_qsettings

    configure_qsettings()
    for view in ("year", 7):
        QSettings().setValue("schedule/splitter", QByteArray(b"\x00garbage"))
        QSettings().setValue("schedule/view", view)
        panel = SchedulePanel(ctx)
        qtbot.addWidget(panel)
        panel.resize(1366, 768)
        panel.show()
        qtbot.waitUntil(lambda p=panel: p.controller.data is not None)
        assert panel.controller.view == "week"
        assert [b.objectName() for b in panel.view_buttons.buttons() if b.isChecked()] == ["view_week"]
        grid, side = panel.splitter.sizes()
        assert grid > side > 0  # the 3:2 default


def test_the_side_lists_hide_for_a_wider_week_and_stay_as_left(ctx, qtbot) -> None:
    """At 1366 px the lists take two fifths of the width and the week's entries say little of their subject;
    hidden, the grid takes the whole width. The choice is kept like the view and the splitter."""
    from actdesk.app import configure_qsettings

    configure_qsettings()
    first = opened(ctx, qtbot)
    shared = first.grid.width()
    assert first.side_button.isChecked() and first.side.isVisible()
    first.side_button.click()
    qtbot.waitUntil(lambda: not first.side.isVisible())
    qtbot.waitUntil(lambda: first.grid.width() > shared + 300)
    first.save_state()
    second = opened(ctx, qtbot)
    assert not second.side_button.isChecked() and not second.side.isVisible()
    second.side_button.click()
    assert second.side.isVisible()


def test_right_click_on_an_entry_offers_the_side_panels_actions(panel, qtbot) -> None:
    """With the lists hidden, the actions of the side panel (edit, mark done, skip, open the household) are
    still one right-click away, enabled as the buttons are for that entry."""
    from PySide6.QtCore import QPoint
    from PySide6.QtGui import QContextMenuEvent
    from PySide6.QtWidgets import QApplication, QMenu

    panel.side_button.click()
    occ = panel.controller.data.occurrences[1]
    where = panel.grid.item_rect(occ).center().toPoint()
    QApplication.sendEvent(
        panel.grid,
        QContextMenuEvent(QContextMenuEvent.Reason.Mouse, where, panel.grid.mapToGlobal(where)),
    )
    menu = panel.findChild(QMenu, "schedule_item_menu")
    assert menu is not None and menu.isVisible()
    assert panel.selected is not None and panel.selected.subject == occ.subject
    buttons = (panel.edit_button, panel.done_button, panel.skip_button, panel.open_button)
    assert [a.text() for a in menu.actions()] == [b.text() for b in buttons]
    assert [a.isEnabled() for a in menu.actions()] == [b.isEnabled() for b in buttons]
    assert any(a.isEnabled() for a in menu.actions())
    menu.close()
    empty = QPoint(2, panel.grid.height() - 2)  # no entry there: no menu
    QApplication.sendEvent(
        panel.grid, QContextMenuEvent(QContextMenuEvent.Reason.Mouse, empty, panel.grid.mapToGlobal(empty))
    )
    assert len(panel.findChildren(QMenu, "schedule_item_menu")) == 1
