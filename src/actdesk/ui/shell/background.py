"""What runs behind the window whether or not a panel is open: alerts, due mail, backups, the lock, the log.

Panels load lazily, when the advisor first opens them. The alert watcher and the mail send loop do not wait
for that: once the first panel's data is shown and the panel is built (``sig_first_panel_built``, never
before: their imports on a worker hold the interpreter lock, and the GUI thread building the panel's cards
waited for it, issue 21) this starts them as services (``ui/alerts/service.py``, ``ui/mail/service.py``)
and wires their counts to the rail, without building the Alerts or Campaigns panel (their widgets held the event loop 30-500 ms at
start); a panel opened later takes its service over. It also schedules backups through the task runner, shows the warning about a book on a
network or synced folder once, feeds the log filter the book's client names, locks the window after
inactivity (installed at the first paint: probing the keyring costs a few hundred ms), and on close stops the watcher and writes the exit backup.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from functools import partial
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, QTimer
from PySide6.QtWidgets import QMainWindow, QMessageBox

from actdesk.i18n import _, user_message
from actdesk.services.privacy import PrivacySettings, Unlocker
from actdesk.ui.context import AppContext
from actdesk.ui.panels import Stoppable
from actdesk.ui.privacy import PrivacyLock, install_privacy_lock
from actdesk.ui.topics import Topic

if TYPE_CHECKING:
    from actdesk.ui.alerts.service import AlertsService
    from actdesk.ui.mail.service import MailService

log = logging.getLogger(__name__)

# After the first panel is built: its data comes from the child process meanwhile, and its charts are drawn
# when it arrives, so the services' imports run at once, in the GUI thread's quiet time between the two.
WARM_DELAY_MS = 0
# The background services of panels (alert watcher, mail send loop): started without building the panel.
SERVICE_MODULES = {"alerts": "actdesk.ui.alerts.service", "campaigns": "actdesk.ui.mail.service"}
BACKUP_CHECK_MS = 15 * 60_000  # how often to ask whether a scheduled backup is due
FIRST_BACKUP_CHECK_MS = 60_000


def _find_keyring(_state: object) -> None:
    import keyring

    keyring.get_keyring()  # cached by keyring: the lock's later look-ups are quick


class Background(QObject):
    def __init__(self, window: QMainWindow, ctx: AppContext, *, warm: bool = True) -> None:
        super().__init__(window)
        self.window = window
        self.ctx = ctx
        self.warm = warm  # False: no background work at all (tests of one panel; `warm_up()` still works)
        self.warmed = False
        self._warming = False
        self.closed = False
        self.location_warning: QMessageBox | None = None
        self.exit_backup: object | None = None
        self._backing_up = False
        self.backup_timer = QTimer(self)
        self.backup_timer.setInterval(BACKUP_CHECK_MS)
        self.backup_timer.timeout.connect(self.run_scheduled_backup)
        self.privacy_lock: PrivacyLock | None = None  # after the first data: probing the keyring is slow
        # Started once the first panel's numbers are on screen and its widgets built, never before: probing
        # the keyring and importing the services hold the interpreter lock, which the GUI thread waits for.
        started = getattr(window, "sig_first_panel_built", None) or window.sig_first_painted  # type: ignore[attr-defined]
        started.connect(self._first_panel_built)
        window.sig_closing.connect(self.shutdown)  # type: ignore[attr-defined]
        ctx.signals.data_changed.connect(self._data_changed)

    def _first_panel_built(self) -> None:
        if self.privacy_lock is None and not self.closed:
            # Finding the keyring's backend (entry points, D-Bus) takes a few hundred ms: on a worker thread,
            # in the gate's queue (``ui/first_panel_gate.py``) when the window has one.
            gate = getattr(self.window, "first_panel_gate", None)
            if gate is not None:
                gate.run_quietly([_find_keyring], self._install_privacy_lock)
            else:
                self.ctx.tasks.run_task(
                    _find_keyring,
                    pool="compute",
                    on_done=lambda _r: self._install_privacy_lock(),
                    on_error=lambda _e: self._install_privacy_lock(),
                    owner=self,
                )
        if self.warm:
            QTimer.singleShot(WARM_DELAY_MS, self, self._import_then_warm_up)

    def _when_quiet(self, step: Callable[[], object]) -> None:
        """``step`` once the first panel draws nothing on the GUI thread (``ui/first_panel_gate.py``)."""
        gate = getattr(self.window, "first_panel_gate", None)
        if gate is not None:
            gate.when_quiet(step)
        else:
            step()

    def _install_privacy_lock(self) -> None:
        if self.privacy_lock is None and not self.closed:
            self.privacy_lock = install_privacy_lock(self.window, self.ctx)
            self.window.privacy_lock = self.privacy_lock  # type: ignore[attr-defined]

    def _import_then_warm_up(self) -> None:
        """Import the services' modules on a worker thread first, one per task, while the first panel draws
        nothing (``ui/first_panel_gate.py``): starting them is then quick."""
        gate = getattr(self.window, "first_panel_gate", None)
        import_then = getattr(self.window, "import_then", None)
        modules = [SERVICE_MODULES[key] for key in self._service_keys()] + ["actdesk.ui.schedule.services"]
        if self.closed:
            return
        if gate is not None:
            gate.import_quietly(modules, self.warm_up)
        elif callable(import_then):
            import_then(modules, self.warm_up)
        else:
            self.warm_up()

    def warm_up(self) -> None:
        """Start the panels' background services and what the window runs on its own: one piece per turn
        of the event loop, each while the first panel draws nothing, so that the window answers between
        them; ``warmed`` once all are."""
        if self.warmed or self._warming or self.closed:
            return
        self._warming = True
        steps: list[Callable[[], object]] = [partial(self._start_service, k) for k in self._service_keys()]
        if not self.ctx.read_only:
            steps.append(self._install_schedule_services)
        steps.append(self._start_the_rest)

        def next_step() -> None:
            if self.closed:
                return
            steps.pop(0)()
            if steps:
                QTimer.singleShot(0, self, partial(self._when_quiet, next_step))
            else:
                self.warmed = True

        self._when_quiet(next_step)

    def _service_keys(self) -> list[str]:
        keys = {s.key for s in getattr(self.window, "specs", [])}
        # Evaluation stores alerts: a read-only book only shows the stored ones (when Alerts is opened).
        return [k for k in SERVICE_MODULES if k in keys and not (k == "alerts" and self.ctx.read_only)]

    def _start_service(self, key: str) -> None:
        """Start the alert watcher or the send loop and put its count on the rail; the panel is not built."""
        service: AlertsService | MailService
        if key == "alerts":
            from actdesk.ui.alerts.service import alerts_service

            service = alerts_service(self.ctx)
        else:
            from actdesk.ui.mail.service import mail_service

            service = mail_service(self.ctx)
        set_badge = getattr(self.window, "set_badge", None)
        if callable(set_badge):
            service.sig_badge_changed.connect(partial(set_badge, key))
        service.start()

    def _install_schedule_services(self) -> None:
        from actdesk.ui.schedule.services import install_schedule_services

        # Quick-add from the card or an alert, and reminders, work without opening the Schedule panel.
        self.schedule_services = install_schedule_services(self.window, self.ctx)

    def _start_the_rest(self) -> None:
        self.ctx.tasks.run_task(self._register_names, on_error=lambda exc: log.warning("names: %s", exc))
        self.show_location_warning()
        if not self.ctx.read_only and self.ctx.book.path is not None:
            self.backup_timer.start()
            QTimer.singleShot(FIRST_BACKUP_CHECK_MS, self, self.run_scheduled_backup)

    def _register_names(self, _state: object) -> int:
        from actdesk.services.logs import register_book_names

        return register_book_names(self.ctx.book)

    def show_location_warning(self) -> str | None:
        """Once per start: a live book on a network share or in a synced folder risks corruption."""
        path = self.ctx.book.path
        if path is None:
            return None
        from actdesk.services.backup import live_location_warning

        warning = live_location_warning(path)
        if warning:
            box = QMessageBox(
                QMessageBox.Icon.Warning, _("Where this book is kept"), warning, parent=self.window
            )
            box.setStandardButtons(QMessageBox.StandardButton.Ok)
            box.open()
            self.location_warning = box
        return warning

    def run_scheduled_backup(self) -> None:
        if self._backing_up or self.closed:
            return
        from actdesk.services.backup import run_scheduled_backup

        self._backing_up = True
        book, settings = self.ctx.book, self.ctx.settings

        def done(info: object) -> None:
            self._backing_up = False
            if info is not None:
                self.ctx.signals.status_message.emit(_("The book was backed up."))

        def failed(error: BaseException) -> None:
            self._backing_up = False
            log.warning("scheduled backup failed: %s", error)
            self.ctx.signals.status_message.emit(
                _("The scheduled backup failed: {error}").format(error=user_message(error))
            )

        self.ctx.tasks.run_task(
            lambda _state: run_scheduled_backup(book, settings), on_done=done, on_error=failed
        )

    def _data_changed(self, topic: str) -> None:
        if topic != Topic.SETTINGS or self.privacy_lock is None:
            return
        privacy = self.ctx.settings.section(PrivacySettings)
        self.privacy_lock.unlocker = Unlocker(self.ctx.book.key, privacy)
        self.privacy_lock.set_minutes(privacy.lock_after_minutes)

    def shutdown(self) -> None:
        """Stop the background services and panels, then the exit backup (which never raises)."""
        if self.closed:
            return
        self.closed = True
        self.backup_timer.stop()
        services = [self.ctx.alerts, self.ctx.mail]
        for widget in [*getattr(self.window, "panels", {}).values(), *services]:
            if isinstance(widget, Stoppable):
                try:
                    widget.shutdown()
                except Exception:  # one panel must not keep the others, or the backup, from running
                    log.exception("a panel did not shut down cleanly")
        from actdesk.services.backup import on_app_exit

        self.exit_backup = on_app_exit(self.ctx)
