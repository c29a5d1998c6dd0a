"""``ChartCanvas``: one matplotlib figure in the window, with hover values, drill-down clicks, a designed
empty state and PNG/SVG export from its context menu.

Charts are drawn inside ``with canvas.plotting() as fig:`` so that every figure gets the shared style
(``style.rc()``) and is rendered when Qt next paints it (only charts on screen are painted), off the GUI
thread (``render.py``). Interactive parts are registered with ``hover(artist,
text)`` and ``clickable(artist, payload)``: the canvas tests ``artist.contains(event)`` itself on mouse
motion and press, which keeps the behaviour identical for real mice and for tests that feed matplotlib
events.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any, cast

import matplotlib
from matplotlib.backend_bases import MouseButton, MouseEvent
from matplotlib.figure import Figure
from PySide6.QtCore import QPoint, Qt, Signal
from PySide6.QtGui import QAction, QCursor
from PySide6.QtWidgets import QFileDialog, QMenu, QMessageBox, QStackedWidget, QToolTip, QWidget

from actdesk.i18n import _, os_reason
from actdesk.ui.charts import style
from actdesk.ui.charts.render import RenderedCanvas
from actdesk.ui.widgets.empty_state import EmptyState

log = logging.getLogger(__name__)

HoverText = str | Callable[[int | None], str]
DEFAULT_MARGINS = (48, 16, 14, 36)  # left (a minimum), right, top, bottom (px)
CHAR_PX = 6.0  # width of a tick-label character at the chart font size, for the left margin


class ChartCanvas(QStackedWidget):
    """A chart or, when there is nothing to draw, a sentence saying what data would fill it."""

    sig_clicked = Signal(object)  # the payload registered with ``clickable``
    sig_hovered = Signal(str)  # the text shown for the value under the mouse ("" when leaving it)

    def __init__(self, name: str, parent: QWidget | None = None, *, height: int = 260) -> None:
        super().__init__(parent)
        self.name = name  # file name suggested on export
        with matplotlib.rc_context(cast(Any, style.rc())):
            self.figure = Figure(figsize=(5, height / 100), dpi=100)
        self.canvas = RenderedCanvas(self.figure)
        self.canvas.setParent(self)
        self.canvas.setMinimumHeight(height)
        self.canvas.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.canvas.customContextMenuRequested.connect(self._context_menu)
        self.empty = EmptyState("chart", "", "", parent=self)
        self.empty.setMinimumHeight(height)
        self.addWidget(self.canvas)
        self.addWidget(self.empty)
        self._hover: list[tuple[Any, HoverText]] = []
        self._click: list[tuple[Any, object]] = []
        self.hover_text = ""
        self.margins = DEFAULT_MARGINS
        self._connect()

    def _connect(self) -> None:
        self.canvas.mpl_connect("motion_notify_event", self._on_motion)
        self.canvas.mpl_connect("button_press_event", self._on_press)
        self.canvas.mpl_connect("figure_leave_event", lambda _e: self._show_hover("", None))
        self.canvas.mpl_connect("resize_event", lambda _e: self._apply_margins())

    def _own_figure(self) -> None:
        """While the worker draws the figure, new drawing goes into a fresh one of the same size (one
        thread per figure; the worker's image of the old one is dropped when it comes back)."""
        if not self.canvas.busy:
            return
        old = self.figure
        with matplotlib.rc_context(cast(Any, style.rc())):
            figure = Figure(figsize=tuple(old.get_size_inches()), dpi=old.dpi)
        figure._original_dpi = old._original_dpi  # type: ignore[attr-defined]  # the canvas's HiDPI scaling
        figure.set_canvas(self.canvas)
        self.canvas.figure = figure
        self.figure = figure
        self._connect()  # matplotlib keeps the canvas's callbacks on its figure

    # -- drawing -------------------------------------------------------------------------------------------
    @contextmanager
    def plotting(self, margins: tuple[int, int, int, int] | None = None) -> Iterator[Figure]:
        """Clear, draw with the shared style, then schedule one repaint. ``margins`` (left, right, top,
        bottom, in pixels) leave room for tick labels: fixed margins instead of a layout engine, which
        would measure every label on every draw (half the drawing time of a dashboard)."""
        self.margins = margins or DEFAULT_MARGINS
        self._own_figure()
        self.figure.clear()
        self._hover.clear()
        self._click.clear()
        rc = style.rc()
        self.figure.set_facecolor(rc["figure.facecolor"])
        with matplotlib.rc_context(cast(Any, rc)):  # stubs want literal rcParams keys
            yield self.figure
        self._apply_margins()
        self.setCurrentWidget(self.canvas)
        self.canvas.request_draw()

    def _apply_margins(self) -> None:
        width, height = self.figure.get_size_inches() * self.figure.dpi
        if width < 50 or height < 50:
            return
        left, right, top, bottom = self.margins
        left = max(left, _label_room(self.figure))
        self.figure.subplots_adjust(
            left=left / width,
            right=1 - right / width,
            top=1 - top / height,
            bottom=bottom / height,
            hspace=0.12,
        )

    def set_empty(self, title: str, text: str) -> None:
        """No axis without data: say what would fill the chart instead."""
        self._own_figure()
        self.figure.clear()
        self._hover.clear()
        self._click.clear()
        self.empty.set_text(title, text)
        self.setCurrentWidget(self.empty)

    @property
    def is_empty(self) -> bool:
        return self.currentWidget() is self.empty

    def hover(self, artist: Any, text: HoverText) -> None:
        """Show ``text`` (or ``text(index)`` for a line's point) while the mouse is over ``artist``."""
        self._hover.append((artist, text))

    def clickable(self, artist: Any, payload: object) -> None:
        """Emit ``sig_clicked(payload)`` when ``artist`` is clicked (a bar, a point)."""
        self._click.append((artist, payload))

    # -- interaction ---------------------------------------------------------------------------------------
    def _hit(self, artist: Any, event: MouseEvent) -> tuple[bool, int | None]:
        try:
            inside, info = artist.contains(event)
        except Exception:  # an artist removed by a redraw in between
            return False, None
        if not inside:
            return False, None
        ind = info.get("ind") if isinstance(info, dict) else None
        return True, (int(ind[0]) if ind is not None and len(ind) else None)

    def _on_motion(self, event: MouseEvent) -> None:
        for artist, text in self._hover:
            hit, index = self._hit(artist, event)
            if hit:
                self._show_hover(text(index) if callable(text) else text, event)
                return
        self._show_hover("", event)

    def _show_hover(self, text: str, event: MouseEvent | None) -> None:
        if text == self.hover_text:
            return
        self.hover_text = text
        if text and event is not None and event.guiEvent is not None:
            QToolTip.showText(QCursor.pos(), text, self.canvas)
        elif not text:
            QToolTip.hideText()
        self.canvas.setCursor(
            Qt.CursorShape.PointingHandCursor if text and self._click else Qt.CursorShape.ArrowCursor
        )
        self.sig_hovered.emit(text)

    def _on_press(self, event: MouseEvent) -> None:
        if event.button != 1:
            return
        for artist, payload in self._click:
            hit, index = self._hit(artist, event)
            if hit:
                self.sig_clicked.emit(payload(index) if callable(payload) else payload)
                return

    def display_point(self, ax: Any, x: float, y: float) -> tuple[float, float]:
        """Pixel position of a data point (for tests and keyboard access)."""
        px, py = ax.transData.transform((x, y))
        return float(px), float(py)

    def press_at(self, ax: Any, x: float, y: float) -> None:
        """Feed matplotlib a left click at data coordinates, as the mouse would."""
        self.canvas.wait()
        self.canvas.draw()
        px, py = self.display_point(ax, x, y)
        event = MouseEvent("button_press_event", self.canvas, px, py, button=MouseButton.LEFT)  # type: ignore[arg-type]  # stubs say int; sub-pixel floats work
        self.canvas.callbacks.process("button_press_event", event)

    def move_to(self, ax: Any, x: float, y: float) -> None:
        self.canvas.wait()
        self.canvas.draw()
        px, py = self.display_point(ax, x, y)
        self.canvas.callbacks.process(
            "motion_notify_event",
            MouseEvent("motion_notify_event", self.canvas, px, py),  # type: ignore[arg-type]
        )

    # -- export --------------------------------------------------------------------------------------------
    def _context_menu(self, pos: QPoint) -> None:
        menu = QMenu(self)
        for label, suffix in ((_("Save chart as PNG…"), "png"), (_("Save chart as SVG…"), "svg")):
            action = QAction(label, menu)
            action.triggered.connect(lambda _c=False, s=suffix: self._ask_export(s))
            menu.addAction(action)
        menu.exec(self.canvas.mapToGlobal(pos))

    def _ask_export(self, suffix: str) -> None:
        filters = {"png": _("PNG image (*.png)"), "svg": _("SVG drawing (*.svg)")}
        path, _filter = QFileDialog.getSaveFileName(
            self, _("Save chart"), str(Path.home() / f"{self.name}.{suffix}"), filters[suffix]
        )
        if not path:
            return
        try:
            self.export(Path(path))
        except OSError as exc:
            QMessageBox.warning(
                self, _("Save chart"), _("The chart could not be saved: {error}").format(error=os_reason(exc))
            )

    def export(self, path: Path) -> Path:
        """Write the chart as PNG or SVG (by the file's suffix; PNG when it has none) at print resolution."""
        if path.suffix.lower() not in (".png", ".svg"):
            path = path.with_suffix(".png")
        self.canvas.wait()
        with matplotlib.rc_context(cast(Any, style.rc())):
            self.figure.savefig(path, dpi=200 if path.suffix.lower() == ".png" else None)
        return path


def _label_room(figure: Figure) -> int:
    """Pixels the y tick labels and the axis label need, estimated from the labels' text (no text layout:
    measuring every label is what makes layout engines slow), so that long labels ("250 mil US$", a rule
    name) are never cut off in any language."""
    room = 0
    for ax in figure.axes:
        low, high = sorted(ax.get_ylim())
        ticks = [t for t in ax.get_yticks() if low <= t <= high]
        try:
            labels = ax.yaxis.get_major_formatter().format_ticks(ticks)
        except Exception:  # a formatter that needs a drawn axis
            labels = []
        longest = max((len(str(label)) for label in labels), default=0)
        room = max(room, int(longest * CHAR_PX) + (22 if ax.get_ylabel() else 0) + 14)
    return room
