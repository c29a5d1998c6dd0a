"""Lock the window after inactivity: client data hidden behind a lock screen until the user proves who they are.

An application-wide event filter restarts a timer on every key press, click, wheel or touch; when it
fires, an opaque overlay covers the whole main window and every input aimed elsewhere is swallowed (so
shortcuts and menus do nothing while locked). Open dialogs are hidden while locked and shown again after.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QEvent, QObject, Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QApplication,
    QDialog,
    QFrame,
    QLabel,
    QLineEdit,
    QMainWindow,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from actdesk.i18n import _
from actdesk.services.privacy import PrivacySettings, Unlocker
from actdesk.ui import theme

_ACTIVITY = {
    QEvent.Type.KeyPress,
    QEvent.Type.MouseButtonPress,
    QEvent.Type.MouseMove,
    QEvent.Type.Wheel,
    QEvent.Type.TouchBegin,
}
_INPUT = _ACTIVITY | {
    QEvent.Type.KeyRelease,
    QEvent.Type.ShortcutOverride,
    QEvent.Type.Shortcut,
    QEvent.Type.MouseButtonRelease,
    QEvent.Type.MouseButtonDblClick,
}


class LockOverlay(QFrame):
    """The lock screen: no client data, one field, one button."""

    sig_unlock_requested = Signal(str)

    def __init__(self, method: str, parent: QWidget) -> None:
        super().__init__(parent)
        self.setObjectName("LockOverlay")
        self.setAutoFillBackground(True)
        colors = theme.colors()
        self.setStyleSheet(f"#LockOverlay {{ background: {colors.window}; }}")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(theme.S6, theme.S6, theme.S6, theme.S6)
        layout.setSpacing(theme.S3)
        layout.addStretch(2)
        card = QFrame(self)
        card.setObjectName("LockCard")
        card.setMinimumWidth(400)
        card.setMaximumWidth(480)
        card.setStyleSheet(
            f"#LockCard {{ background: {colors.surface}; border: 1px solid {colors.border}; border-radius: 8px; }}"
        )
        inner = QVBoxLayout(card)
        inner.setContentsMargins(theme.S6, theme.S6, theme.S6, theme.S6)
        inner.setSpacing(theme.S3)
        title = QLabel(_("actdesk is locked"), card)
        title.setObjectName("SectionTitle")
        font = title.font()
        font.setPointSize(theme.TITLE_SIZE)
        font.setBold(True)
        title.setFont(font)
        prompts = {
            "book": _("Enter the book's passphrase to continue."),
            "passphrase": _("Enter your lock passphrase to continue."),
            "os": _("Enter your computer account's password to continue."),
        }
        hint = QLabel(prompts.get(method, prompts["passphrase"]), card)
        hint.setWordWrap(True)
        hint.setObjectName("Muted")
        self.secret = QLineEdit(card)
        self.secret.setEchoMode(QLineEdit.EchoMode.Password)
        self.secret.setPlaceholderText(_("Passphrase"))
        self.secret.setAccessibleName(_("Passphrase"))
        self.error = QLabel("", card)
        self.error.hide()
        self.error.setStyleSheet(f"color: {colors.danger};")
        self.error.setWordWrap(True)
        self.unlock_button = QPushButton(_("Unlock"), card)
        self.unlock_button.setDefault(True)
        self.unlock_button.setObjectName("Primary")
        for widget in (title, hint, self.secret, self.error, self.unlock_button):
            inner.addWidget(widget)
        layout.addWidget(card, 0, Qt.AlignmentFlag.AlignHCenter)
        layout.addStretch(3)
        self.unlock_button.clicked.connect(self._submit)
        self.secret.returnPressed.connect(self._submit)

    def _submit(self) -> None:
        self.sig_unlock_requested.emit(self.secret.text())

    def refused(self) -> None:
        self.secret.clear()
        self.error.setText(_("That is not the right passphrase. Try again."))
        self.error.show()
        self.secret.setFocus()


class PrivacyLock(QObject):
    """Watches for inactivity and locks ``window``; unlocking needs the secret the Unlocker accepts."""

    sig_locked = Signal()
    sig_unlocked = Signal()

    def __init__(self, window: QWidget, unlocker: Unlocker, minutes: int) -> None:
        super().__init__(window)
        self.window = window
        self.unlocker = unlocker
        self.overlay: LockOverlay | None = None
        self._hidden: list[QWidget] = []
        self.timer = QTimer(self)
        self.timer.setSingleShot(True)
        self.timer.timeout.connect(self.lock)
        self._filtering = False
        self.set_minutes(minutes)

    @property
    def locked(self) -> bool:
        return self.overlay is not None

    def set_minutes(self, minutes: int) -> None:
        self.minutes = max(0, int(minutes))
        if self.minutes and self.unlocker.method is not None:
            self.timer.start(self.minutes * 60_000)
        else:
            self.timer.stop()
        self._watch_events(self.timer.isActive() or self.overlay is not None)

    def _watch_events(self, on: bool) -> None:
        """The application-wide filter only while it has a use (activity to time, a lock to guard): it
        calls into Python for every event of every widget, thousands while the window starts."""
        app = QApplication.instance()
        if app is None or on == self._filtering:
            return
        if on:
            app.installEventFilter(self)
        else:
            app.removeEventFilter(self)
        self._filtering = on

    @property
    def problem(self) -> str | None:
        """Why the window will not lock although the advisor asked it to (a keyring failure), or None."""
        if self.minutes and self.unlocker.method is None:
            return self.unlocker.problem
        return None

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        kind = event.type()
        if self.overlay is not None:
            # Swallow input aimed at anything but the lock screen.
            return kind in _INPUT and not self._inside_overlay(watched)
        if kind in _ACTIVITY and self.minutes:
            self.timer.start(self.minutes * 60_000)
        return False

    def _inside_overlay(self, obj: QObject) -> bool:
        node: Any = obj
        while node is not None:
            if node is self.overlay:
                return True
            node = node.parent() if isinstance(node, QObject) else None
        return False

    def lock(self) -> None:
        method = self.unlocker.method
        if self.overlay is not None or method is None:
            return
        self._hidden = [
            w
            for w in QApplication.topLevelWidgets()
            if w is not self.window and w.isVisible() and isinstance(w, QDialog)
        ]
        for widget in self._hidden:
            widget.hide()
        self.overlay = LockOverlay(method, self.window)
        self._watch_events(True)
        self.overlay.setGeometry(self.window.rect())
        self.overlay.sig_unlock_requested.connect(self._try_unlock)
        self.overlay.show()
        self.overlay.raise_()
        self.overlay.secret.setFocus()
        if isinstance(self.window, QMainWindow) and self.window.menuBar() is not None:
            self.window.menuBar().setEnabled(False)
        self.sig_locked.emit()

    def _try_unlock(self, secret: str) -> None:
        if self.overlay is None:
            return
        if not self.unlocker.verify(secret):
            self.overlay.refused()
            return
        self.overlay.deleteLater()
        self.overlay = None
        if isinstance(self.window, QMainWindow) and self.window.menuBar() is not None:
            self.window.menuBar().setEnabled(True)
        for widget in self._hidden:
            widget.show()
        self._hidden = []
        self.set_minutes(self.minutes)
        self.sig_unlocked.emit()

    def resize_overlay(self) -> None:
        if self.overlay is not None:
            self.overlay.setGeometry(self.window.rect())


class _ResizeWatcher(QObject):
    def __init__(self, lock: PrivacyLock) -> None:
        super().__init__(lock)
        self._lock = lock

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Resize:
            self._lock.resize_overlay()
        return False


def install_privacy_lock(window: QWidget, ctx: Any) -> PrivacyLock:
    """Lock ``window`` after the inactivity set in Settings ("privacy": lock_after_minutes, unlock_with).

    Returns the controller (parented to the window); ``lock()`` locks at once (e.g. a toolbar button).
    """
    settings = ctx.settings.section(PrivacySettings)
    unlocker = Unlocker(getattr(ctx.book, "key", None), settings)
    lock = PrivacyLock(window, unlocker, settings.lock_after_minutes)
    window.installEventFilter(_ResizeWatcher(lock))
    signals = getattr(ctx, "signals", None)
    if lock.problem and signals is not None:  # logged by the Unlocker; the advisor must know it will not lock
        signals.status_message.emit(lock.problem)
    return lock
