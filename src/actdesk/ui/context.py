"""What every panel, dialog and controller receives instead of reaching for a global main window."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Signal

from actdesk.settings import Settings
from actdesk.storage.engine import Book
from actdesk.ui.tasks import TaskRunner

if TYPE_CHECKING:
    from actdesk.services.alerts.child import ChildProcess
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


def _utcnow() -> datetime:
    return datetime.now(UTC)


@dataclass
class AppContext:
    book: Book
    settings: Settings
    signals: AppSignals = field(default_factory=AppSignals)
    tasks: TaskRunner = field(default_factory=TaskRunner)
    now: Callable[[], datetime] = _utcnow
    read_only: bool = False
    in_meeting: bool = False  # the meeting view is up: no notification may show another client's name
    _child: ChildProcess | None = field(default=None, repr=False)
    alerts: AlertsService | None = field(default=None, repr=False)  # the watcher, with or without its panel
    mail: MailService | None = field(default=None, repr=False)  # the send loop, with or without its panel

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
