"""The meeting view: one household's dashboard full screen, for use across the table from the client.

While it is up, nothing on screen may name another client: the main window (rail, lists, status bar) is
hidden, the window title is the household's own name, and ``ctx.in_meeting`` tells the alert watcher and
the reminder notifier to hold their notifications. Esc or the button leaves it and brings the window back.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QCloseEvent, QKeySequence, QShortcut
from PySide6.QtWidgets import QVBoxLayout, QWidget

from actdesk.i18n import _
from actdesk.ui.context import AppContext
from actdesk.ui.dashboard.client_panel import ClientDashboardPanel


class MeetingWindow(QWidget):
    sig_closed = Signal()

    def __init__(self, ctx: AppContext, household_id: int, host: QWidget | None = None) -> None:
        super().__init__(None, Qt.WindowType.Window)
        self.ctx = ctx
        self.host = host  # the main window, hidden while the meeting view is up
        self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.setWindowTitle(_("Meeting"))
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self.dashboard = ClientDashboardPanel(ctx, self, meeting=True)
        self.dashboard.sig_leave_requested.connect(self.close)
        self.dashboard.sig_loaded.connect(self._loaded)
        layout.addWidget(self.dashboard)
        QShortcut(QKeySequence(Qt.Key.Key_Escape), self).activated.connect(self.close)
        self._host_was_visible = bool(host and host.isVisible())
        ctx.in_meeting = True
        self.dashboard.load(household_id)

    def _loaded(self, _household_id: int) -> None:
        data = self.dashboard.data
        if data is not None:
            self.setWindowTitle(data.detail.household.name)

    def start(self) -> None:
        """Full screen on the host's screen, with the main window out of sight."""
        if self.host is not None and self.host.screen() is not None:
            self.setScreen(self.host.screen())
        self.showFullScreen()
        if self.host is not None:
            self.host.hide()
        self.activateWindow()

    def closeEvent(self, event: QCloseEvent) -> None:
        self.ctx.in_meeting = False
        if self.host is not None and self._host_was_visible:
            self.host.show()
            self.host.activateWindow()
        self.sig_closed.emit()
        super().closeEvent(event)
