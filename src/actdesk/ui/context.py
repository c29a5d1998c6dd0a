"""What every panel, dialog and controller receives instead of reaching for a global main window."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime

from PySide6.QtCore import QObject, Signal

from actdesk.settings import Settings
from actdesk.storage.engine import Book
from actdesk.ui.tasks import TaskRunner


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
