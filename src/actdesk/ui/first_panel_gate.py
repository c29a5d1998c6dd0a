"""When the work behind the window may start, and how it starts without stalling the window (issue 21).

Work behind the window (the alert watcher, the mail loop, the keyring probe, the drop target) first imports
its modules on the compute worker: imports, entry-point scans and template compilation hold the interpreter
lock for tens of ms at a time. Started at the first numbers, they overlapped the Book dashboard building its
chart cards on the GUI thread, and every card waited for the lock: the event loop stalled 50-100 ms
(docs/performance.md). So:

- the gate opens once the first numbers are shown and the first panel has built itself
  (``BuiltInSteps.sig_built``, at once for a panel built in one go) and painted (``PAINT_MS`` later), or
  ``TIMEOUT_MS`` after the first numbers whatever happens; it then sends the window's
  ``sig_first_panel_built``;
- after that, ``run_quietly``/``import_quietly`` run one task (one module) at a time on the compute worker,
  and ``when_quiet`` runs a step on the GUI thread, each submitted only while the
  first panel is not busy (``BuiltInSteps.building``: the Book dashboard's charts drawn and rendered when its
  data arrives from the child process), and from ``QUIET_WAIT_S`` after the gate opened regardless. The
  libraries that work loads come first, one per task (``LIBRARIES``), so that no import holds the lock long.

What waits here is delayed, never dropped: the window's "settled" still includes all of it.
"""

from __future__ import annotations

import importlib
import time
from collections.abc import Callable, Sequence
from functools import partial
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, QTimer, Signal
from PySide6.QtWidgets import QWidget

from actdesk.ui.panels import BuiltInSteps
from actdesk.ui.tasks import TaskState

if TYPE_CHECKING:
    from actdesk.ui.main_window import MainWindow

TIMEOUT_MS = 5000  # after the first numbers: a panel that never reports built is not waited for longer
PAINT_MS = 50  # after the last card is built: the cards are laid out and painted first
POLL_MS = 20  # while the first panel is busy, a waiting step looks again this often
QUIET_WAIT_S = 5.0  # after the gate opened: nothing waits for the first panel any longer
# What the services, the keyring probe and the drop target load, heaviest pieces apart (the drop target's
# module alone took 100-150 ms in one import).
LIBRARIES = (
    "jinja2",
    "keyring",
    "actdesk.services.mail.campaigns",
    "actdesk.services.engagement.jobs",
)


class FirstPanelGate(QObject):
    sig_opened = Signal()  # the first panel's data is shown and its widgets are built (or timed out)

    def __init__(self, window: MainWindow) -> None:
        super().__init__(window)
        self.tasks = window.ctx.tasks
        self.panel: QWidget | None = None
        self.data_shown = False
        self.built = False
        self.opened = False
        self._deadline = 0.0  # set when the gate opens
        self._queue: list[tuple[list[Callable[[TaskState], object]], Callable[[], None]]] = []
        self._running = False
        self.import_quietly(LIBRARIES, lambda: None)  # first, once open
        window.sig_first_data_shown.connect(self.first_data_shown)
        self.sig_opened.connect(window.sig_first_panel_built)

    # -- opening ---------------------------------------------------------------------------------------------
    def watch(self, panel: QWidget | None) -> None:
        """The first panel is created (None: none is, or the advisor is elsewhere): open once it is built."""
        self.panel = panel
        if isinstance(panel, BuiltInSteps) and not panel.built:
            panel.sig_built.connect(self.panel_built)
        else:
            self.panel_built()

    def panel_built(self) -> None:
        QTimer.singleShot(PAINT_MS, self, self._painted)

    def _painted(self) -> None:
        self.built = True
        self._open_if_ready()

    def first_data_shown(self) -> None:
        self.data_shown = True
        QTimer.singleShot(TIMEOUT_MS, self, self.force)
        self._open_if_ready()

    def force(self) -> None:
        self.data_shown = self.built = True
        self._open_if_ready()

    def _open_if_ready(self) -> None:
        if self.data_shown and self.built and not self.opened:
            self.opened = True
            self._deadline = time.monotonic() + QUIET_WAIT_S
            self.sig_opened.emit()  # its slots queue their work (the libraries stay first)
            self._kick()

    # -- starting quietly ---------------------------------------------------------------------------------
    def quiet(self) -> bool:
        """The first panel builds or draws nothing on the GUI thread right now."""
        return not (isinstance(self.panel, BuiltInSteps) and self.panel.building)

    def when_quiet(self, step: Callable[[], object]) -> None:
        """``step`` now if the first panel is quiet, else once it is (``QUIET_WAIT_S`` after the gate opened
        at the latest)."""
        if self.quiet() or time.monotonic() >= self._deadline:
            step()
        else:
            QTimer.singleShot(POLL_MS, self, partial(self.when_quiet, step))

    def import_quietly(self, modules: Sequence[str], then: Callable[[], None]) -> None:
        """Import ``modules`` on the compute worker, one per task (``run_quietly``); then call ``then`` on the
        GUI thread (also after a failed import: ``then`` imports again and reports the error where it
        belongs)."""
        self.run_quietly([partial(_import, name) for name in modules], then)

    def run_quietly(self, work: Sequence[Callable[[TaskState], object]], then: Callable[[], None]) -> None:
        """Run ``work`` on the compute worker, one function per task, each submitted when the first panel is
        quiet and after what was asked before (one task of the gate's at a time); then ``then`` on the GUI
        thread in a turn of its own, whether the work succeeded or not."""
        self._queue.append((list(work), then))
        if self.opened:
            self._kick()

    def _kick(self) -> None:
        """Start the queue in a turn of its own (not inside the slot that asked), unless it runs already."""
        if not self._running:
            self._running = True
            QTimer.singleShot(0, self, self._next)

    def _next(self, _result: object = None) -> None:
        while self._queue and not self._queue[0][0]:  # a request all done: its ``then``
            QTimer.singleShot(0, self, self._queue.pop(0)[1])
        self._running = bool(self._queue)
        if self._running:
            self.when_quiet(partial(self._submit, self._queue[0][0].pop(0)))

    def _submit(self, work: Callable[[TaskState], object]) -> None:
        self.tasks.run_task(work, pool="compute", on_done=self._next, on_error=self._next, owner=self)


def _import(name: str, _state: TaskState) -> object:
    return importlib.import_module(name)
