"""Ctrl+C, SIGTERM and SIGHUP close the window the way its close button does (books disposed, child ended).

Python runs a signal handler only when the interpreter next gets control; inside Qt's event loop that can
be never (the signal is lost) or the middle of any Python callback (a KeyboardInterrupt traceback from an
event filter, the window still running). So the handler only schedules the close, and a socket pair given to
``signal.set_wakeup_fd`` wakes the event loop at once through a ``QSocketNotifier``. The session manager's
end of session reaches the window through Qt's own close.
"""

from __future__ import annotations

import signal
import socket
import sys
from collections.abc import Callable
from types import FrameType

from PySide6.QtCore import QObject, QSocketNotifier, QTimer


class QuitOnSignals(QObject):
    def __init__(self, parent: QObject, close: Callable[[], object]) -> None:
        super().__init__(parent)
        self._close = close
        self._reader, self._writer = socket.socketpair()
        self._reader.setblocking(False)
        self._writer.setblocking(False)
        self._previous_fd = signal.set_wakeup_fd(self._writer.fileno())
        self._notifier = QSocketNotifier(self._reader.fileno(), QSocketNotifier.Type.Read, self)
        self._notifier.activated.connect(self._drain)
        self.received: list[int] = []
        names = ["SIGINT", "SIGTERM"] + ([] if sys.platform == "win32" else ["SIGHUP"])
        self._previous = {getattr(signal, n): signal.signal(getattr(signal, n), self._handle) for n in names}

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
        for number, previous in self._previous.items():
            signal.signal(number, previous)
        signal.set_wakeup_fd(self._previous_fd)
        self._notifier.setEnabled(False)
        self._reader.close()
        self._writer.close()


def quit_on_signals(parent: QObject, close: Callable[[], object]) -> QuitOnSignals | None:
    """Install the handlers (main thread only, as Python requires); None when that is not possible."""
    try:
        return QuitOnSignals(parent, close)
    except ValueError:  # not the main thread
        return None
