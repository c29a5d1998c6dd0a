"""The finished features wired into the window: alerts and mail start without their panels being built,
backups run on schedule and at exit, the lock engages, the menus reach every dialog, a damaged book is
offered its latest good backup, and the welcome can encrypt the new book."""

from __future__ import annotations

import ssl
from collections.abc import Callable, Iterator
from datetime import UTC, datetime

import pytest
import trustme
from PySide6.QtWidgets import QApplication, QTableWidget, QWidget
from tests import factories as f
from tests.alerts.books import build as build_alert_book
from tests.mail.conftest import PASSWORD as MAIL_PASSWORD
from tests.mail.conftest import USER as MAIL_USER
from tests.mail.conftest import Handler, SmtpServer, free_port
from tests.mail.helpers import queue as queue_campaign
from tests.mail.helpers import small_book as small_mail_book

from actdesk.app import build_window, configure_qsettings
from actdesk.services.backup import book_folder, list_backups
from actdesk.services.crypto import encryption_state
from actdesk.services.mail.config import save_mail_settings, store_password
from actdesk.settings import load_settings
from actdesk.storage.repositories import mail as mail_repo
from actdesk.storage.repositories.households import count_households
from actdesk.ui.tasks import TaskRunner

NOW = datetime(2026, 11, 30, 15, tzinfo=UTC)


def _window(qtbot, book, child, *, welcome: bool = False, settings=None, first_panel="households"):
    """The window on a light first panel: the Book dashboard only where a test is about it. ``child`` is the
    worker's shared child process (tests/shared_child.py): none of these tests is about its start or end."""
    configure_qsettings()
    window, ctx = build_window(
        book,
        settings or load_settings(),
        tasks=TaskRunner(inline=True),
        welcome=welcome,
        first_panel=first_panel,
        child=child,
    )
    ctx.now = lambda: NOW
    qtbot.addWidget(window)
    window.resize(1280, 800)
    window.show()
    return window, ctx


def _top_level(kind: str) -> list[QWidget]:
    return [w for w in QApplication.topLevelWidgets() if type(w).__name__ == kind and w.isVisible()]


@pytest.fixture
def alert_window(qtbot, book, warm_child) -> Iterator[tuple[object, object]]:
    build_alert_book(book)
    settings = load_settings()
    settings.raw["alerts"] = {"change_debounce_seconds": 0.05}
    window, ctx = _window(qtbot, book, warm_child, settings=settings)
    yield window, ctx
    window.close()
    ctx.tasks.shutdown()


def test_alert_watcher_runs_after_first_paint_without_building_the_panel(alert_window, qtbot) -> None:
    window, ctx = alert_window
    qtbot.waitUntil(lambda: ctx.alerts is not None, timeout=5000)
    service = ctx.alerts
    assert service.watcher.timer.isActive() and service.watcher.timer.interval() == 15 * 60_000
    qtbot.waitUntil(lambda: service.last_outcome is not None, timeout=20_000)
    assert service.new_count > 0
    qtbot.waitUntil(lambda: window.rail_buttons["alerts"].text() == f"Alerts ({service.new_count})")
    assert "alerts" not in window.panels  # evaluated and counted on the rail; the panel is not built
    # A data change asks for a fresh (debounced) evaluation, still without the panel.
    first = service.last_outcome
    ctx.signals.data_changed.emit("activities")
    qtbot.waitUntil(lambda: service.last_outcome is not first, timeout=20_000)
    assert "alerts" not in window.panels


