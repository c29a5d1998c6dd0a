"""The Alerts panel through the window's eyes: real background thread, real book, real dialogs."""

from __future__ import annotations

import itertools
import multiprocessing
import shutil
import time
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from PySide6.QtCore import QTimer

from actdesk.domain.alerts import AlertState, RuleKey
from actdesk.services.alerts.child import ChildProcess
from actdesk.settings import Settings
from actdesk.storage.open import open_book
from actdesk.storage.repositories import alerts as repo
from actdesk.ui.alerts.dialogs import DismissDialog
from actdesk.ui.alerts.model import AlertTableModel
from actdesk.ui.alerts.panel import AlertsPanel
from actdesk.ui.context import AppContext

from .books import build

NOW = datetime(2026, 11, 30, 15, tzinfo=UTC)


def make_ctx(book, child: ChildProcess | None = None, **alerts: object) -> AppContext:
    settings = Settings(raw={"alerts": dict(alerts)})
    return AppContext(book=book, settings=settings, now=lambda: NOW, child=child)


@pytest.fixture
def panel(qtbot, book, warm_child):
    build(book)
    ctx = make_ctx(book, warm_child, change_debounce_seconds=0.05)
    widget = AlertsPanel(ctx)
    qtbot.addWidget(widget)
    qtbot.waitUntil(lambda: widget.last_outcome is not None, timeout=20_000)
    assert widget.last_outcome.in_child  # the app's path: the heavy half in the (warm) child
    yield widget
    assert widget.shutdown()
    ctx.tasks.shutdown()


def _select(panel: AlertsPanel, rule: RuleKey) -> int:
    alert = next(a for a in panel.model.alerts if a.rule is rule)
    assert alert.id is not None and panel.select_alert(alert.id)
    return alert.id


def test_panel_lists_alerts_with_badge_and_notification(panel, qtbot) -> None:
    assert panel.model.rowCount() == len(panel.last_outcome.alerts) > 0
    assert panel.new_count == panel.model.rowCount()
    # Fresh high-severity alerts raise a desktop notification (the status bar offscreen).
    (title, message) = panel.watcher.notifications[0]
    assert title.endswith("new high-priority alerts") and "Garcia household" in message
    assert "new" in panel.summary.text()


def test_filters_by_rule_and_severity(panel) -> None:
    panel.rule_filter.setCurrentIndex(panel.rule_filter.findData("life_event"))
    assert panel.proxy.rowCount() == 1
    panel.rule_filter.setCurrentIndex(0)
    panel.severity_filter.setCurrentIndex(panel.severity_filter.findData("high"))
    severities = {panel.proxy.index(r, 0).data() for r in range(panel.proxy.rowCount())}
    assert severities == {"High"}
    panel.search.setText("newcomer")
    assert panel.proxy.rowCount() == 1  # two relationship gaps: high
    panel.severity_filter.setCurrentIndex(panel.severity_filter.findData("low"))
    assert panel.proxy.rowCount() == 0
    panel.severity_filter.setCurrentIndex(0)
    assert panel.proxy.rowCount() == 1


def test_open_card_and_schedule_a_call(panel, qtbot) -> None:
    _select(panel, RuleKey.SILENT_EROSION)
    household = panel.current_alert().household_id
    with qtbot.waitSignal(panel.ctx.signals.open_household_requested) as opened:
        panel.detail.open_button.click()
    assert opened.args == [household]
    with qtbot.waitSignal(panel.ctx.signals.schedule_activity_requested) as scheduled:
        panel.detail.schedule_button.click()
    assert scheduled.args == [household]
    # Acting on a new alert marks it seen: the badge goes down by one.
    before = panel.new_count
    qtbot.waitUntil(lambda: panel.new_count == before - 1, timeout=10_000)


def test_dismiss_requires_a_reason_and_persists(panel, qtbot) -> None:
    alert_id = _select(panel, RuleKey.HELD_AWAY_ASSETS)
    dialog = DismissDialog(panel.current_alert(), panel)
    assert not dialog.ok.isEnabled()
    dialog.reason.setEditText("   ")
    assert not dialog.ok.isEnabled()
    dialog.reason.setEditText("The 401(k) stays with the employer")
    assert dialog.ok.isEnabled()

    def answer() -> None:
        panel.dialog.reason.setEditText("The 401(k) stays with the employer")  # type: ignore[union-attr]
        panel.dialog.accept()  # type: ignore[union-attr]

    QTimer.singleShot(0, answer)
    panel.dismiss()
    qtbot.waitUntil(lambda: _state(panel, alert_id) is AlertState.DISMISSED, timeout=10_000)
    with panel.ctx.book.reader() as s:
        assert repo.get_alert(s, alert_id).dismissed_reason == "The 401(k) stays with the employer"
    assert panel.proxy.rowCount() == panel.model.rowCount() - 1  # "Open" hides dismissed alerts


