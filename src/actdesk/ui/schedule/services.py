"""Schedule services that must work before (or without) the Schedule panel being opened: quick-add on
``schedule_activity_requested`` (alerts panel, contact card) and the reminder timer.

The main window builds panels lazily, so it calls ``install_schedule_services(window, ctx)`` once at start;
the panel calls the same function and gets the same object, so there is one quick-add dialog, one household
list and one reminder timer per application context, whichever came first.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime, time, timedelta

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QWidget

from actdesk.domain.models import Activity
from actdesk.domain.schedule.config import ScheduleSettings, activity_types
from actdesk.i18n import _, user_message
from actdesk.services.schedule_zone import schedule_zone
from actdesk.storage.repositories import activities as repo
from actdesk.storage.repositories import households as households_repo
from actdesk.storage.repositories.client_periods import first_days_as_client
from actdesk.ui.context import AppContext
from actdesk.ui.schedule.dialogs import QuickAddDialog
from actdesk.ui.schedule.notifier import ReminderNotifier
from actdesk.ui.tasks import TaskState
from actdesk.ui.topics import Topic

_TOPICS_WITH_HOUSEHOLDS = ("households", "book", "imports")


class ScheduleServices(QObject):
    """Owned by the context's signal hub (lives as long as the context); shows its dialogs over ``host``."""

    sig_households_loaded = Signal()
    sig_dialog_opened = Signal(object)  # QuickAddDialog
    sig_added = Signal(int)  # activity id
    sig_failed = Signal(str)

    def __init__(self, ctx: AppContext, host: QWidget | None) -> None:
        super().__init__(ctx.signals)
        self.setObjectName("ScheduleServices")
        self.ctx = ctx
        self.settings = ctx.settings.section(ScheduleSettings)
        self.tz = schedule_zone(self.settings)
        self.types = activity_types(self.settings)
        self.households: dict[int, str] = {}
        self.anniversaries: dict[int, date | None] = {}
        self.loaded = False
        self.dialog: QuickAddDialog | None = None
        self._waiting: list[Callable[[], object]] = []
        self.host: QWidget | None = None
        self.notifier = ReminderNotifier(ctx, host, self.tz, self)
        self.set_host(host)
        ctx.signals.schedule_activity_requested.connect(self._requested)
        ctx.signals.data_changed.connect(self._data_changed)
        self.load_households()

    # -- host window --
    def set_host(self, host: QWidget | None) -> None:
        """Dialogs and the in-window toast appear over ``host``; forgotten when it is destroyed."""
        if host is self.host:
            return
        self.host = host
        self.notifier.host = host
        if host is not None:
            host.destroyed.connect(lambda *_a, h=host: self._host_destroyed(h))
            if not self.notifier.timer.isActive():
                self.notifier.start()

    def _host_destroyed(self, host: QWidget) -> None:
        """The window closed (the application is quitting, or a test ended): no more reminders to show."""
        if self.host is host:
            self.host = None
            self.notifier.host = None
            self.notifier.stop()
            self.dialog = None

    # -- households for the pickers --
    def load_households(self) -> None:
        def work(_state: TaskState) -> tuple[dict[int, str], dict[int, date | None]]:
            with self.ctx.book.reader() as s:
                return households_repo.household_names(s), first_days_as_client(s)

        self.ctx.tasks.run_task(
            work,
            on_done=self._households_loaded,
            on_error=lambda exc: self.sig_failed.emit(user_message(exc)),
        )

    def _households_loaded(self, loaded: tuple[dict[int, str], dict[int, date | None]]) -> None:
        self.households, self.anniversaries = loaded
        self.loaded = True
        waiting, self._waiting = self._waiting, []
        for then in waiting:
            then()
        self.sig_households_loaded.emit()

    def _data_changed(self, topic: str) -> None:
        if topic in _TOPICS_WITH_HOUSEHOLDS:
            self.load_households()

    # -- quick add --
    def _requested(self, household_id: int) -> None:
        self.quick_add(household_id=household_id)

    def default_start(self) -> datetime:
        """The next whole hour in the advisor's zone."""
        now = self.ctx.now().astimezone(self.tz)
        return datetime.combine(now.date(), time(now.hour), tzinfo=self.tz) + timedelta(hours=1)

    def quick_add(
        self, when: datetime | None = None, household_id: int | None = None, parent: QWidget | None = None
    ) -> QuickAddDialog | None:
        """Open the quick-add dialog, prefilled; returns it, or None when it opens once households are read
        (``sig_dialog_opened`` then carries it)."""
        if not self.loaded:
            self._waiting.append(lambda: self._open(when, household_id, parent))
            return None
        return self._open(when, household_id, parent)

    def _open(
        self, when: datetime | None, household_id: int | None, parent: QWidget | None
    ) -> QuickAddDialog:
        if self.dialog is not None and self.dialog.isVisible():
            self.dialog.reject()  # one quick-add at a time; a new request replaces an untouched one
        dialog = QuickAddDialog(
            self.households,
            self.anniversaries,
            self.types,
            self.tz,
            when or self.default_start(),
            household_id,
            self.settings.default_duration_minutes,
            parent or self.host,
        )
        dialog.accepted.connect(lambda: self._accepted(dialog))
        self.dialog = dialog
        dialog.open()
        self.sig_dialog_opened.emit(dialog)
        return dialog

    def _accepted(self, dialog: QuickAddDialog) -> None:
        activity = dialog.activity()
        if activity is not None:
            self.add(activity)

    def add(self, activity: Activity) -> None:
        """Write one new activity (one unit of work off the GUI thread), then tell every view."""

        def work(_state: TaskState) -> int:
            with self.ctx.book.session() as s:
                return repo.add(s, activity, self.tz)

        def done(activity_id: int) -> None:
            self.ctx.signals.data_changed.emit(Topic.ACTIVITIES)
            self.ctx.signals.status_message.emit(
                _("Activity saved: {subject}").format(subject=activity.subject)
            )
            self.sig_added.emit(activity_id)

        def failed(exc: BaseException) -> None:
            message = _("The activity could not be saved: {error}").format(error=user_message(exc))
            self.ctx.signals.status_message.emit(message)
            self.sig_failed.emit(message)

        self.ctx.tasks.run_task(work, on_done=done, on_error=failed)


def schedule_services(ctx: AppContext) -> ScheduleServices | None:
    """The services installed for this context, if any."""
    return ctx.signals.findChild(ScheduleServices, "ScheduleServices")


def install_schedule_services(window: QWidget | None, ctx: AppContext) -> ScheduleServices:
    """Connect quick-add to ``schedule_activity_requested`` and start the reminder timer, once per context.

    Calling it again returns the same services, now shown over ``window`` (the main window's call wins over
    a panel that happened to install them first).
    """
    services = schedule_services(ctx)
    if services is None:
        return ScheduleServices(ctx, window)
    if window is not None:
        services.set_host(window)
    return services
