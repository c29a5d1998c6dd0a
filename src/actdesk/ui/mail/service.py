"""The window's send loop, without the Campaigns panel: due mail, automations, replies, the rail's count.

While the window is open, mail that is due goes out every minute (the first run 15 seconds after start
catches up on what fell due while the app was closed), automations run every hour, and replies are read back
from the mailbox (IMAP IDLE or polling, on a thread of its own). An ``actdesk outbox send`` run while the
window holds the book leaves a request that this service takes and answers by sending at once
(``send_requests.py``). All work goes through the task runner.

The window starts this behind itself; the Campaigns panel (outbox, builder, templates: hundreds of widgets)
is built only when the advisor opens it and then shows what this service reports. One per window
(``mail_service(ctx)``).
"""

from __future__ import annotations

import contextlib
from datetime import datetime
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject, QTimer, Signal

from actdesk.i18n import _, ngettext, user_message
from actdesk.services.mail.config import MailSettings, load_mail_settings
from actdesk.settings import Settings
from actdesk.storage.engine import Book
from actdesk.storage.repositories import mail as mail_repo
from actdesk.ui.context import AppContext
from actdesk.ui.mail.reply_watch import ReplyWatchService
from actdesk.ui.mail.send_requests import SendRequests
from actdesk.ui.tasks import TaskHandle, TaskState
from actdesk.ui.topics import Topic

if TYPE_CHECKING:
    from actdesk.services.mail.outbox import SendReport

SEND_INTERVAL_MS = 60_000
FIRST_RUN_MS = 15_000
AUTOMATION_EVERY = 60  # send ticks between automation runs
BADGE_TOPICS = (Topic.MAIL, Topic.SETTINGS)


def needing_attention(_state: object, book: Book) -> int:
    """Messages the advisor must look at: failed, or interrupted while sending (uncertain)."""
    with book.reader() as s:
        return len(mail_repo.list_messages(s, states=("failed", "uncertain")))


# The send and automation jobs import the transports and the template engine (0.2-0.3 s of imports that hold
# the interpreter lock): they are imported by the first task that runs them, on its worker, not at start.
def _send_due(state: TaskState, book: Book, cfg: MailSettings) -> SendReport:
    from actdesk.services.mail import jobs

    return jobs.send_now(state, book, cfg)


def _run_rules(state: TaskState, book: Book, settings: Settings, cfg: MailSettings, now: datetime) -> Any:
    from actdesk.services.mail import jobs

    return jobs.run_rules(state, book, settings, cfg, now)


