"""The alert watcher and the rail's count of new alerts, without the Alerts panel.

The window starts this behind itself after the first data is shown; the Alerts panel is built only when the
advisor opens it (building its table, filters and detail card held the GUI thread 30-500 ms at start). The
panel then takes the service over: the same watcher, the last outcome and the count, and reads the stored
alerts itself, so it opens on the book's current alerts. One service per window (``ctx.alerts``).
"""

from __future__ import annotations

import contextlib

from PySide6.QtCore import QObject, Signal

from actdesk.services.alerts import actions
from actdesk.services.alerts.evaluation import EvaluationOutcome
from actdesk.ui.alerts.watcher import AlertWatcher
from actdesk.ui.context import AppContext
from actdesk.ui.topics import Topic


class AlertsService(QObject):
    sig_badge_changed = Signal(int)  # new alerts, after each evaluation and each advisor's action

    def __init__(self, ctx: AppContext, parent: QObject | None = None) -> None:
        super().__init__(parent)  # kept by ``ctx.alerts``: it outlives no window, and no panel owns it
        self.ctx = ctx
        self.last_outcome: EvaluationOutcome | None = None
        self.new_count = 0
        self.announcing = False  # this service is telling the other views that the alerts changed
        self._shut = False
        self.watcher = AlertWatcher(ctx, self)
        self.watcher.sig_evaluated.connect(self._evaluated)
        ctx.signals.data_changed.connect(self._data_changed)

    def start(self) -> None:
        """Start the watcher (its first evaluation now, then periodic and after changes); safe to repeat."""
        self.watcher.start()

    def set_new_count(self, count: int) -> None:
        self.new_count = count
        self.sig_badge_changed.emit(count)
        self.ctx.signals.alerts_count_changed.emit(count)

    def _evaluated(self, outcome: EvaluationOutcome) -> None:
        self.last_outcome = outcome
        self.set_new_count(outcome.new_count)
        # Every view that shows alerts (the dashboard, the card's attention strip, the panel) refreshes now.
        self.announcing = True
        try:
            self.ctx.signals.data_changed.emit(Topic.ALERTS)
        finally:
            self.announcing = False

    def _data_changed(self, topic: str) -> None:
        """An advisor's action (seen, snoozed, dismissed) anywhere: the count is read again."""
        if topic != Topic.ALERTS or self.announcing:
            return
        book = self.ctx.book
        self.ctx.tasks.run_task(
            lambda _state: actions.count_new(book), on_done=self.set_new_count, owner=self
        )

    def shutdown(self, timeout: float = 10.0) -> bool:
        """Stop the watcher; safe to call twice (the panel and the window's close both do)."""
        if not self._shut:  # a second disconnect warns
            self._shut = True
            with contextlib.suppress(RuntimeError, TypeError):
                self.ctx.signals.data_changed.disconnect(self._data_changed)
        return self.watcher.shutdown(timeout)


def alerts_service(ctx: AppContext) -> AlertsService:
    """The window's one alert service, created on first use."""
    if ctx.alerts is None:
        ctx.alerts = AlertsService(ctx)
    return ctx.alerts