def test_the_alerts_panel_opened_late_shows_the_current_alerts(alert_window, qtbot) -> None:
    """An alert marked seen before the panel exists: the rail's count follows, and the panel, built when
    first opened, shows the book's current count, not the evaluation's."""
    from actdesk.services.alerts import actions

    window, ctx = alert_window
    qtbot.waitUntil(lambda: ctx.alerts is not None and ctx.alerts.last_outcome is not None, timeout=20_000)
    qtbot.waitUntil(lambda: not ctx.alerts.watcher.busy and not ctx.tasks.busy, timeout=20_000)
    new = [a for a in ctx.alerts.last_outcome.alerts if a.state.value == "new"]
    count = ctx.alerts.new_count
    assert count == len(new) > 1 and "alerts" not in window.panels
    actions.mark_seen(ctx.book, new[0].id, ctx.now())  # a write elsewhere (the card's attention strip)
    ctx.signals.data_changed.emit("alerts")
    qtbot.waitUntil(lambda: window.rail_buttons["alerts"].text() == f"Alerts ({count - 1})", timeout=10_000)
    assert "alerts" not in window.panels
    window.show_panel("alerts")
    panel = window.panels["alerts"]
    qtbot.waitUntil(lambda: panel.model.rowCount() > 0, timeout=10_000)
    assert panel.watcher is ctx.alerts.watcher and panel.last_outcome is ctx.alerts.last_outcome
    assert panel.new_count == count - 1
    assert panel.summary.text().startswith(f"{count - 1} new")
    assert window.rail_buttons["alerts"].text() == f"Alerts ({count - 1})"


def test_closing_stops_the_watcher_and_writes_the_exit_backup(qtbot, book, warm_child) -> None:
    build_alert_book(book)
    window, ctx = _window(qtbot, book, warm_child)
    qtbot.waitUntil(lambda: ctx.alerts is not None, timeout=5000)
    watcher = ctx.alerts.watcher
    qtbot.waitUntil(lambda: ctx.alerts.last_outcome is not None, timeout=20_000)  # idle between evaluations
    assert watcher.engine.alive
    window.close()
    assert not watcher.engine.alive and not watcher.timer.isActive()
    backups = list_backups(book_folder(book.path, ctx.settings))
    assert [b.reason for b in backups] == ["exit"]
    assert backups[0].counts["households"] == count_households_now(book)
    assert window.background.exit_backup is not None
    ctx.tasks.shutdown()


def count_households_now(book) -> int:
    with book.reader() as s:
        return count_households(s)


def test_due_mail_is_sent_by_the_campaigns_timer_without_opening_the_panel(qtbot, book, warm_child) -> None:
    """A real SMTP server on 127.0.0.1 (STARTTLS, AUTH) receives the due messages when the send loop's timer
    ticks; the send loop started after the first paint without the Campaigns panel, which was never built."""
    ca = trustme.CA()
    tls = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    ca.issue_cert("127.0.0.1").configure_cert(tls)
    cafile = book.path.parent / "ca.pem"
    ca.cert_pem.write_to_path(str(cafile))
    server = SmtpServer(free_port(), Handler(), str(cafile), tls).start()
    try:
        small_mail_book(book)
        cfg = server.settings()
        settings = load_settings()
        save_mail_settings(settings, cfg)
        store_password(MAIL_USER, MAIL_PASSWORD, allow_insecure=False)
        queued = queue_campaign(book, cfg, settings.general, datetime(2026, 3, 2, tzinfo=UTC)).queued
        assert queued == 2  # Ann and Bob Smith; the others opted out, have no address or are prospects
        window, ctx = _window(qtbot, book, warm_child, settings=settings)
        qtbot.waitUntil(lambda: ctx.mail is not None and ctx.mail.started, timeout=5000)
        service = ctx.mail
        assert service.configured() and service.timer.isActive()
        with qtbot.waitSignal(service.sig_send_finished, timeout=20_000) as finished:
            service.timer.timeout.emit()  # the timer's tick, without waiting a minute
        assert finished.args[0].sent == 2
        assert sorted(rcpt for m in server.delivered for rcpt in m.rcpt_tos) == [
            "ann@example.org",
            "bob@example.org",
        ]
        assert "campaigns" not in window.panels  # sent by the service; the panel was never built
        with book.reader() as s:
            assert {m.state for m in mail_repo.list_messages(s)} == {"sent"}
        window.close()
        ctx.tasks.shutdown()
    finally:
        server.stop()


