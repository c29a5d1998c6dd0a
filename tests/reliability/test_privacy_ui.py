"""The lock screen hides client data until the right secret; the backups dialog shows what a backup holds."""

from __future__ import annotations

from types import SimpleNamespace

from PySide6.QtCore import QEvent, Qt
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QApplication, QLabel, QMainWindow
from tests import factories as f

from actdesk.services.backup import BackupSettings, backup_now
from actdesk.services.privacy import PrivacySettings, Unlocker, set_lock_passphrase
from actdesk.settings import load_settings
from actdesk.ui.privacy import BackupListModel, RestoreDialog, install_privacy_lock


def _window(qtbot) -> QMainWindow:
    window = QMainWindow()
    window.setCentralWidget(QLabel("Client: Castellanos household, net worth $2,400,000"))
    qtbot.addWidget(window)
    window.resize(1000, 700)
    window.show()
    return window


def test_inactivity_locks_and_only_the_right_passphrase_unlocks(qtbot, book) -> None:
    set_lock_passphrase("meeting room 4")
    window = _window(qtbot)
    settings = load_settings()
    settings.raw["privacy"] = {"lock_after_minutes": 5}
    lock = install_privacy_lock(window, SimpleNamespace(book=book, settings=settings))
    assert lock.timer.isActive() and lock.timer.interval() == 5 * 60_000
    with qtbot.waitSignal(lock.sig_locked):
        lock.timer.timeout.emit()  # five idle minutes, without waiting for them
    assert lock.locked and lock.overlay is not None and lock.overlay.isVisible()
    assert lock.overlay.geometry() == window.rect()
    # A shortcut aimed at the window is swallowed while locked.
    key = QKeyEvent(QEvent.Type.KeyPress, Qt.Key.Key_K, Qt.KeyboardModifier.ControlModifier)
    assert lock.eventFilter(window.centralWidget(), key) is True
    lock.overlay.grab().save("/tmp/actdesk-lock-screen.png")
    qtbot.keyClicks(lock.overlay.secret, "wrong guess")
    lock.overlay.unlock_button.click()
    assert lock.locked and "not the right" in lock.overlay.error.text()
    qtbot.keyClicks(lock.overlay.secret, "meeting room 4")
    with qtbot.waitSignal(lock.sig_unlocked):
        lock.overlay.unlock_button.click()
    assert not lock.locked and lock.timer.isActive()


def test_the_application_wide_filter_runs_only_while_it_has_a_use(qtbot, book) -> None:
    """It calls into Python for every event of every widget (thousands at start-up): installed while
    activity is timed or the window is locked, not when the lock is off."""
    set_lock_passphrase("meeting room 4")
    window = _window(qtbot)
    settings = load_settings()
    settings.raw["privacy"] = {"lock_after_minutes": 0}
    lock = install_privacy_lock(window, SimpleNamespace(book=book, settings=settings))
    seen: list[QEvent.Type] = []
    original = lock.eventFilter

    def counting(watched, event):  # type: ignore[no-untyped-def]
        seen.append(event.type())
        return original(watched, event)

    lock.eventFilter = counting  # type: ignore[method-assign]
    QApplication.sendEvent(window, QEvent(QEvent.Type.User))
    assert not lock._filtering and seen == []
    lock.set_minutes(5)
    QApplication.sendEvent(window, QEvent(QEvent.Type.User))
    assert lock._filtering and QEvent.Type.User in seen
    lock.set_minutes(0)
    lock.lock()  # "Lock now" with no timer: the lock still swallows input
    assert lock.locked and lock._filtering


def test_a_passphrase_encrypted_book_unlocks_with_its_passphrase() -> None:
    unlocker = Unlocker("the book passphrase", PrivacySettings())
    assert unlocker.method == "book"
    assert unlocker.verify("the book passphrase") and not unlocker.verify("something else")
    raw = Unlocker("x'" + "ab" * 32 + "'", PrivacySettings(unlock_with="passphrase"))
    assert raw.method is None  # a keyring key is no secret the user knows: no lock without a lock passphrase


def test_a_keyring_failure_is_logged_and_told_not_a_silent_stop_of_the_lock(
    qtbot, book, caplog, monkeypatch
) -> None:
    import keyring
    from keyring.errors import KeyringLocked
    from PySide6.QtCore import QObject, Signal

    from actdesk.services import privacy

    set_lock_passphrase("meeting room 4")

    def locked(_service: str, _user: str) -> str:
        raise KeyringLocked("the login keyring is locked")

    monkeypatch.setattr(keyring.get_keyring(), "get_password", locked)
    monkeypatch.setattr(privacy, "os_account_supported", lambda: False)

    class Signals(QObject):
        status_message = Signal(str)

    signals = Signals()
    said: list[str] = []
    signals.status_message.connect(said.append)
    settings = load_settings()
    settings.raw["privacy"] = {"lock_after_minutes": 5, "unlock_with": "passphrase"}
    lock = install_privacy_lock(
        _window(qtbot), SimpleNamespace(book=book, settings=settings, signals=signals)
    )
    assert not lock.timer.isActive()  # it cannot lock: nothing could unlock it
    assert (
        lock.problem is not None
        and "keyring" in lock.problem
        and "the login keyring is locked" not in lock.problem  # the keyring's own words go to the log
    )
    assert said == [lock.problem]  # the advisor is told, in the status bar
    assert any(
        r.levelname == "WARNING"
        and "keyring could not be read" in r.getMessage()
        and "the login keyring is locked" in r.getMessage()
        for r in caplog.records
    )


def test_restore_dialog_shows_what_each_backup_holds_and_restores(qtbot, qtmodeltester, book) -> None:
    with book.session() as s:
        for name in ("Abernathy", "Brennan"):
            f.household(s, f"{name} household")
    first = backup_now(book, "scheduled")
    with book.session() as s:
        f.household(s, "Castellanos household")
    ctx = SimpleNamespace(book=book, settings=load_settings(), signals=None, tasks=None)
    dialog = RestoreDialog(ctx)
    qtbot.addWidget(dialog)
    dialog.backup_button.click()
    assert dialog.model.rowCount() == 2
    qtmodeltester.check(dialog.model)
    assert "3 households" in dialog.details.text()
    dialog.show()
    dialog.grab().save("/tmp/actdesk-backups-dialog.png")
    dialog.table.selectRow(1)
    assert dialog.current() is not None and dialog.current().id == first.id
    assert "2 households" in dialog.details.text() and "safety backup" in dialog.confirm_text(first)
    dialog.restore(first)
    with book.reader() as s:
        from actdesk.storage.tables.book import HouseholdRow

        assert sorted(h.name for h in s.query(HouseholdRow)) == ["Abernathy household", "Brennan household"]
    assert dialog.model.rowCount() == 3  # the safety backup joined the list
    assert isinstance(dialog.model.data(dialog.model.index(0, 0), BackupListModel.BackupRole).id, str)
    QApplication.processEvents()


def test_the_user_picks_the_backup_folder(qtbot, book, tmp_path) -> None:
    dialog = RestoreDialog(SimpleNamespace(book=book, settings=load_settings(), signals=None, tasks=None))
    qtbot.addWidget(dialog)
    external = tmp_path / "USB drive"
    dialog.set_folder(external)
    assert load_settings().section(BackupSettings).folder == str(external)
    assert str(external) in dialog.intro.text()
    dialog.backup_button.click()
    assert [p.suffix for p in sorted(next(external.iterdir()).iterdir())] == [".db", ".json"]
