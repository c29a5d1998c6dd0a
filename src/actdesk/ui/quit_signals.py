"""Ctrl+C, SIGTERM and SIGHUP close the window the way its close button does (books disposed, child ended).

Python runs a signal handler only when the interpreter next gets control; inside Qt's event loop that can
be never (the signal is lost) or the middle of any Python callback (a KeyboardInterrupt traceback from an
event filter, the window still running). So the handler only schedules the close, and a socket pair given to
``signal.set_wakeup_fd`` wakes the event loop at once through a ``QSocketNotifier``.

The platform's end of session (logout or shutdown: Windows' WM_QUERYENDSESSION, macOS's terminate, an X11
session manager's SaveYourself) reaches Qt as ``QGuiApplication.commitDataRequest``; Qt 6 no longer closes
the windows itself there (its fallback session management is gone), and the process may be ended as soon
as the handler returns. So the handler closes the window *synchronously*, the same close as SIGTERM's (the
exit backup, background work stopped), and then releases what ``run`` would release after the event loop:
tasks waited for, the alert child ended, the book disposed and its lock removed. Edits are written as they
are made (each save is one unit of work), so there is nothing unsaved to lose; an open dialog is closed
with the window, as on SIGTERM.
"""

from __future__ import annotations

import signal
import socket
import sys
from collections.abc import Callable
from types import FrameType

from PySide6.QtCore import QObject, QSocketNotifier, QTimer
from PySide6.QtGui import QGuiApplication, QSessionManager


class QuitOnSignals(QObject):
    def __init__(
        self, parent: QObject, close: Callable[[], object], release: Callable[[], object] | None = None
    ) -> None:
        super().__init__(parent)
        self._close = close
        self._release = release
        self.session_ended = False
        self._reader, self._writer = socket.socketpair()
        self._reader.setblocking(False)
        self._writer.setblocking(False)
        self._previous_fd = signal.set_wakeup_fd(self._writer.fileno())
        self._notifier = QSocketNotifier(self._reader.fileno(), QSocketNotifier.Type.Read, self)
        self._notifier.activated.connect(self._drain)
        self.received: list[int] = []
        names = ["SIGINT", "SIGTERM"] + ([] if sys.platform == "win32" else ["SIGHUP"])
        self._previous = {getattr(signal, n): signal.signal(getattr(signal, n), self._handle) for n in names}
        app = QGuiApplication.instance()
        if isinstance(app, QGuiApplication):
            app.commitDataRequest.connect(self.session_ending)

    def session_ending(self, manager: QSessionManager | None) -> None:
        """The session ends: close now, then release the book and the child before returning."""
        if self.session_ended:
            return
        self.session_ended = True
        if manager is not None:
            manager.setRestartHint(QSessionManager.RestartHint.RestartNever)  # we do not restore sessions
        self._close()
        if self._release is not None:
            self._release()

    def _drain(self) -> None:
        try:
            while self._reader.recv(64):
                pass
        except OSError:
            pass

    def _handle(self, signum: int, _frame: FrameType | None) -> None:
        self.received.append(signum)
        QTimer.singleShot(0, self._close)

    def uninstall(self) -> None:
        app = QGuiApplication.instance()
        if isinstance(app, QGuiApplication):
            app.commitDataRequest.disconnect(self.session_ending)
        for number, previous in self._previous.items():
            signal.signal(number, previous)
        signal.set_wakeup_fd(self._previous_fd)
        self._notifier.setEnabled(False)
        self._reader.close()
        self._writer.close()


def quit_on_signals(
    parent: QObject, close: Callable[[], object], release: Callable[[], object] | None = None
) -> QuitOnSignals | None:
    """Install the handlers (main thread only, as Python requires); None when that is not possible.
    ``release`` runs after ``close`` when the session ends (it must be safe to run again later)."""
    try:
        return QuitOnSignals(parent, close, release)
    except ValueError:  # not the main thread
        return None
