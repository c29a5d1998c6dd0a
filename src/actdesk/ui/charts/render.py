"""The Qt widget of a chart: a matplotlib canvas whose figure is rendered off the GUI thread.

Drawing a figure with Agg takes 50-150 ms per chart (text layout, paths); done in ``paintEvent`` it held the
window's event loop for 0.5-0.7 s while the first dashboard painted. Here the figure is drawn into a pixel
buffer on the window's compute worker (``run_task(pool="compute", owner=canvas)``) and the widget paints the
finished image. Only charts Qt paints are rendered, so charts below the fold still cost nothing until they are
scrolled to.

One thread owns a figure at a time: while the worker draws it, the canvas ignores the mouse, defers resizes
until the image is back, and ``ChartCanvas.plotting()`` draws into a fresh figure instead of the one on the
worker. Resizes are debounced, the old image stretched meanwhile. Without a task runner (unit tests of one
widget) the figure is drawn on the GUI thread when painted, as before.
"""

from __future__ import annotations

import logging
import threading
from dataclasses import dataclass
from typing import Any

from matplotlib.backends.backend_agg import RendererAgg
from matplotlib.backends.backend_qtagg import FigureCanvasQTAgg
from matplotlib.figure import Figure
from PySide6.QtCore import QTimer
from PySide6.QtGui import QImage, QPainter, QPaintEvent, QResizeEvent

from actdesk.ui.charts.worker import render_runner
from actdesk.ui.tasks import TaskHandle, TaskRunner, TaskState

log = logging.getLogger(__name__)

RESIZE_DEBOUNCE_MS = 120  # a window being dragged larger renders once it stops, not at every step
DRAW_LOCK = threading.Lock()  # one Agg drawing at a time (FreeType's font objects are not thread-safe)


@dataclass(frozen=True)
class Rendered:
    figure: Figure
    pixels: bytes  # RGBA, row by row
    width: int
    height: int


def render(state: TaskState, figure: Figure) -> Rendered:
    """Draw ``figure`` with Agg into a pixel buffer (on the compute worker; the canvas leaves it alone)."""
    state.check()
    width, height = (int(v) for v in figure.bbox.size)  # as FigureCanvasAgg sizes its renderer
    with DRAW_LOCK:
        renderer = RendererAgg(width, height, figure.dpi)
        figure.draw(renderer)
        pixels = bytes(renderer.buffer_rgba())
    return Rendered(figure, pixels, width, height)


class RenderedCanvas(FigureCanvasQTAgg):
    """Paints the image of its figure, rendered on the compute worker when the figure changed."""

    def __init__(self, figure: Figure) -> None:
        super().__init__(figure)
        self.figure_changed = False
        self.image: QImage | None = None
        self._pixels = b""  # the image's memory
        self._task: TaskHandle | None = None
        self._with_worker: Figure | None = None
        self._resize_pending = False
        self._debounce = QTimer(self)
        self._debounce.setSingleShot(True)
        self._debounce.setInterval(RESIZE_DEBOUNCE_MS)
        self._debounce.timeout.connect(self.update)

    @property
    def busy(self) -> bool:
        """The figure shown is being drawn on the worker: the GUI thread must not touch it."""
        return self._with_worker is not None and self._with_worker is self.figure

    @property
    def rendering(self) -> bool:
        return self._with_worker is not None

    def request_draw(self) -> None:
        self.figure_changed = True
        self.update()

    def draw_idle(self) -> None:  # matplotlib's own requests (a resize, say) wait for the paint too
        self.request_draw()

    def wait(self) -> None:
        """Block until the figure is back from the worker (export and test helpers, never on the way)."""
        task = self._task
        if task is not None and task.future is not None:
            try:
                task.future.result(timeout=30)
            except Exception:  # its failure is reported by the task
                log.debug("chart render failed", exc_info=True)
        self._with_worker = None

    # -- painting --------------------------------------------------------------------------------------
    def paintEvent(self, event: QPaintEvent) -> None:
        runner = render_runner()
        sized = self.width() > 0 and self.height() > 0
        if runner is None:
            if self.figure_changed and sized and not self.rendering:
                self.figure_changed = False
                self.draw()
            super().paintEvent(event)
            return
        if self.figure_changed and sized and not self.rendering and not self._debounce.isActive():
            self._start(runner)
        painter = QPainter(self)
        try:
            if self.image is None:
                painter.fillRect(self.rect(), self.palette().base())
            else:
                painter.drawImage(self.rect(), self.image)
        finally:
            painter.end()

    def _start(self, runner: TaskRunner) -> None:
        self.figure_changed = False
        figure = self.figure
        self._with_worker = figure
        try:
            self._task = runner.run_task(
                render, figure, on_done=self._rendered, on_error=self._failed, pool="compute", owner=self
            )
        except RuntimeError:  # the runner was shut down (the window is closing): draw here
            self._with_worker = None
            self.draw()
            self.image = self._grab_renderer()

    def _grab_renderer(self) -> QImage:
        buffer = self.buffer_rgba()
        self._pixels = bytes(buffer)
        width, height = self.get_width_height(physical=True)
        return self._image_of(self._pixels, width, height)

    def _image_of(self, pixels: bytes, width: int, height: int) -> QImage:
        image = QImage(pixels, width, height, width * 4, QImage.Format.Format_RGBA8888)
        image.setDevicePixelRatio(self.device_pixel_ratio)
        return image

    def _rendered(self, result: Rendered) -> None:
        if result.figure is self._with_worker:
            self._with_worker = None
            self._task = None
        if result.figure is self.figure:
            self._pixels = result.pixels
            self.image = self._image_of(result.pixels, result.width, result.height)
        if self._resize_pending:
            self._resize_pending = False
            self.resizeEvent(QResizeEvent(self.size(), self.size()))
        self.update()

    def _failed(self, error: BaseException) -> None:
        self._with_worker = None
        self._task = None
        log.warning("a chart could not be drawn: %r", error)

    # -- while the worker has the figure ------------------------------------------------------------------
    def resizeEvent(self, event: QResizeEvent) -> None:
        if self.busy:
            self._resize_pending = True
            return
        super().resizeEvent(event)
        if self.image is not None and render_runner() is not None:
            self._debounce.start()

    def mouseMoveEvent(self, event: Any) -> None:
        if not self.busy:
            super().mouseMoveEvent(event)

    def mousePressEvent(self, event: Any) -> None:
        if not self.busy:
            super().mousePressEvent(event)

    def mouseReleaseEvent(self, event: Any) -> None:
        if not self.busy:
            super().mouseReleaseEvent(event)

    def mouseDoubleClickEvent(self, event: Any) -> None:
        if not self.busy:
            super().mouseDoubleClickEvent(event)

    def wheelEvent(self, event: Any) -> None:
        if not self.busy:
            super().wheelEvent(event)

    def enterEvent(self, event: Any) -> None:
        if not self.busy:
            super().enterEvent(event)

    def leaveEvent(self, event: Any) -> None:
        if not self.busy:
            super().leaveEvent(event)
