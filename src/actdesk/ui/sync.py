"""The window's side of several instances on one book: other instances' edits become ``data_changed``.

On PostgreSQL, ``actdesk.services.sync.ChangeListener`` hears their commits on its own thread; a queued
signal brings them to the GUI thread, where they are gathered for a moment (one refresh for a burst of
commits) and re-emitted as the topics the panels listen to. An SQLite book has no server to hear from:
when the window regains focus and the file changed meanwhile, the panels refresh.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QObject, Qt, QTimer, Signal
from PySide6.QtGui import QGuiApplication

from actdesk.services.sync import ChangeListener, supports_notices
from actdesk.ui.context import AppContext
from actdesk.ui.topics import Topic

ALL_TOPICS = (
    Topic.HOUSEHOLDS,
    Topic.CONTACTS,
    Topic.ACCOUNTS,
    Topic.BALANCES,
    Topic.ACTIVITIES,
    Topic.ALERTS,
    Topic.MAIL,
    Topic.PIPELINE,
)
TOPICS: dict[str, str] = {
    "households": Topic.HOUSEHOLDS,
    "household_tags": Topic.HOUSEHOLDS,
    "contacts": Topic.CONTACTS,
    "contact_relationships": Topic.CONTACTS,
    "accounts": Topic.ACCOUNTS,
    "balances": Topic.BALANCES,
    "flows": Topic.BALANCES,
    "fees": Topic.BALANCES,
    "activities": Topic.ACTIVITIES,
    "activity_exceptions": Topic.ACTIVITIES,
    "opportunities": Topic.PIPELINE,
    "life_events": Topic.LIFE_EVENTS,
    "referrals": Topic.REFERRALS,
    "notes": Topic.HOUSEHOLDS,
}
PREFIXES = (
    ("alert", Topic.ALERTS),
    ("mail", Topic.MAIL),
    ("import", Topic.IMPORTS),
    ("pipeline", Topic.PIPELINE),
)
GATHER_MS = 250


def topics_for(tables: frozenset[str] | set[str]) -> set[str]:
    """The ``data_changed`` topics of a set of written tables ("*" = everything)."""
    if "*" in tables:
        return set(ALL_TOPICS)
    out: set[str] = set()
    for table in tables:
        topic = TOPICS.get(table)
        if topic is None:
            topic = next((t for prefix, t in PREFIXES if table.startswith(prefix)), None)
        if topic is not None:
            out.add(topic)
    return out


class BookSync(QObject):
    """Refreshes the window when another instance changed the book."""

    changes_arrived = Signal(object)  # frozenset of table names, from the listener's thread

    def __init__(self, ctx: AppContext, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self._pending: set[str] = set()
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(GATHER_MS)
        self._timer.timeout.connect(self.flush)
        self.changes_arrived.connect(self._gather, Qt.ConnectionType.QueuedConnection)
        self.listener: ChangeListener | None = None
        self._stamp: tuple[int, int] | None = None
        if supports_notices(ctx.book):
            self.listener = ChangeListener(ctx.book, self.changes_arrived.emit)
            self.listener.start(wait=False)
        else:
            app = QGuiApplication.instance()
            if isinstance(app, QGuiApplication):
                app.applicationStateChanged.connect(self._state_changed)

    def _gather(self, tables: frozenset[str]) -> None:
        self._pending |= topics_for(tables)
        if self._pending and not self._timer.isActive():
            self._timer.start()

    @property
    def pending(self) -> bool:
        """Whether changes are gathered and their refresh is about to be sent."""
        return self._timer.isActive()

    def flush(self) -> None:
        topics, self._pending = sorted(self._pending), set()
        for topic in topics:
            self.ctx.signals.data_changed.emit(topic)

    def _file_stamp(self) -> tuple[int, int] | None:
        path = self.ctx.book.path
        if path is None:
            return None
        total = 0
        latest = 0
        for file in (path, Path(f"{path}-wal")):
            if file.exists():
                info = file.stat()
                total += info.st_size
                latest = max(latest, info.st_mtime_ns)
        return latest, total

    def _state_changed(self, state: Qt.ApplicationState) -> None:
        if state != Qt.ApplicationState.ApplicationActive:
            self._stamp = self._file_stamp()
            return
        if self._stamp is not None and self._file_stamp() != self._stamp:
            self._gather(frozenset({"*"}))

    def stop(self) -> None:
        if self.listener is not None:
            self.listener.stop()
            self.listener = None


def install_sync(ctx: AppContext, window: QObject) -> BookSync:
    """Attach the sync to the window (stopped when the window is destroyed)."""
    sync = BookSync(ctx, window)
    listener = sync.listener
    if listener is not None:
        window.destroyed.connect(lambda *_args: listener.stop())
    return sync
