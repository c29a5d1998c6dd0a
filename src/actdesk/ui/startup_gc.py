"""The garbage collector paused while the window starts, until it has settled (issue 21).

A collection holds the interpreter lock, so whichever thread triggers it stops the GUI thread too. While the
window starts, the database and compute workers build the dashboard's frames, import pandas and matplotlib
and draw the charts: young-generation collections (50,000 objects, ``gc_tuning.THRESHOLDS``) came every
few hundred milliseconds and took 17-68 ms each on the busy two-core machine, inside the window's longest
stalls. Reference counting frees almost everything meanwhile; once the first panel's numbers are on screen,
no task runs and the first alert evaluation is in, what is alive is frozen (``gc_tuning.resume_collector``)
and automatic collections resume. ``DEADLINE_S`` after the start they resume whatever happens.
"""

from __future__ import annotations

import time
from functools import partial

from PySide6.QtCore import QObject, QTimer

from actdesk.gc_tuning import pause_collector, resume_collector
from actdesk.ui.context import AppContext

POLL_MS = 100
DEADLINE_S = 20.0


def alerts_settled(window: QObject, ctx: AppContext) -> bool:
    """The alert watcher (started behind the window, with or without its panel) has finished its first
    evaluation and is idle, or the window has none."""
    specs = getattr(window, "specs", ())
    if ctx.read_only or "alerts" not in {s.key for s in specs}:
        return True
    service = ctx.alerts
    return service is not None and service.last_outcome is not None and not service.watcher.busy


class StartupCollector(QObject):
    """Pauses the collector from ``start()`` until the window has settled (``settled``), then resumes it."""

    def __init__(self, window: QObject, ctx: AppContext, deadline_s: float = DEADLINE_S) -> None:
        super().__init__(window)
        self.window = window
        self.ctx = ctx
        self.deadline_s = deadline_s
        self._state = {"paused": False}  # plain data: read after the window (and this object) is deleted
        self._started = 0.0
        self._timer = QTimer(self)
        self._timer.setInterval(POLL_MS)
        self._timer.timeout.connect(self._poll)
        closing = getattr(window, "sig_closing", None)
        if closing is not None:
            closing.connect(self.resume)
        window.destroyed.connect(partial(_resume, self._state))  # a window deleted without closing

    @property
    def paused(self) -> bool:
        return self._state["paused"]

    def start(self) -> None:
        self._state["paused"] = True
        self._started = time.monotonic()
        pause_collector()
        self._timer.start()

    def settled(self) -> bool:
        """The first panel's numbers are shown, no background task runs and the first alert evaluation is in."""
        return (
            self.ctx.book_open
            and bool(getattr(self.window, "first_data_shown", True))
            and not self.ctx.tasks.busy
            and alerts_settled(self.window, self.ctx)
        )

    def _poll(self) -> None:
        if self.settled() or time.monotonic() - self._started >= self.deadline_s:
            self.resume()

    def resume(self) -> None:
        self._timer.stop()
        _resume(self._state)


def _resume(state: dict[str, bool]) -> None:
    if state["paused"]:
        state["paused"] = False
        resume_collector()
