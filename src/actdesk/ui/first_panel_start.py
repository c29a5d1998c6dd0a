"""The window's start-up sequence from its first paint to the first panel's data on screen (issue 21).

After the first paint the window opens the book (``app.start_window``); once it is open the first panel's
module is imported on the compute worker and the panel built on the GUI thread once it is loaded. For the
Book dashboard, its tiles are first filled from SQL sums (``ui/dashboard/first_page.py``) while the child
process starts warming, and the dashboard's module (pandas, matplotlib) is imported only once those tiles
are painted (``FirstTilesPage.sig_done``; at once for an empty book or a failed query): imported beside
them, its Python took the interpreter lock from the tiles' query on the database worker and from their
painting on the GUI thread (docs/performance.md, NINTH_STALL). The dashboard takes the first tiles'
numbers over, and the window's ``first_panel_gate`` then watches it being built. ``sig_first_data_shown`` is sent once, when the first numbers are on screen (or
there are none, or ``FIRST_DATA_TIMEOUT_MS`` passed).
"""

from __future__ import annotations

import importlib
import logging
from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, QTimer
from PySide6.QtWidgets import QWidget

if TYPE_CHECKING:
    from actdesk.ui.dashboard.first_page import FirstTilesPage
    from actdesk.ui.main_window import MainWindow

log = logging.getLogger(__name__)
# The first panel reports when its first data is on screen (``sig_data_shown``), or is waited for this long.
FIRST_DATA_TIMEOUT_MS = 3000
FIRST_TILES_MODULE = "actdesk.ui.dashboard.first_page"  # Qt and SQL only: the first numbers
CHILD_MODULE = "actdesk.services.alerts.child"  # the child process's client (no pandas): on a worker thread
CHILD_PREWARM = ("actdesk.services.alerts.compute", "actdesk.services.analytics_child")


class FirstPanelStart(QObject):
    """Fills the window's first panel once it has painted and the book is open; sends the window's
    ``sig_first_data_shown`` once."""

    def __init__(self, window: MainWindow) -> None:
        super().__init__(window)
        self.window = window
        self.ctx = window.ctx
        self.first_data_shown = False
        self.first_tiles: FirstTilesPage | None = None  # the Book dashboard's tiles before the dashboard
        self._panel_loading = False
        self._child_started = False
        self._key = ""  # the first panel, chosen when the book opened

    def after_first_paint(self) -> None:
        w = self.window
        w.sig_first_painted.emit()  # app.run starts opening the book on the database worker now
        if self.ctx.book_open:
            self.start()
        elif w.initial_panel() == "book":  # the first tiles' module loads while the book opens (I/O)
            self.import_then([FIRST_TILES_MODULE], lambda: None)

    def start(self) -> None:
        """The book is open: fill the first panel."""
        w = self.window
        QTimer.singleShot(FIRST_DATA_TIMEOUT_MS, self.first_data)
        if w.welcome is not None and w.pages.currentWidget() is w.welcome:
            self._show_first_panel(w.initial_panel())  # the first data, and no panel to wait for
            return
        key = self._key = w.initial_panel()
        spec = next((s for s in w.specs if s.key == key), None)
        tiles_first = key == "book" and spec is not None and key not in w.panels
        if tiles_first:
            # Its tiles from SQL sums first (no pandas); the child's start and the dashboard's import only
            # once they are painted: beside them they took the interpreter lock from their paint.
            self.import_then([FIRST_TILES_MODULE], lambda: self._show_first_tiles(self._after_tiles))
        elif key == "book":
            self._start_child()
        if spec is None or key in w.panels:
            self._show_first_panel(key)
        elif key != "book":
            self._load_panel()
        else:
            QTimer.singleShot(FIRST_DATA_TIMEOUT_MS, self, self._after_tiles)  # first tiles that never finish

    def _after_tiles(self) -> None:
        """The first tiles are painted (or never will be): start the child process, then import the
        dashboard."""
        self._start_child()
        self._load_panel()

    def _start_child(self) -> None:
        """Once: the dashboard asks the one child process (also the alert evaluation's) for the retention
        model right after its numbers; started now, on the other core, it is warm by then (the dashboard's
        import takes longer than the child's start)."""
        if not self._child_started:
            self._child_started = True
            self.import_then([CHILD_MODULE], self._prewarm_child)

    def _load_panel(self) -> None:
        """Once: the first panel's module (pandas, matplotlib: most of a second) is imported on a worker
        thread, so the painted window keeps answering; the panel is built on the GUI thread once it is loaded."""
        if self._panel_loading:
            return
        self._panel_loading = True
        key = self._key
        spec = next((s for s in self.window.specs if s.key == key), None)
        if spec is not None:
            self.import_then([spec.module], lambda: self._show_first_panel(key))

    def _prewarm_child(self) -> None:
        """Start the child process from the database worker (spawning it held the GUI thread)."""
        child = self.ctx.child_process()
        self.ctx.tasks.run_task(
            lambda _state: child.prewarm(CHILD_PREWARM),
            on_error=lambda e: log.warning("the child process could not be started: %s", e),
            owner=self,
        )

    def _show_first_tiles(self, then: Callable[[], None]) -> None:
        """The Book dashboard's tiles alone (``ui/dashboard/first_page.py``): the advisor's first numbers
        need SQL sums, not pandas or matplotlib. ``then`` (the dashboard's import) once the page is done."""
        w = self.window
        if "book" in w.panels or w.current_key is not None:
            then()  # the dashboard (or a panel the advisor chose) is already on screen
            return
        from actdesk.ui.dashboard.first_page import FirstTilesPage

        page = FirstTilesPage(self.ctx, w.stack)
        page.sig_data_shown.connect(self.first_data)
        page.sig_done.connect(then)
        w.stack.addWidget(page)
        w.stack.setCurrentWidget(page)
        self.first_tiles = page
        page.start()

    def _hand_over_first_tiles(self, widget: QWidget | None) -> None:
        """The dashboard takes the first tiles' numbers over (no "loading" in between); the page goes."""
        page, self.first_tiles = self.first_tiles, None
        if page is None:
            return
        from actdesk.ui.dashboard.first_page import TakesFirstNumbers

        if page.first is not None and isinstance(widget, TakesFirstNumbers):
            widget.show_first(page.first)
        self.window.stack.removeWidget(page)
        page.deleteLater()

    def import_then(self, modules: list[str], then: Callable[[], None]) -> None:
        """Import ``modules`` on a worker thread, then call ``then`` on the GUI thread (also if an import
        failed: ``then`` imports again and reports the error where it belongs)."""

        def load(_state: object) -> None:
            for name in modules:
                importlib.import_module(name)

        self.ctx.tasks.run_task(
            load, pool="compute", on_done=lambda _r: then(), on_error=lambda _e: then(), owner=self
        )

    def _show_first_panel(self, key: str) -> None:
        w = self.window
        if w.current_key is not None:  # the advisor chose a panel meanwhile: leave it on screen
            self._hand_over_first_tiles(None)
            self.first_data()
        elif w.welcome is None or w.pages.currentWidget() is not w.welcome:
            widget = w.panel(key)
            shown = getattr(widget, "sig_data_shown", None)
            if shown is not None:
                shown.connect(self.first_data)
            self._hand_over_first_tiles(widget)
            w.show_panel(key)
            if shown is None:
                self.first_data()
        else:
            self.first_data()
        w.first_panel_gate.watch(w.panels.get(key))  # built: work behind the window may start

    def first_data(self) -> None:
        """Once: the first panel's numbers are on screen."""
        if not self.first_data_shown:
            self.first_data_shown = True
            self.window.sig_first_data_shown.emit()
