"""Reminders shortly before an activity: a tray notification where the desktop has a tray (seen even while
the window is minimised), else a toast in the window plus a taskbar alert. The choice of what to remind
comes from ``services.reminders``; this module only shows it."""

from __future__ import annotations

import shiboken6
from PySide6.QtCore import QObject, Qt, QTimer, Signal
from PySide6.QtWidgets import QApplication, QFrame, QLabel, QSystemTrayIcon, QVBoxLayout, QWidget
from shiboken6 import isValid

from actdesk.domain.schedule.config import ScheduleSettings
from actdesk.i18n import _, ngettext
from actdesk.services import reminders
from actdesk.ui import icons, theme
from actdesk.ui.context import AppContext

POLL_MS = 30_000


class Toast(QFrame):
    """A small card in the window's corner that hides itself."""

    def __init__(self, parent: QWidget) -> None:
        super().__init__(parent)
        self.setObjectName("Card")
        self.title = QLabel(self)
        self.title.setTextFormat(Qt.TextFormat.PlainText)  # the book's own text, never markup
        self.title.setObjectName("SectionTitle")
        self.title.setWordWrap(True)  # "In 8 minutes: Social Security timing meeting" on two lines, whole
        self.body = QLabel(self)
        self.body.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(theme.S3, theme.S2, theme.S3, theme.S3)
        layout.addWidget(self.title)
        layout.addWidget(self.body)
        self.setFixedWidth(320)
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.timeout.connect(self.hide)
        self.hide()

    def show_message(self, title: str, body: str, msecs: int = 12_000) -> None:
        self.title.setText(title)
        self.body.setText(body)
        layout = self.layout()
        # As tall as the wrapped lines need at this width (adjustSize measures wrapped labels before they
        # know their width, and left a third line of a long title outside the card).
        self.resize(
            self.width(), layout.totalHeightForWidth(self.width()) if layout else self.sizeHint().height()
        )
        host = self.parentWidget()
        if host is not None:
            self.move(host.width() - self.width() - theme.S4, host.height() - self.height() - theme.S4)
        self.raise_()
        self.show()
        self._timer.start(msecs)


class ReminderNotifier(QObject):
    sig_reminded = Signal(object)  # list[reminders.Reminder]

    def __init__(
        self, ctx: AppContext, host: QWidget | None, tz: object, parent: QObject | None = None
    ) -> None:
        super().__init__(parent)
        self.ctx, self.host, self.tz = ctx, host, tz
        self.settings = ctx.settings.section(ScheduleSettings)
        self.shown: set[reminders.ReminderKey] = set()
        self.tray: QSystemTrayIcon | None = None
        if QSystemTrayIcon.isSystemTrayAvailable():
            self.tray = QSystemTrayIcon(icons.icon("calendar"), self)
            self.tray.setToolTip("actdesk")
        self.toast: Toast | None = None
        self.timer = QTimer(self)
        self.timer.setInterval(POLL_MS)
        self.timer.timeout.connect(self.check)

    def start(self) -> None:
        if self.settings.reminders_enabled:
            self.timer.start()
            QTimer.singleShot(0, self.check)

    def stop(self) -> None:
        if shiboken6.isValid(self.timer):  # the window may already have deleted its children
            self.timer.stop()

    def check(self) -> None:
        minutes = self.settings.reminder_minutes_before
        try:
            self.ctx.tasks.run_task(
                lambda _state: self._pending(minutes), on_done=self.show, on_error=lambda _exc: None
            )
        except RuntimeError:  # the window's task runner has shut down (it is closing): no more reminders
            self.stop()

    def _pending(self, minutes: int) -> list[reminders.Reminder]:
        with self.ctx.book.reader() as s:
            return reminders.pending(s, self.ctx.now(), self.tz, minutes, frozenset(self.shown))  # type: ignore[arg-type]

    def show(self, due: list[reminders.Reminder]) -> None:
        due = [r for r in due if r.key not in self.shown]
        if not due or self.ctx.in_meeting:  # shown at the next check after the meeting view closes
            return
        window = self.host.window() if self.host is not None else QApplication.activeWindow()
        if self.tray is None and window is None:
            return  # nowhere to show it yet: kept for the next check
        self.shown.update(r.key for r in due)
        first = due[0]
        title = ngettext("In {n} minute: {subject}", "In {n} minutes: {subject}", first.minutes_left).format(
            n=first.minutes_left, subject=first.occurrence.subject
        )
        lines = [first.household] + [
            _("Also: {subject} ({household})").format(subject=r.occurrence.subject, household=r.household)
            for r in due[1:]
        ]
        body = "\n".join(line for line in lines if line)
        if self.tray is not None:
            self.tray.show()
            self.tray.showMessage(title, body, QSystemTrayIcon.MessageIcon.Information, 15_000)
        else:
            assert window is not None
            if self.toast is None or not isValid(self.toast) or self.toast.parentWidget() is not window:
                self.toast = Toast(window)
            self.toast.show_message(title, body)
            QApplication.alert(window)
        self.sig_reminded.emit(due)
