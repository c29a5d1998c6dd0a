"""The one main window: a navigation rail of the available panels, the current panel, a status bar.

Panels are imported only when first shown, and the first one only after the window has painted, so that the
window appears before heavy modules (pandas, matplotlib) load. At start (``app.run``) the window is built and
painted before the book is open (``ui/book_opening.py``): ``book_opened()`` then fills the first panel
(``ui/first_panel_start.py``: the start-up sequence from the first paint to the first data).
Geometry lives in QSettings; everything else in the typed settings.
"""

from __future__ import annotations

import importlib
import importlib.util
import logging
from collections.abc import Callable
from functools import partial
from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, QObject, QSize, Qt, QTimer, Signal
from PySide6.QtGui import QAction, QCloseEvent, QKeySequence
from PySide6.QtWidgets import (
    QButtonGroup,
    QHBoxLayout,
    QLabel,
    QMainWindow,
    QMessageBox,
    QStackedWidget,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from actdesk import __version__
from actdesk.i18n import _, user_message
from actdesk.ui import icons, theme
from actdesk.ui.book_opening import location_text
from actdesk.ui.context import AppContext
from actdesk.ui.first_panel_gate import FirstPanelGate
from actdesk.ui.first_panel_start import FirstPanelStart
from actdesk.ui.panels import Badged, OffersStart, Panel, PanelSpec, available_panels
from actdesk.ui.topics import Topic
from actdesk.ui.welcome import Welcome
from actdesk.ui.widgets.status_line import StatusLine
from actdesk.ui.window_geometry import restore_window_geometry, save_window_geometry

if TYPE_CHECKING:
    from actdesk.ui.dashboard.first_page import FirstTilesPage
    from actdesk.ui.quick_find import QuickFind  # its household list imports SQLAlchemy: not before the paint

log = logging.getLogger(__name__)
REPLY_DROP_MODULE = "actdesk.ui.engagement.reply_drop"
IMPORT_WIZARD_MODULE = "actdesk.ui.imports"  # exposes open_import_wizard(ctx, parent) when that feature ships


def import_wizard_available() -> bool:
    try:
        return importlib.util.find_spec(IMPORT_WIZARD_MODULE) is not None
    except ModuleNotFoundError:
        return False


class MainWindow(QMainWindow):
    sig_first_painted = Signal()
    sig_first_data_shown = Signal()  # the first panel's data is on screen (or it has none, or timed out)
    sig_first_panel_built = Signal()  # ... and the panel is built: work behind the window starts (issue 21)
    sig_panel_shown = Signal(str)
    sig_import_requested = Signal()
    sig_closing = Signal()  # the window is closing: background work stops, the exit backup runs

    def __init__(
        self,
        ctx: AppContext,
        *,
        show_welcome: bool = False,
        demo_builder: Callable[[AppContext], object] | None = None,
        first_panel: str | None = None,
        location: str = "",
    ) -> None:
        super().__init__()
        self.ctx = ctx
        self.demo_builder = demo_builder
        self.first_panel = first_panel  # None: the Book dashboard when present
        self.location = location  # what the advisor asked to open, named in the status bar while it opens
        self.setObjectName("MainWindow")
        self.setWindowTitle(_("actdesk — {practice}").format(practice=ctx.settings.general.practice()))
        self.setMinimumSize(960, 600)
        self.specs: list[PanelSpec] = available_panels()
        self.panels: dict[str, QWidget] = {}
        self.current_key: str | None = None
        self._painted = False
        self._quick_find: QuickFind | None = None

        self.pages = QStackedWidget(self)
        self.setCentralWidget(self.pages)
        self.workspace = QWidget(self)
        row = QHBoxLayout(self.workspace)
        row.setContentsMargins(0, 0, 0, 0)
        row.setSpacing(0)
        row.addWidget(self._build_rail())
        self.stack = QStackedWidget(self.workspace)
        self.loading = QLabel(_("Opening your book…"), self.stack)
        self.loading.setObjectName("Muted")
        self.loading.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.stack.addWidget(self.loading)
        row.addWidget(self.stack, 1)
        self.pages.addWidget(self.workspace)

        self.welcome: Welcome | None = None
        if show_welcome:
            self.show_welcome()

        self.status = self.statusBar()
        self.book_label = QLabel(self._book_text(), self)
        self.book_label.setObjectName("Muted")
        self.status.addPermanentWidget(self.book_label)
        self.status_line = StatusLine(self.book_label, self)  # a message gets the whole bar, never cut off
        self.status.addWidget(self.status_line, 1)
        ctx.signals.status_message.connect(lambda text: self.status_line.show_message(text, 8000))
        ctx.signals.show_panel_requested.connect(self.show_panel)
        ctx.signals.open_household_requested.connect(self._open_household)
        ctx.signals.client_dashboard_requested.connect(self._open_client_dashboard)

        self._build_actions()
        if self.initial_panel() in self.rail_buttons:  # the rail shows where the first numbers will be
            self.rail_buttons[self.initial_panel()].setChecked(True)
        restore_window_geometry(self)
        self.installEventFilter(self)
        self.reply_drop: QObject | None = None  # installed once the first panel is built (it loads pandas)
        self.first_start = FirstPanelStart(self)  # from the first paint to the first panel's data
        self.first_panel_gate = FirstPanelGate(self)  # sends sig_first_panel_built; runs what waits for it
        self.first_panel_gate.import_quietly([REPLY_DROP_MODULE], self._install_reply_drop)

    # -- construction --------------------------------------------------------------------------------------
    def _build_rail(self) -> QWidget:
        rail = QWidget(self)
        rail.setObjectName("Rail")
        rail.setFixedWidth(100)
        layout = QVBoxLayout(rail)
        layout.setContentsMargins(0, theme.S3, 0, theme.S3)
        layout.setSpacing(theme.S1)
        self.rail_group = QButtonGroup(self)
        self.rail_group.setExclusive(True)
        self.rail_buttons: dict[str, QToolButton] = {}
        c = theme.colors()
        for spec in self.specs:
            button = QToolButton(rail)
            button.setObjectName("RailButton")
            button.setCheckable(True)
            button.setText(_(spec.title))
            button.setIcon(icons.icon(spec.icon, c.muted, c.accent_text))
            button.setIconSize(QSize(22, 22))
            button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextUnderIcon)
            button.setToolTip(f"{_(spec.title)}  ({spec.shortcut})")
            button.setFixedWidth(88)
            button.clicked.connect(lambda _c=False, key=spec.key: self.show_panel(key))
            self.rail_group.addButton(button)
            self.rail_buttons[spec.key] = button
            layout.addWidget(button, 0, Qt.AlignmentFlag.AlignHCenter)
        layout.addStretch(1)
        version = QLabel(f"v{__version__}", rail)
        version.setObjectName("Muted")
        version.setAlignment(Qt.AlignmentFlag.AlignCenter)
        layout.addWidget(version)
        return rail

    def _build_actions(self) -> None:
        def add(
            text: str, keys: str | QKeySequence | QKeySequence.StandardKey, slot: Callable[[], object]
        ) -> QAction:
            action = QAction(text, self)
            action.setShortcut(QKeySequence(keys))
            action.setShortcutContext(Qt.ShortcutContext.WindowShortcut)
            action.triggered.connect(slot)
            self.addAction(action)
            return action

        self.panel_actions: dict[str, QAction] = {
            spec.key: add(_(spec.title), spec.shortcut, partial(self.show_panel, spec.key))
            for spec in self.specs
        }
        self.quick_find_action = add(_("Quick find"), "Ctrl+K", self.open_quick_find)
        self.quick_find_action.setEnabled(self.ctx.book_open)  # it searches the book: once it is open
        self.new_household_action = add(_("New household"), QKeySequence.StandardKey.New, self.new_household)
        self.quit_action = add(_("Quit"), QKeySequence.StandardKey.Quit, self.close)

    def _book_text(self) -> str:
        suffix = "  ·  " + _("read-only") if self.ctx.read_only else ""
        return _("Book: {where}").format(where=location_text(self.ctx, self.location)) + suffix

    # -- first paint and lazy panels ---------------------------------------------------------------------
    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self and event.type() == QEvent.Type.Paint and not self._painted:
            self._painted = True
            self.removeEventFilter(self)  # every later event would call into Python (the GIL) for nothing
            QTimer.singleShot(0, self.first_start.after_first_paint)
        return super().eventFilter(watched, event)

    def book_opening(self, location: str) -> None:  # the first book, or another chosen after a refusal
        self.location = location
        self.book_label.setText(self._book_text())

    def book_opened(self) -> None:
        """The book passed its checks behind the painted window (``app.start_window``, which opens it after the
        first paint): name it, then fill the first panel."""
        self.book_label.setText(self._book_text())
        self.quick_find_action.setEnabled(True)
        self.first_start.start()

    @property
    def first_data_shown(self) -> bool:
        return self.first_start.first_data_shown

    @property
    def first_tiles(self) -> FirstTilesPage | None:
        return self.first_start.first_tiles

    def import_then(self, modules: list[str], then: Callable[[], None]) -> None:
        self.first_start.import_then(modules, then)

    def _install_reply_drop(self) -> None:
        """Questionnaire replies dropped on the window; its services import pandas (the alert rules)."""
        if self.reply_drop is None:
            from actdesk.ui.engagement.reply_drop import install_reply_drop

            self.reply_drop = install_reply_drop(self, self.ctx)

    def initial_panel(self) -> str:
        keys = [s.key for s in self.specs]
        for preferred in (self.first_panel, "book", "households"):
            if preferred in keys:
                return preferred
        return keys[0] if keys else ""

    def panel(self, key: str) -> QWidget | None:
        """The panel widget for ``key``, created on first use; None if this build has no such panel."""
        if key in self.panels:
            return self.panels[key]
        spec = next((s for s in self.specs if s.key == key), None)
        if spec is None:
            return None
        try:
            widget = spec.load()(self.ctx, self.stack)
        except Exception:  # a broken panel must not take the window down with it
            log.exception("panel %s failed to load", key)
            self.ctx.signals.status_message.emit(
                _("The {panel} panel could not be opened.").format(panel=_(spec.title))
            )
            return None
        self.panels[key] = widget
        self.stack.addWidget(widget)
        if isinstance(widget, OffersStart):
            widget.sig_import_requested.connect(self.request_import)
            widget.sig_demo_requested.connect(self.build_demo)
            widget.set_demo_available(self.demo_builder is not None)
            widget.set_import_available(import_wizard_available())
        if isinstance(widget, Badged):
            widget.sig_badge_changed.connect(lambda n, k=key: self.set_badge(k, n))
        return widget

    def show_panel(self, key: str) -> None:
        if not self.ctx.book_open:  # chosen while the book opens: it becomes the first panel
            self.first_panel = key
            if key in self.rail_buttons:
                self.rail_buttons[key].setChecked(True)
            return
        if self.welcome is not None and self.pages.currentWidget() is self.welcome:
            return
        widget = self.panel(key)
        if widget is None:
            return
        self.stack.setCurrentWidget(widget)
        self.rail_buttons[key].setChecked(True)
        self.current_key = key
        if isinstance(widget, Panel):
            widget.activate()
        self.sig_panel_shown.emit(key)

    def set_badge(self, key: str, count: int) -> None:
        spec = next(s for s in self.specs if s.key == key)
        text = _(spec.title) + (f" ({count})" if count else "")
        self.rail_buttons[key].setText(text)

    # -- welcome -----------------------------------------------------------------------------------------
    def show_welcome(self) -> None:
        book = self.ctx.book
        self.welcome = Welcome(
            demo_available=self.demo_builder is not None,
            import_available=import_wizard_available(),
            encryption_available=book.path is not None and book.key is None and not self.ctx.read_only,
            parent=self,
        )
        self.welcome.sig_empty_requested.connect(lambda: self._encrypt_then(self.leave_welcome))
        self.welcome.sig_import_requested.connect(lambda: self._encrypt_then(self._welcome_import))
        self.welcome.sig_demo_requested.connect(lambda: self._encrypt_then(self.build_demo))
        self.pages.addWidget(self.welcome)
        self.pages.setCurrentWidget(self.welcome)

    def leave_welcome(self) -> None:
        self.ctx.settings.general.first_run_done = True
        try:
            self.ctx.settings.save()
        except OSError:
            log.warning("could not save settings", exc_info=True)
        self.pages.setCurrentWidget(self.workspace)
        if self.welcome is not None:
            self.pages.removeWidget(self.welcome)
            self.welcome.deleteLater()
            self.welcome = None
        if self._painted:
            self.show_panel(self.initial_panel())

    def _encrypt_then(self, step: Callable[[], None]) -> None:
        """The welcome's encryption opt-in: encrypt the new (empty) book first, then go on with the choice."""
        if self.welcome is None or not self.welcome.wants_encryption():
            step()
            return
        from actdesk.ui.preferences.encryption import start_conversion

        self.welcome.set_busy(_("Encrypting the book…"))

        def finished(ok: bool) -> None:
            if self.welcome is not None:
                self.welcome.set_busy(None)
                self.welcome.encrypt_box.setVisible(not ok)
            if ok:
                step()

        start_conversion(self.ctx, self, encrypt=True, on_finished=finished)

    def _welcome_import(self) -> None:
        self.leave_welcome()
        self.request_import()

    def request_import(self) -> None:
        self.sig_import_requested.emit()
        if not import_wizard_available():
            return
        opener = getattr(importlib.import_module(IMPORT_WIZARD_MODULE), "open_import_wizard", None)
        if callable(opener):
            opener(self.ctx, self)

    def build_demo(self) -> None:
        """Fill the (empty) book with the demo practice in the background, then show it."""
        if self.demo_builder is None:
            return
        if self.welcome is not None:
            self.welcome.set_busy(_("Building the demo book…"))

        def done(_result: object) -> None:
            self.ctx.signals.data_changed.emit(Topic.BOOK)
            self.ctx.signals.data_changed.emit(Topic.HOUSEHOLDS)
            if self.welcome is not None:
                self.leave_welcome()

        def failed(error: BaseException) -> None:
            if self.welcome is not None:
                self.welcome.set_busy(None)
            QMessageBox.warning(
                self,
                _("Demo book"),
                _("The demo book could not be built: {error}").format(error=user_message(error)),
            )

        builder = self.demo_builder
        self.ctx.signals.status_message.emit(_("Building the demo book…"))
        self.ctx.tasks.run_task(lambda _state: builder(self.ctx), on_done=done, on_error=failed)

    # -- commands ----------------------------------------------------------------------------------------
    def open_quick_find(self) -> QuickFind:
        from actdesk.ui.quick_find import QuickFind

        finder = QuickFind(self.ctx, self)
        finder.sig_household_chosen.connect(self._open_household)
        geometry = self.geometry()
        finder.move(geometry.center().x() - finder.width() // 2, geometry.top() + 96)
        self._quick_find = finder
        finder.open()
        return finder

    def _open_household(self, household_id: int) -> None:
        if self.welcome is not None:
            self.leave_welcome()
        self.show_panel("households")
        panel = self.panels.get("households")
        opener = getattr(panel, "open_household", None)
        if callable(opener):
            opener(household_id)

    def _open_client_dashboard(self, household_id: int) -> None:
        self.show_panel("book")
        opener = getattr(self.panels.get("book"), "open_client", None)
        if callable(opener):
            opener(household_id)

    def new_household(self) -> None:
        self.show_panel("households")
        panel = self.panels.get("households")
        create = getattr(panel, "new_household", None)
        if callable(create):
            create()

    def save_geometry(self) -> None:
        save_window_geometry(self, self.panels.values())

    def closeEvent(self, event: QCloseEvent) -> None:
        self.sig_closing.emit()
        self.save_geometry()
        super().closeEvent(event)