def test_snooze_with_the_date_picker(panel, qtbot) -> None:
    alert_id = _select(panel, RuleKey.AGE_MILESTONE)

    def answer() -> None:
        panel.dialog.date_edit.setDate(date(2026, 12, 15))  # type: ignore[union-attr]
        panel.dialog.accept()  # type: ignore[union-attr]

    QTimer.singleShot(0, answer)
    panel.snooze()
    qtbot.waitUntil(lambda: _state(panel, alert_id) is AlertState.SNOOZED, timeout=10_000)
    snoozed = next(a for a in panel.model.alerts if a.id == alert_id)
    assert snoozed.snoozed_until == date(2026, 12, 15)


def test_data_changes_trigger_a_debounced_evaluation(panel, qtbot) -> None:
    runs = panel.watcher.engine.runs
    for _ in range(5):
        panel.ctx.signals.data_changed.emit("activities")
    qtbot.waitUntil(lambda: panel.watcher.engine.runs == runs + 1, timeout=20_000)
    panel.ctx.signals.data_changed.emit("mail")  # not read by the rules
    qtbot.wait(200)
    assert panel.watcher.engine.runs == runs + 1


def test_model(qtmodeltester, panel) -> None:
    model = AlertTableModel()
    model.set_alerts(panel.model.alerts)
    qtmodeltester.check(model)
    qtmodeltester.check(panel.proxy)


def _state(panel: AlertsPanel, alert_id: int) -> AlertState | None:
    found = next((a for a in panel.model.alerts if a.id == alert_id), None)
    return found.state if found else None


# -- a large book on a real thread -----------------------------------------------------------------------------


@pytest.fixture(scope="module")
def demo_book_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from actdesk.services.demo import DemoOptions, generate_demo

    path = tmp_path_factory.mktemp("demo") / "demo.db"
    book = open_book(path)
    generate_demo(book, DemoOptions(households=300, seed=11, as_of=date(2026, 10, 31)))
    book.dispose()
    return path


class Ticker:
    """A 5 ms QTimer on the GUI thread recording when it actually fired."""

    def __init__(self) -> None:
        self.ticks: list[float] = []
        self.timer = QTimer()
        self.timer.setInterval(5)
        self.timer.timeout.connect(lambda: self.ticks.append(time.perf_counter()))

    def max_gap_ms(self) -> float:
        return max((b - a for a, b in itertools.pairwise(self.ticks)), default=float("nan")) * 1000


def test_window_stays_responsive_while_a_large_book_is_evaluated(qtbot, tmp_path, demo_book_file) -> None:
    shutil.copy(demo_book_file, tmp_path / "book.db")
    book = open_book(tmp_path / "book.db")
    ctx = make_ctx(book)
    cold, warm = Ticker(), Ticker()
    cold.timer.start()
    panel = AlertsPanel(ctx)  # the watcher starts evaluating at once, on its own thread
    qtbot.addWidget(panel)
    qtbot.waitUntil(lambda: panel.last_outcome is not None, timeout=60_000)
    cold.timer.stop()
    first = panel.last_outcome
    warm.timer.start()
    panel.check_now()  # the periodic run: modules loaded, alerts already stored
    qtbot.waitUntil(lambda: panel.last_outcome is not first, timeout=60_000)
    warm.timer.stop()
    outcome = panel.last_outcome
    assert first.in_child and outcome.in_child  # the heavy half ran in the child process
    print(
        f"\nevaluation of {outcome.households} client households in the child process: "
        f"first {first.timings['total'] * 1000:.0f} ms ({len(cold.ticks)} ticks, max gap {cold.max_gap_ms():.1f} ms, "
        f"includes starting the child and its imports), then {outcome.timings['total'] * 1000:.0f} ms "
        f"({len(warm.ticks)} ticks, max gap {warm.max_gap_ms():.1f} ms)"
    )
    assert len(cold.ticks) > 0 and len(warm.ticks) > 0
    assert outcome.households >= 100
    assert panel.model.rowCount() == len(outcome.alerts) > 0
    assert panel.shutdown()
    ctx.tasks.shutdown()
    book.dispose()


def test_closing_stops_a_running_evaluation_cleanly(qtbot, tmp_path, demo_book_file, warm_child) -> None:
    shutil.copy(demo_book_file, tmp_path / "book.db")
    book = open_book(tmp_path / "book.db")
    ctx = make_ctx(book)
    panel = AlertsPanel(ctx)
    qtbot.addWidget(panel)
    qtbot.waitUntil(lambda: panel.watcher.busy, timeout=10_000)
    assert panel.shutdown()  # asked mid-evaluation: the thread ends without writing a half result
    assert not panel.watcher.engine.alive and not panel.watcher.timer.isActive()
    assert panel.watcher.child.processes == []
    others = set(warm_child.processes)  # the small-book tests' child (tests/shared_child.py)
    assert [p for p in multiprocessing.active_children() if p not in others] == []
    assert panel.shutdown()  # twice is harmless
    ctx.tasks.shutdown()
    book.dispose()


def test_enter_on_a_row_opens_the_card(panel, qtbot) -> None:
    from PySide6.QtCore import Qt

    _select(panel, RuleKey.LIFE_EVENT)
    panel.table.setFocus()
    with qtbot.waitSignal(panel.ctx.signals.open_household_requested) as opened:
        qtbot.keyClick(panel.table, Qt.Key.Key_Return)
    assert opened.args == [panel.current_alert().household_id]
