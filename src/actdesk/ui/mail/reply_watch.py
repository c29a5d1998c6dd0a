"""The reply watcher behind the window: the Qt-free ``ReplyWatcher`` loop on a thread of its own, reporting
by queued signals; filed replies refresh the card (its attention strip reads ``mail_inbox``) and show a tray
notification (no client names while the meeting view is up)."""

from __future__ import annotations

import contextlib
import logging
import threading

from PySide6.QtCore import QCoreApplication, QObject, Signal, Slot
from PySide6.QtWidgets import QSystemTrayIcon

from actdesk.i18n import _, ngettext
from actdesk.services.engagement.config import load_engagement_settings
from actdesk.services.mail.config import load_mail_settings
from actdesk.services.mail.imap_watch import ReplyWatcher, WatchContext
from actdesk.services.mail.replies_inbox import CheckReport
from actdesk.services.schedule_zone import advisor_zone
from actdesk.ui import icons, theme
from actdesk.ui.context import AppContext
from actdesk.ui.topics import Topic

log = logging.getLogger(__name__)


def notification_text(report: CheckReport, discreet: bool) -> tuple[str, str] | None:
    filed, review = report.filed, report.needs_review
    if not filed and not review:
        return None
    n = len(filed) + len(review)
    title = ngettext("{n} reply came back", "{n} replies came back", n).format(n=n)
    if discreet:
        return title, _("Filed in the book; open the card to see them.")
    names = sorted({t.household for t in filed if t.household})
    parts = []
    if names:
        shown = ", ".join(names[:3]) + (" " + _("and others") if len(names) > 3 else "")
        parts.append(_("Filed for {households}.").format(households=shown))
    if review:
        parts.append(
            ngettext("{n} needs your review.", "{n} need your review.", len(review)).format(n=len(review))
        )
    return title, " ".join(parts)


class ReplyWatchService(QObject):
    sig_report = Signal(object)  # CheckReport, on the GUI thread
    sig_problem = Signal(str)
    sig_notified = Signal(str, str)

    def __init__(self, ctx: AppContext, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.watcher = ReplyWatcher(self._context, self.sig_report.emit, self.sig_problem.emit)
        self.watch_thread: threading.Thread | None = None
        self.tray: QSystemTrayIcon | None = None
        self.last_problem: str | None = None
        self._shut = False
        self.sig_report.connect(self._reported)
        self.sig_problem.connect(self._problem)
        ctx.signals.data_changed.connect(self._data_changed)
        app = QCoreApplication.instance()
        if app is not None:
            app.aboutToQuit.connect(self.shutdown)

    def _context(self) -> WatchContext:
        # Runs on the watcher's thread: plain data only.
        settings = self.ctx.settings
        return WatchContext(self.ctx.book, load_mail_settings(settings), load_engagement_settings(settings),
                            advisor_zone(settings), settings.general.language)  # fmt: skip

    def start(self) -> None:
        """Start the loop once replies are to be read; a no-op when off, read-only or already running."""
        cfg = load_mail_settings(self.ctx.settings)
        if self.ctx.read_only or not cfg.imap_enabled or not cfg.imap_host:
            return
        if self.watch_thread is None or not self.watch_thread.is_alive():
            self.watcher.stop_event.clear()
            self.watch_thread = threading.Thread(target=self.watcher.run, name="actdesk-replies", daemon=True)
            self.watch_thread.start()

    def check_now(self) -> None:
        self.start()
        self.watcher.check_now()

    @Slot(str)
    def _data_changed(self, topic: str) -> None:
        if topic == Topic.SETTINGS:
            self.start()
            self.watcher.check_now()  # the loop reconnects when the settings changed

    @Slot(object)
    def _reported(self, report: CheckReport) -> None:
        self.last_problem = None
        if not report.taken:
            return
        self.ctx.signals.data_changed.emit(Topic.LIFE_EVENTS)
        self.ctx.signals.data_changed.emit(Topic.MAIL)
        text = notification_text(report, discreet=self.ctx.in_meeting)
        if text is None:
            return
        title, message = text
        if QSystemTrayIcon.isSystemTrayAvailable() and QSystemTrayIcon.supportsMessages():
            if self.tray is None:
                self.tray = QSystemTrayIcon(icons.icon("mail", theme.ACCENT), self)
                self.tray.setToolTip("actdesk")
            self.tray.show()
            self.tray.showMessage(title, message, QSystemTrayIcon.MessageIcon.Information, 10_000)
        else:  # no tray (offscreen, some Linux desktops): the status bar says it
            self.ctx.signals.status_message.emit(f"{title} {message}")
        self.sig_notified.emit(title, message)

    @Slot(str)
    def _problem(self, message: str) -> None:
        if message != self.last_problem:  # said once, not at every retry
            self.last_problem = message
            self.ctx.signals.status_message.emit(_("Replies: {problem}").format(problem=message))

    def shutdown(self, timeout: float = 10.0) -> bool:
        self.watcher.stop()
        if not self._shut:  # called by the window's close and by aboutToQuit: a second disconnect warns
            self._shut = True
            with contextlib.suppress(RuntimeError, TypeError):
                self.ctx.signals.data_changed.disconnect(self._data_changed)
        if self.tray is not None:
            self.tray.hide()
        if self.watch_thread is not None:
            self.watch_thread.join(timeout)
            if self.watch_thread.is_alive():
                log.warning("the reply watcher did not stop within %.0f s", timeout)
                return False
        return True
