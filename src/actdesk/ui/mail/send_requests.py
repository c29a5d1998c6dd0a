"""The window's side of ``outbox send`` handed over by the command line (``services/mail/send_request.py``).

A ``QFileSystemWatcher`` on the book's folder notices the request file as soon as it appears; the panel also
looks at every send tick and once at start, since watchers can miss events (network shares, a burst of
changes) and a request may have been left while no window was watching.
"""

from __future__ import annotations

import logging
from pathlib import Path

from PySide6.QtCore import QFileSystemWatcher, QObject, Signal

from actdesk.services.mail.send_request import request_path, take_request

log = logging.getLogger(__name__)


class SendRequests(QObject):
    sig_requested = Signal()  # a request was taken: send what is due

    def __init__(self, database: Path, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.database = database
        self.taken = 0
        self._watcher = QFileSystemWatcher([str(database.parent)], self)
        self._watcher.directoryChanged.connect(lambda _path: self.check())

    def check(self) -> bool:
        """Take a pending request, if there is one, and say so."""
        if not request_path(self.database).exists():
            return False
        try:
            request = take_request(self.database)
        except OSError:  # could not remove it (permissions): the next look tries again
            log.warning("could not take the send request beside %s", self.database.name, exc_info=True)
            return False
        if request is None:
            return False
        self.taken += 1
        log.info("send requested from the command line by %s at %s", request.by, request.requested_at)
        self.sig_requested.emit()
        return True
