"""The client dashboard from the card, and the meeting view: that household only, nothing else on screen."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractButton,
    QApplication,
    QLabel,
    QLineEdit,
    QTabBar,
    QTableView,
    QWidget,
)
from sqlalchemy import select
from tests.dashboard.conftest import NOW

from actdesk.storage.tables.book import HouseholdRow


@pytest.fixture
def window(qtbot, demo_book, warm_child) -> Iterator[object]:
    from actdesk.app import build_window, configure_qsettings
    from actdesk.settings import load_settings
    from actdesk.ui.tasks import TaskRunner

    configure_qsettings()
    win, ctx = build_window(
        demo_book, load_settings(), tasks=TaskRunner(inline=True), welcome=False, child=warm_child
    )
    ctx.now = lambda: NOW
    qtbot.addWidget(win)
    win.resize(1280, 800)
    win.show()
    qtbot.waitUntil(lambda: "book" in win.panels, timeout=5000)
    yield win
    for w in QApplication.topLevelWidgets():
        if w is not win and w.isVisible():
            w.close()
    win.close()
    ctx.tasks.shutdown()


def visible_texts() -> list[str]:
    """Every piece of text a person could read on screen: window titles, labels, buttons, tabs, fields,
    table cells and tooltips of visible widgets."""
    texts: list[str] = []
    for top in QApplication.topLevelWidgets():
        if not top.isVisible():
            continue
        texts.append(top.windowTitle())
        for w in [top, *top.findChildren(QWidget)]:
            if not w.isVisibleTo(top):
                continue
            texts.append(w.toolTip())
            if isinstance(w, (QLabel, QAbstractButton, QLineEdit)):
                texts.append(w.text())
            elif isinstance(w, QTabBar):
                texts.extend(w.tabText(i) for i in range(w.count()))
            elif isinstance(w, QTableView) and w.model() is not None:
                m = w.model()
                texts.extend(
                    str(m.index(r, c).data() or "")
                    for r in range(m.rowCount())
                    for c in range(m.columnCount())
                )
    return texts


def test_card_button_opens_the_client_dashboard(window, qtbot) -> None:
    ctx = window.ctx
    ctx.signals.open_household_requested.emit(3)
    card = window.panels["households"].card
    qtbot.waitUntil(lambda: card.household_id == 3, timeout=5000)
    card.dashboard_button.click()
    book = window.panels["book"]
    qtbot.waitUntil(lambda: book.client.data is not None, timeout=10000)
    assert window.current_key == "book"
    assert book.tabs.currentWidget() is book.client
    assert book.client.household_id == 3
    with window.ctx.book.reader() as s:
        name = s.scalar(select(HouseholdRow.name).where(HouseholdRow.id == 3))
    assert book.client.title.text() == name


def test_meeting_view_shows_that_household_only(window, qtbot) -> None:
    with window.ctx.book.reader() as s:
        names = dict(s.execute(select(HouseholdRow.id, HouseholdRow.name)).all())
    window.show_panel("households")  # the list of every household is on screen before the meeting
    qtbot.waitUntil(lambda: getattr(window.panels["households"], "loaded", True), timeout=5000)
    before = "\n".join(visible_texts())
    assert sum(name in before for name in names.values()) > 5

    hid = 3
    window.ctx.signals.client_dashboard_requested.emit(hid)
    book = window.panels["book"]
    qtbot.waitUntil(lambda: book.client.data is not None, timeout=10000)
    meeting = book.start_meeting(hid)
    qtbot.waitUntil(lambda: meeting.dashboard.data is not None, timeout=10000)
    assert meeting.isFullScreen() and not window.isVisible()
    assert window.ctx.in_meeting
    own = names[hid]
    shown = "\n".join(visible_texts())
    assert own in shown and meeting.windowTitle() == own
    others = [n for h, n in names.items() if h != hid and n not in own]
    leaked = [n for n in others if n in shown]
    assert leaked == []
    assert "Retention probability" not in shown  # not something to show a client across the table
    # What a client expects: allocation by account type, the year's change split into their own money and the
    # markets, the next review; nothing internal (call notes, share of wallet).
    dashboard = meeting.dashboard
    assert "Allocation by account type" in shown and "Total" in dashboard.allocation.text()
    assert "%" in dashboard.allocation.text()
    for word in ("A year ago", "Contributions", "Withdrawals", "Markets", "Today"):
        assert word in dashboard.change.text()
    change = dashboard.data.change
    assert change.start + change.contributions - change.withdrawals + change.market == change.end
    assert change.end == dashboard.data.managed
    assert "Next review" in shown
    assert "Share of wallet" not in shown and "Contact history" not in shown
    from actdesk.storage.tables.book import ActivityRow

    with window.ctx.book.reader() as s:
        subjects = set(
            s.scalars(
                select(ActivityRow.subject).where(
                    ActivityRow.household_id == hid, ActivityRow.completed_at.is_not(None)
                )
            )
        )
    assert subjects and not [x for x in subjects if x in shown]  # internal call subjects stay internal

    qtbot.keyClick(meeting, Qt.Key.Key_Escape)
    qtbot.waitUntil(lambda: window.isVisible(), timeout=3000)
    assert not window.ctx.in_meeting and book.meeting is None


def test_alert_notifications_wait_while_in_meeting(window) -> None:
    from datetime import UTC, date, datetime

    from actdesk.domain.alerts.lifecycle import MergeResult
    from actdesk.domain.alerts.model import Alert, AlertState, RuleKey, Severity
    from actdesk.services.alerts.evaluation import EvaluationOutcome
    from actdesk.ui.alerts.watcher import AlertWatcher

    watcher = AlertWatcher(window.ctx)
    now = datetime(2026, 11, 20, tzinfo=UTC)
    alert = Alert(
        3,
        RuleKey.CONTACT_GAP,
        Severity.HIGH,
        AlertState.NEW,
        "No contact",
        1.0,
        now,
        now,
        now,
        household_name="X",
    )
    outcome = EvaluationOutcome(date(2026, 11, 20), now, now, 1, [], MergeResult(created=[alert]), True)
    window.ctx.in_meeting = True
    try:
        watcher._notify_high(outcome)
        assert watcher.notifications == []
    finally:
        window.ctx.in_meeting = False
    watcher._notify_high(outcome)
    assert len(watcher.notifications) == 1
    watcher.shutdown()
