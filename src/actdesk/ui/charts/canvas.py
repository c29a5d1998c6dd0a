"""``ChartCanvas``: one matplotlib figure in the window, with hover values, drill-down clicks, a designed
empty state and PNG/SVG export from its context menu.

A chart is drawn by a function ``draw(target, *args)`` given to ``draw_later``: on the window it runs on
the compute worker when Qt next paints the chart (only charts on screen are painted), into a fresh figure
(``plot.Plot``) that is laid out and rendered there too (``render.py``); the canvas then adopts the figure,
its image and its hover and click targets. Without a task runner it runs at once with the canvas itself as
the target. Inside the function, ``with target.plotting() as fig:`` gives the shared style (``style.rc()``);
interactive parts are registered with ``hover(artist, text)`` and ``clickable(artist, payload)``: the canvas
tests ``artist.contains(event)`` itself on mouse motion and press, which keeps the behaviour identical for
real mice and for tests that feed matplotlib events.
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
from actdesk.ui.charts.plot import DEFAULT_MARGINS, HoverText, Margins, Plot, apply_margins
from actdesk.ui.charts.render import DRAW_LOCK, Recipe, RenderedCanvas
from actdesk.ui.charts.worker import render_runner
from actdesk.ui.widgets.empty_state import EmptyState

log = logging.getLogger(__name__)


class ChartCanvas(QStackedWidget):
    """A chart or, when there is nothing to draw, a sentence saying what data would fill it."""

    sig_clicked = Signal(object)  # the payload registered with ``clickable``
    sig_hovered = Signal(str)  # the text shown for the value under the mouse ("" when leaving it)

    def __init__(self, name: str, parent: QWidget | None = None, *, height: int = 260) -> None:
        super().__init__(parent)
        self.name = name  # file name suggested on export
        self._height = height
        # No rc_context on the GUI thread: the worker may be plotting in one (rcParams are global).
        self.figure = Figure(figsize=(5, height / 100), dpi=100, facecolor=style.rc()["figure.facecolor"])
        self.canvas = RenderedCanvas(self.figure)
        self.canvas.setParent(self)
        self.canvas.setMinimumHeight(height)
        self.canvas.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.canvas.customContextMenuRequested.connect(self._context_menu)
        self.canvas.layout = lambda figure: apply_margins(figure, self.margins)
        self.canvas.adopt = self._adopt
        self.addWidget(self.canvas)
        self._empty: EmptyState | None = None  # built when first needed (its icon is an SVG render)
        self._hover: list[tuple[Any, HoverText]] = []
        self._click: list[tuple[Any, object]] = []
        self.hover_text = ""
        self.margins: Margins = DEFAULT_MARGINS
        self._connect()

    @property
    def empty(self) -> EmptyState:
        if self._empty is None:
            self._empty = EmptyState("chart", "", "", parent=self)
            self._empty.setMinimumHeight(self._height)
            self.addWidget(self._empty)
        return self._empty

    def _connect(self) -> None:
        self.canvas.mpl_connect("motion_notify_event", self._on_motion)
        self.canvas.mpl_connect("button_press_event", self._on_press)
        self.canvas.mpl_connect("figure_leave_event", lambda _e: self._show_hover("", None))

    def _own_figure(self) -> None:
        """While the worker draws the figure, new drawing goes into a fresh one of the same size (one
        thread per figure; the worker's image of the old one is dropped when it comes back)."""
        if not self.canvas.busy:
            return
        old = self.figure
        figure = Figure(figsize=tuple(old.get_size_inches()), dpi=old.dpi)
        figure._original_dpi = old._original_dpi  # type: ignore[attr-defined]  # the canvas's HiDPI scaling
        self._take(figure)

    def _take(self, figure: Figure) -> None:
        figure.set_canvas(self.canvas)
        self.canvas.figure = figure
        self.figure = figure
        self._connect()  # matplotlib keeps the canvas's callbacks on its figure

    # -- drawing -------------------------------------------------------------------------------------------
    def draw_later(self, draw: Callable[..., None], *args: Any) -> None:
        """Draw the chart with ``draw(target, *args)`` off the GUI thread: built, laid out and rendered on
        the compute worker when Qt next paints it, then adopted here with its hover and click targets
        (``Plot``). ``args`` must not change afterwards. Without a task runner, drawn here at once."""
        if render_runner() is None:
            draw(self, *args)
            return
        self.canvas.request_plot(Recipe(draw, args, style.rc()))
        self.setCurrentWidget(self.canvas)  # it is painted, so built; an empty state comes back as such

    def _adopt(self, plot: Plot) -> None:
        self._hover = plot.hovers
        self._click = plot.clicks
        self.margins = plot.margins
        for name, value in plot.kept.items():
            setattr(self, name, value)
        if plot.empty is not None:
            self.empty.set_text(*plot.empty)
            self.setCurrentWidget(self.empty)
            return
        self._take(plot.figure)
        self.setCurrentWidget(self.canvas)

    @property
    def pending(self) -> bool:
        """A chart asked for with ``draw_later`` is not on screen yet."""
        return self.canvas.pending

    @contextmanager
    def plotting(self, margins: Margins | None = None) -> Iterator[Figure]:
        """Clear, draw with the shared style on the GUI thread, then schedule one repaint. ``margins``
        (left, right, top, bottom, in pixels) leave room for tick labels: fixed margins instead of a
        layout engine, which would measure every label on every draw (half the drawing time of a
        dashboard); they are applied where the figure is drawn."""
        self.canvas.drop_plot()
        self.margins = margins or DEFAULT_MARGINS
        self._own_figure()
        self.figure.clear()
        self._hover.clear()
        self._click.clear()
        rc = style.rc()
        self.figure.set_facecolor(rc["figure.facecolor"])
        with DRAW_LOCK, matplotlib.rc_context(cast(Any, rc)):  # stubs want literal rcParams keys
            yield self.figure
        self.setCurrentWidget(self.canvas)
        self.canvas.request_draw()

    def set_empty(self, title: str, text: str) -> None:
        """No axis without data: say what would fill the chart instead."""
        self.canvas.drop_plot()
        self._own_figure()
        self.figure.clear()
        self._hover.clear()
        self._click.clear()
        self.empty.set_text(title, text)
        self.setCurrentWidget(self.empty)

    def keep(self, name: str, value: Any) -> None:
        """Name an artist of the chart (for tests and keyboard access), as ``Plot.keep`` does."""
        setattr(self, name, value)

    @property
    def is_empty(self) -> bool:
        return self._empty is not None and self.currentWidget() is self._empty

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
        apply_margins(self.figure, self.margins)
        with DRAW_LOCK, matplotlib.rc_context(cast(Any, style.rc())):
            self.figure.savefig(path, dpi=200 if path.suffix.lower() == ".png" else None)
        return path