def test_scheduled_backup_runs_when_due_and_reports_it(qtbot, book, warm_child) -> None:
    window, ctx = _window(qtbot, book, warm_child)
    qtbot.waitUntil(lambda: window.background.warmed, timeout=5000)
    assert window.background.backup_timer.isActive()
    with qtbot.waitSignal(ctx.signals.status_message, timeout=5000) as said:
        window.background.run_scheduled_backup()  # the timer's tick, without waiting 15 minutes
    assert said.args == ["The book was backed up."]
    assert [b.reason for b in list_backups(book_folder(book.path, ctx.settings))] == ["scheduled"]
    window.background.run_scheduled_backup()  # not due again for four hours
    assert len(list_backups(book_folder(book.path, ctx.settings))) == 1
    window.close()
    ctx.tasks.shutdown()


def test_privacy_lock_engages_after_the_configured_inactivity(qtbot, book, warm_child) -> None:
    from actdesk.services.privacy import set_lock_passphrase

    set_lock_passphrase("meeting room 4")
    settings = load_settings()
    settings.raw["privacy"] = {"lock_after_minutes": 2}
    window, ctx = _window(qtbot, book, warm_child, settings=settings)
    qtbot.waitUntil(lambda: window.privacy_lock is not None, timeout=5000)  # installed at the first paint
    lock = window.privacy_lock
    assert lock.timer.isActive() and lock.timer.interval() == 2 * 60_000
    # Preferences change the delay while running.
    ctx.settings.raw["privacy"] = {"lock_after_minutes": 1}
    ctx.signals.data_changed.emit("settings")
    assert lock.timer.interval() == 60_000
    lock.timer.setInterval(20)  # one idle "minute", shortened
    lock.timer.start()
    qtbot.waitUntil(lambda: lock.locked, timeout=2000)
    assert lock.overlay.isVisible() and not window.menuBar().isEnabled()
    qtbot.keyClicks(lock.overlay.secret, "meeting room 4")
    lock.overlay.unlock_button.click()
    assert not lock.locked and window.menuBar().isEnabled()
    window.close()
    ctx.tasks.shutdown()


def test_menus_reach_import_history_backups_preferences_and_help(qtbot, book, warm_child) -> None:
    window, ctx = _window(qtbot, book, warm_child)
    menus = window.menus
    titles = [a.text() for a in window.menuBar().actions()]
    assert titles == ["&File", "&Edit", "&View", "&Help"]
    assert menus.preferences_action.shortcut().toString() == "Ctrl+,"
    menus.import_action.trigger()
    assert len(_top_level("ImportWizard")) == 1
    _top_level("ImportWizard")[0].close()
    menus.history_action.trigger()
    assert len(_top_level("ImportHistoryDialog")) == 1
    _top_level("ImportHistoryDialog")[0].close()
    menus.backups_action.trigger()
    assert len(_top_level("RestoreDialog")) == 1
    _top_level("RestoreDialog")[0].close()
    menus.preferences_action.trigger()
    assert len(_top_level("PreferencesDialog")) == 1
    _top_level("PreferencesDialog")[0].close()
    dialog = menus.show_shortcuts()
    rows = {(where, command): keys for where, command, keys in menus.shortcut_rows()}
    assert rows[("Everywhere", "Preferences…")] == "Ctrl+," and rows[("Everywhere", "Quick find")] == "Ctrl+K"
    # Panel shortcuts too, read from the registered actions (Ctrl+F, Ctrl+E and Delete were missing).
    assert rows[("Households", "Find")] == "Ctrl+F"
    assert rows[("Households", "Edit household")] == "Ctrl+E"
    assert rows[("Households", "Delete household")] == "Del"
    assert rows[("Schedule", "New activity")] == "Ctrl+Shift+N"
    assert dialog.findChild(QTableWidget, "shortcuts_table").rowCount() == len(rows)
    # No key does two things at once (Qt runs neither when two window-wide shortcuts share a key).
    everywhere = [keys for (where, _c), keys in rows.items() if where == "Everywhere"]
    assert len(everywhere) == len(set(everywhere))
    for (where, _c), keys in rows.items():
        assert where == "Everywhere" or keys not in everywhere
    dialog.close()
    assert "0.1" in menus.about_text() and str(book.path) in menus.about_text()
    window.close()
    ctx.tasks.shutdown()


