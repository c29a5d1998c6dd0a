"""The background watcher: evaluates the alert rules off the GUI thread and reports by queued signals.

It wraps the Qt-free ``AlertEngine`` (its own thread, one evaluation at a time) and adds what only the GUI
knows: a QTimer for the periodic run (``interval_minutes`` in the "alerts" settings, default 15), a run
right after start, a debounced run after ``ctx.signals.data_changed`` for a topic the rules read, and
desktop notifications for new high-severity alerts.

The heavy half of each evaluation (facts, rules, retention model) runs in the engine's child process,
so the GIL-holding pandas work never stalls this process's event loop; the merge and its one write
transaction stay on the engine's thread. Without a child (none can start) it computes in the thread.

Call ``shutdown()`` when the window closes (the panel does it from ``shutdown()`` and on
``QCoreApplication.aboutToQuit``): it stops the timer, asks a running evaluation to stop, joins the
thread and ends the child process.
"""

from __future__ import annotations

import contextlib
import logging
from datetime import date

from PySide6.QtCore import QCoreApplication, QObject, QTimer, Signal, Slot
from PySide6.QtWidgets import QSystemTrayIcon

from actdesk.domain.alerts.model import RULE_TITLES, Alert
from actdesk.domain.alerts.settings import AlertSettings
from actdesk.domain.analytics.config import AnalyticsConfig
from actdesk.i18n import _, ngettext, user_message
from actdesk.services.alerts.engine import AlertEngine, freeze_startup_heap
from actdesk.services.alerts.evaluation import EvaluationOutcome, evaluate_with_child
from actdesk.ui import icons, theme
from actdesk.ui.context import AppContext
from actdesk.ui.topics import Topic

log = logging.getLogger(__name__)

# Topics of ctx.signals.data_changed whose data the rules read.
WATCHED_TOPICS = frozenset(
    {
        Topic.HOUSEHOLDS,
        Topic.CONTACTS,
        Topic.ACCOUNTS,
        Topic.BALANCES,
        Topic.ACTIVITIES,
        Topic.LIFE_EVENTS,
        Topic.IMPORTS,
        Topic.BOOK,
        Topic.FEES,
        Topic.FLOWS,
    }
)


class AlertWatcher(QObject):
    sig_started = Signal()  # an evaluation began (for a busy indicator)
    sig_evaluated = Signal(object)  # EvaluationOutcome, on the GUI thread
    sig_failed = Signal(str)
    sig_notified = Signal(str, str)  # title, message of a desktop notification (or its fallback)

    def __init__(self, ctx: AppContext, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.settings = ctx.settings.section(AlertSettings)
        self.child = ctx.child_process()
        self.engine = AlertEngine(
            self._work,
            on_result=self.sig_evaluated.emit,
            on_error=lambda exc: self.sig_failed.emit(error_text(exc)),
            on_started=self.sig_started.emit,
            name="actdesk-alerts",
            child=self.child,
        )
        self.timer = QTimer(self)
        self.timer.setInterval(max(1, self.settings.interval_minutes) * 60_000)
        self.timer.timeout.connect(self.run_now)
        self.tray: QSystemTrayIcon | None = None
        self.notifications: list[tuple[str, str]] = []
        self._started = False
        self._stopped = False
        self.sig_evaluated.connect(self._notify_high)
        ctx.signals.data_changed.connect(self._data_changed)
        app = QCoreApplication.instance()
        if app is not None:
            app.aboutToQuit.connect(self.shutdown)

    def as_of(self) -> date:
        return self.ctx.now().astimezone().date()

    def _work(self, should_stop) -> EvaluationOutcome:
        # Runs on the engine's thread (the heavy half in the child): nothing of Qt but the emitted signals.
        config = self.ctx.settings.section(AnalyticsConfig)
        return evaluate_with_child(
            self.ctx.book,
            self.as_of(),
            self.ctx.now(),
            self.settings,
            self.child,
            should_stop=should_stop,
            config=config,
        )

    # -- control (GUI thread) ------------------------------------------------------------------------------
    def start(self) -> None:
        if self._started or self._stopped:
            return
        self._started = True
        freeze_startup_heap()  # full collections over the startup heap stalled the window 55-67 ms
        self.engine.start(run_now=True)
        self.timer.start()

    def run_now(self) -> None:
        if self._started and not self._stopped:
            self.engine.request_run()

    @Slot(str)
    def _data_changed(self, topic: str) -> None:
        if topic == Topic.SETTINGS:
            self.settings = self.ctx.settings.section(AlertSettings)
            self.timer.setInterval(max(1, self.settings.interval_minutes) * 60_000)
            self.run_now()
        elif topic in WATCHED_TOPICS and self._started and not self._stopped:
            self.engine.request_run(self.settings.change_debounce_seconds)

    @property
    def busy(self) -> bool:
        return self.engine.busy

    def shutdown(self, timeout: float = 10.0) -> bool:
        """Stop the timer and the engine's thread; True once the thread has ended. Safe to call twice."""
        if self._stopped:
            return not self.engine.alive
        self._stopped = True
        self.timer.stop()
        with contextlib.suppress(RuntimeError, TypeError):
            self.ctx.signals.data_changed.disconnect(self._data_changed)
        stopped = self.engine.stop(timeout) if self._started else True
        if self.tray is not None:
            self.tray.hide()
        if not stopped:
            log.warning("the alert evaluation did not stop within %.0f s", timeout)
        return stopped

    # -- notifications ---------------------------------------------------------------------------------------
    @Slot(object)
    def _notify_high(self, outcome: EvaluationOutcome) -> None:
        fresh = outcome.fresh_high
        if not fresh or not self.settings.notify_high or self.ctx.in_meeting:
            return
        title, message = notification_text(fresh)
        self.notifications.append((title, message))
        if QSystemTrayIcon.isSystemTrayAvailable() and QSystemTrayIcon.supportsMessages():
            if self.tray is None:
                self.tray = QSystemTrayIcon(icons.icon("bell", theme.ACCENT), self)
                self.tray.setToolTip("actdesk")
            self.tray.show()
            self.tray.showMessage(title, message, QSystemTrayIcon.MessageIcon.Warning, 10_000)
        else:  # no tray (offscreen, some Linux desktops): the status bar says it instead
            self.ctx.signals.status_message.emit(f"{title}: {message}")
        self.sig_notified.emit(title, message)


def error_text(exc: BaseException) -> str:
    """A book problem already speaks plainly; anything else is "an unexpected error" (its type and text go to
    the log, never into the sentence)."""
    return user_message(exc)


def notification_text(fresh: list[Alert]) -> tuple[str, str]:
    n = len(fresh)
    title = ngettext("{n} new high-priority alert", "{n} new high-priority alerts", n).format(n=n)
    first = fresh[0]
    message = _("{household}: {rule}").format(household=first.household_name, rule=_(RULE_TITLES[first.rule]))
    if n > 1:
        message += " " + ngettext("and {n} other", "and {n} others", n - 1).format(n=n - 1)
    return title, message