class MailService(QObject):
    sig_send_started = Signal()
    sig_send_ended = Signal()  # sent or failed: the panel's button is enabled again
    sig_send_finished = Signal(object)  # SendReport, when a send ran (not when it failed)
    sig_status = Signal(str)  # a sentence for the panel's status line
    sig_badge_changed = Signal(int)  # messages needing attention (failed + uncertain)

    def __init__(self, ctx: AppContext, parent: QObject | None = None) -> None:
        super().__init__(parent)  # kept by the window's background (or the panel, in tests of the panel)
        self.ctx = ctx
        self.tasks = ctx.tasks
        self.started = False
        self._shut = False
        self._sending: TaskHandle | None = None
        self._send_again = False  # a request came while a send was running: one more after it
        self._ticks = 0
        self.timer = QTimer(self)
        self.timer.setInterval(SEND_INTERVAL_MS)
        self.timer.timeout.connect(self._tick)
        self.requests: SendRequests | None = None
        self.reply_watch: ReplyWatchService | None = None

    def start(self) -> None:
        """Start the send timer (when an account is set up), the command line's hand-over and the reply
        watcher, and read the rail's count. Safe to call twice."""
        if self.started:
            return
        self.started = True
        lock = getattr(self.ctx.book, "lock", None)
        if lock is not None and not self.ctx.read_only:  # the window holds the book: commands hand it sends
            self.requests = SendRequests(lock.database, self)
            self.requests.sig_requested.connect(self._send_requested)
            QTimer.singleShot(0, self, self.requests.check)  # one left while no window was open
        self.ctx.signals.data_changed.connect(self._data_changed)
        self.update_account_state()
        self.refresh_badge()
        self.reply_watch = ReplyWatchService(self.ctx, self)
        self.reply_watch.start()

    @property
    def sending(self) -> bool:
        return self._sending is not None

    def configured(self) -> bool:
        return load_mail_settings(self.ctx.settings).configured

    def update_account_state(self) -> None:
        ok = self.configured()
        if ok and not self.timer.isActive():
            self.timer.start()
            QTimer.singleShot(FIRST_RUN_MS, self, self._tick)  # what fell due while the app was closed
        elif not ok:
            self.timer.stop()

    def refresh_badge(self) -> None:
        self.tasks.run_task(needing_attention, self.ctx.book, on_done=self.sig_badge_changed.emit, owner=self)

    def _data_changed(self, topic: str) -> None:
        if topic == Topic.SETTINGS:
            self.update_account_state()
        if topic in BADGE_TOPICS:
            self.refresh_badge()

    def _send_requested(self) -> None:
        if self._sending is not None:
            self._send_again = True
        else:
            self.send_now()

    def _tick(self) -> None:
        if self.requests is not None:
            self.requests.check()
        self._ticks += 1
        if self._ticks % AUTOMATION_EVERY == 1:
            self.run_automations()
        self.send_now()

    # -- sending ----------------------------------------------------------------------------------------------
    def send_now(self) -> None:
        if self._sending is not None or not self.configured() or self.ctx.read_only:
            return
        self.sig_send_started.emit()
        self.sig_status.emit(_("Sending…"))
        cfg = load_mail_settings(self.ctx.settings)
        self._sending = self.tasks.run_task(
            _send_due,
            self.ctx.book,
            cfg,
            on_done=self._sent,
            on_error=self._send_failed,
            on_progress=lambda f, _m: self.sig_status.emit(
                _("Sending… {percent}").format(percent=f"{f:.0%}")
            ),
            pool="compute",
            owner=self,
        )

    def _sent(self, report: SendReport) -> None:
        self._sending = None
        if self._send_again:
            self._send_again = False
            QTimer.singleShot(0, self, self.send_now)
        text = _("Sent {sent}, failed {failed}, will retry {retrying}, uncertain {uncertain}.").format(
            sent=report.sent, failed=report.failed, retrying=report.retrying, uncertain=report.uncertain
        )
        if report.recovered:
            text += "  " + ngettext(
                "{n} message interrupted earlier is now marked uncertain.",
                "{n} messages interrupted earlier are now marked uncertain.",
                len(report.recovered),
            ).format(n=len(report.recovered))
        self.sig_status.emit(text + (("  " + report.stopped) if report.stopped else ""))
        self.sig_send_ended.emit()
        self.sig_send_finished.emit(report)
        if report.handled or report.recovered:
            self.ctx.signals.data_changed.emit(Topic.MAIL)

    def _send_failed(self, error: BaseException) -> None:
        self._sending = None
        self._send_again = False
        self.sig_status.emit(user_message(error))
        self.sig_send_ended.emit()

    def run_automations(self) -> None:
        if not self.configured() or self.ctx.read_only:
            return
        cfg = load_mail_settings(self.ctx.settings)
        self.tasks.run_task(
            _run_rules,
            self.ctx.book,
            self.ctx.settings,
            cfg,
            self.ctx.now(),
            on_done=self._rules_done,
            on_error=lambda e: self.sig_status.emit(user_message(e)),
            owner=self,
        )

    def _rules_done(self, report: Any) -> None:
        n = sum(report.queued.values())
        if n:
            self.sig_status.emit(
                ngettext("{n} automatic message queued.", "{n} automatic messages queued.", n).format(n=n)
            )
            self.ctx.signals.data_changed.emit(Topic.MAIL)

    def shutdown(self) -> object:
        """Stop the timer and the reply watcher; safe to call twice (the panel and the window's close)."""
        self.timer.stop()
        if self.started and not self._shut:  # a second disconnect warns
            self._shut = True
            with contextlib.suppress(RuntimeError, TypeError):
                self.ctx.signals.data_changed.disconnect(self._data_changed)
        return self.reply_watch.shutdown() if self.reply_watch is not None else True


def mail_service(ctx: AppContext, parent: QObject | None = None) -> MailService:
    """The window's one send loop, created (not started) on first use."""
    if ctx.mail is None:
        ctx.mail = MailService(ctx, parent)
    return ctx.mail