def test_export_book_writes_the_open_format(qtbot, book, warm_child, tmp_path) -> None:
    with book.session() as s:
        f.household(s, "Smith household")
    window, ctx = _window(qtbot, book, warm_child)
    with qtbot.waitSignal(
        ctx.signals.status_message, timeout=5000, check_params_cb=lambda t: "Exported" in t
    ):
        window.menus.export_to(tmp_path / "export")
    assert "Smith household" in (tmp_path / "export" / "households.csv").read_text(encoding="utf-8")
    window.close()
    ctx.tasks.shutdown()


@pytest.mark.parametrize("guarded", [True, False])
def test_export_book_follows_the_windows_formula_guard_setting(
    qtbot, book, warm_child, tmp_path, guarded
) -> None:
    """The window passes its own settings (export.csv_formula_guard) to the exporter, which reads no file."""
    from actdesk.services.cell_guard import ExportSettings

    with book.session() as s:
        f.household(s, "=SUM(A1)")
    window, ctx = _window(qtbot, book, warm_child)
    ctx.settings.set_section(ExportSettings(csv_formula_guard=guarded))
    with qtbot.waitSignal(
        ctx.signals.status_message, timeout=5000, check_params_cb=lambda t: "Exported" in t
    ):
        window.menus.export_to(tmp_path / "export")
    text = (tmp_path / "export" / "households.csv").read_text(encoding="utf-8")
    assert ("'=SUM(A1)" in text) is guarded and "=SUM(A1)" in text
    window.close()
    ctx.tasks.shutdown()


def test_welcome_can_encrypt_the_new_book_with_its_key_in_the_keyring(qtbot, book, warm_child) -> None:
    window, ctx = _window(qtbot, book, warm_child, welcome=True)
    welcome = window.welcome
    assert welcome is not None and welcome.encrypt_box.isVisibleTo(welcome)
    welcome.encrypt_box.setChecked(True)
    welcome.empty_button.click()
    qtbot.waitUntil(lambda: window.welcome is None, timeout=10_000)
    assert ctx.book is not book and ctx.book.key is not None
    assert encryption_state(ctx.book.path) == "encrypted"
    with ctx.book.session() as s:
        f.household(s, "Written after encryption")
    assert count_households_now(ctx.book) == 1
    window.close()
    ctx.tasks.shutdown()
    ctx.book.dispose()


def _wait(qtbot, condition: Callable[[], bool]) -> None:
    qtbot.waitUntil(condition, timeout=5000)


def test_view_menu_starts_the_meeting_view_for_the_open_client(qtbot, book, warm_child) -> None:
    with book.session() as s:
        smith = f.household(s, "Smith household")
        f.contact(s, smith, "Ann", "Smith")
    household_id = smith
    window, ctx = _window(qtbot, book, warm_child, first_panel="book")
    qtbot.waitUntil(lambda: window.current_key is not None, timeout=5000)
    if "book" not in window.panels:
        pytest.skip("this build has no Book dashboard")
    ctx.signals.client_dashboard_requested.emit(household_id)
    window.menus.meeting_action.trigger()
    meeting = window.panels["book"].meeting
    assert meeting is not None and ctx.in_meeting
    meeting.close()
    assert not ctx.in_meeting
    window.close()
    ctx.tasks.shutdown()
