"""What every panel, dialog and controller receives instead of reaching for a global main window."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Signal

from actdesk.settings import Settings
from actdesk.ui.tasks import TaskRunner

if TYPE_CHECKING:
    from actdesk.services.alerts.child import ChildProcess
    from actdesk.storage.engine import Book
    from actdesk.ui.alerts.service import AlertsService
    from actdesk.ui.mail.service import MailService


class AppSignals(QObject):
    """Application-wide facts (past tense) and intents (``*_requested``)."""

    household_saved = Signal(int)
    household_deleted = Signal(int)
    # A topic whose data changed: "households", "contacts", "accounts", "balances", "activities",
    # "alerts", "mail", "pipeline", "life_events", "referrals", "imports", "settings".
    data_changed = Signal(str)
    open_household_requested = Signal(int)
    show_panel_requested = Signal(str)
    schedule_activity_requested = Signal(int)  # household id
    status_message = Signal(str)
    alerts_count_changed = Signal(int)
    client_dashboard_requested = Signal(int)  # household id: its dashboard in the Book panel
    book_opened = Signal()  # the book was opened, checked and migrated (``AppContext.attach_book``)


class BookNotOpenError(RuntimeError):
    """``ctx.book`` was asked for before the book was opened: a bug (nothing reads before ``book_opened``)."""


def _utcnow() -> datetime:
    return datetime.now(UTC)


class AppContext:
    """The book, the settings, the application's signals and its task runner.

    At start the window is built and painted before the book is open (``app.run``: SQLAlchemy, the lock,
    the integrity and schema checks run on the database worker after the first paint); ``book`` is set by
    :meth:`attach_book` once all of that passed, and nothing may read or write the book before."""

    def __init__(
        self,
        book: Book | None = None,
        *,
        settings: Settings,
        signals: AppSignals | None = None,
        tasks: TaskRunner | None = None,
        now: Callable[[], datetime] = _utcnow,
        read_only: bool = False,
        in_meeting: bool = False,
        child: ChildProcess | None = None,
    ) -> None:
        self._book = book
        self.settings = settings
        self.signals = signals if signals is not None else AppSignals()
        self.tasks = tasks if tasks is not None else TaskRunner()
        self.now = now
        self.read_only = read_only
        self.in_meeting = in_meeting  # the meeting view is up: no notification may show another client's name
        self._child = child  # the one child process, started on first use (tests may hand one in)
        self.alerts: AlertsService | None = None  # the watcher, with or without its panel
        self.mail: MailService | None = None  # the send loop, with or without its panel

    @property
    def book(self) -> Book:
        if self._book is None:
            raise BookNotOpenError("the book is not open yet")
        return self._book

    @book.setter
    def book(self, book: Book) -> None:
        self._book = book

    @property
    def book_open(self) -> bool:
        return self._book is not None

    def attach_book(self, book: Book, *, read_only: bool) -> None:
        """The book opened after the window was shown: from now on panels may read and write it."""
        self._book = book
        self.read_only = read_only
        self.signals.book_opened.emit()

    def child_process(self) -> ChildProcess:
        """The one long-lived child process for heavy computations (alert evaluation, retention model),
        started on its first use. Imported lazily: its module brings pandas, which start-up avoids."""
        if self._child is None:
            from actdesk.services.alerts.child import ChildProcess

            self._child = ChildProcess()
        return self._child

    def shutdown_child(self) -> None:
        """End the child process, if one was started (when the window closes)."""
        if self._child is not None:
            self._child.shutdown()
