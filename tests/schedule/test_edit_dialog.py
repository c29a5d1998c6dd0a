"""The edit dialog through qtbot: opened by double-click, field errors, and the this/following/all choice."""
# ruff: noqa: F811  (the panel fixtures are shared with test_panel)

from __future__ import annotations

from datetime import UTC, date, datetime

from PySide6.QtCore import QTime
from tests import factories
from tests.schedule.conftest import NY
from tests.schedule.test_panel import ctx, panel, reload  # noqa: F401  (fixtures)

from actdesk.storage.repositories import activities as repo
from actdesk.storage.repositories.activity_series import Scope
from actdesk.ui.schedule.edit_dialog import describe_rule
from actdesk.ui.schedule.models import OCCURRENCE_ROLE


def ny(*args: int) -> datetime:
    return datetime(*args, tzinfo=NY).astimezone(UTC)  # type: ignore[misc]


def open_editor(panel, qtbot, subject: str):
    """Double-click the entry in the agenda, as the advisor would."""
    panel.set_view("agenda")
    qtbot.waitUntil(lambda: panel.agenda_proxy.rowCount() > 0)
    proxy = panel.agenda_proxy
    row = next(
        r for r in range(proxy.rowCount()) if proxy.index(r, 0).data(OCCURRENCE_ROLE).subject == subject
    )
    with qtbot.waitSignal(panel.sig_editor_opened) as opened:
        panel.agenda.doubleClicked.emit(proxy.index(row, 2))
    dialog = opened.args[0]
    assert dialog.isVisible()
    return dialog


def test_this_and_following_from_a_double_click_in_the_agenda(panel, ctx, qtbot) -> None:
    dialog = open_editor(panel, qtbot, "Check-in call")  # Chen, every Monday 14:00 from March 9
    assert dialog.repeat.currentData() == "keep" and dialog.repeat.currentText() == "As now: Every week"
    assert dialog.subject.text() == "Check-in call" and dialog.at.time() == QTime(14, 0)
    dialog.at.setTime(QTime(15, 30))
    dialog.location.setText("Phone")
    dialog.accept()
    assert dialog.scope_box is not None and dialog.scope_box.isVisible()
    assert dialog.scope_buttons[Scope.THIS].isEnabled()
    reload(panel, qtbot, dialog.scope_buttons[Scope.FOLLOWING].click)
    with ctx.book.reader() as s:
        calls = [
            o
            for o in repo.occurrences(s, ny(2026, 3, 9), ny(2026, 3, 31), NY)
            if o.subject == "Check-in call"
        ]
    first = [o for o in calls if o.start == ny(2026, 3, 9, 14)]
    assert len(first) == 1 and first[0].location is None  # the past stays as it was
    later = [o for o in calls if o.start and o.start > ny(2026, 3, 9, 14)]
    assert [o.start for o in later] == [
        ny(2026, 3, 16, 15, 30),
        ny(2026, 3, 23, 15, 30),
        ny(2026, 3, 30, 15, 30),
    ]
    assert {o.location for o in later} == {"Phone"} and later[0].activity_id != first[0].activity_id


def test_only_this_one_is_disabled_for_a_series_change(panel, qtbot) -> None:
    dialog = open_editor(panel, qtbot, "Check-in call")
    dialog.kind.setCurrentIndex(dialog.kind.findData("meeting"))
    dialog.accept()
    assert not dialog.scope_buttons[Scope.THIS].isEnabled()
    assert "belong to the series" in dialog.scope_box.informativeText()


def test_only_this_one_moves_one_occurrence(panel, ctx, qtbot) -> None:
    dialog = open_editor(panel, qtbot, "Check-in call")
    dialog.subject.setText("Check-in call (Tuesday)")
    dialog.day.setDate(date(2026, 3, 17))  # the agenda starts today: this is the March 16 occurrence
    dialog.accept()
    reload(panel, qtbot, dialog.scope_buttons[Scope.THIS].click)
    with ctx.book.reader() as s:
        found = [(o.start, o.subject) for o in repo.occurrences(s, ny(2026, 3, 9), ny(2026, 3, 24), NY)
                 if o.subject.startswith("Check-in")]  # fmt: skip
    assert found == [
        (ny(2026, 3, 9, 14), "Check-in call"),
        (ny(2026, 3, 17, 14), "Check-in call (Tuesday)"),
        (ny(2026, 3, 23, 14), "Check-in call"),
    ]


def test_field_errors_show_beside_the_field_and_nothing_is_written(panel, ctx, qtbot) -> None:
    panel.grid.sig_item_activated.emit(
        next(o for o in panel.controller.data.occurrences if o.subject == "Send beneficiary forms")
    )
    qtbot.waitUntil(lambda: panel.edit_dialog is not None and panel.edit_dialog.isVisible())
    dialog = panel.edit_dialog
    assert dialog.timing.currentData() == "due" and not dialog.at.isVisible()
    dialog.subject.clear()
    dialog.repeat.setCurrentIndex(dialog.repeat.findData("weekly"))
    dialog.accept()
    assert dialog.isVisible()
    assert dialog.field_errors["subject"].isVisible()
    assert dialog.field_errors["subject"].text() == "Give the activity a subject."
    assert "needs a time" in dialog.field_errors["rrule"].text()
    dialog.subject.setText("Send the beneficiary forms")
    assert not dialog.field_errors["subject"].isVisible()  # cleared as soon as it is fixed
    with ctx.book.reader() as s:
        assert {o.subject for o in repo.occurrences(s, ny(2026, 3, 9), ny(2026, 3, 16), NY)} >= {
            "Send beneficiary forms"
        }


def test_one_off_edit_of_every_field_saves_without_asking(panel, ctx, qtbot) -> None:
    with ctx.book.session() as s:
        contact = factories.contact(s, 1, first="Ana", last="Garcia")
    dialog = open_editor(panel, qtbot, "Semi-annual review")
    dialog.contact.setCurrentIndex(dialog.contact.findData(contact))
    dialog.kind.setCurrentIndex(dialog.kind.findData("meeting"))
    dialog.minutes.setValue(45)
    dialog.notes.setPlainText("Bring the IPS")
    dialog.outcome.setPlainText("Agreed to rebalance")
    dialog.timing.setCurrentIndex(dialog.timing.findData("timed"))
    reload(panel, qtbot, dialog.accept)
    assert dialog.scope_box is None
    with ctx.book.reader() as s:
        saved = next(a for a in [repo.get(s, i) for i in range(1, 7)] if a.subject == "Semi-annual review")
    assert (saved.kind, saved.contact_id, saved.duration_minutes, saved.notes, saved.outcome) == (
        "meeting", contact, 45, "Bring the IPS", "Agreed to rebalance"
    )  # fmt: skip
    assert saved.start == ny(2026, 3, 11, 10) and saved.rrule is None


def test_rule_descriptions() -> None:
    assert describe_rule("FREQ=WEEKLY;INTERVAL=2;COUNT=4", NY) == "Every 2 weeks, 4 times"
    assert describe_rule("FREQ=MONTHLY;UNTIL=20261231T235959Z", NY).startswith("Every month, until ")
