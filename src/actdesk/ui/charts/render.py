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

A chart drawn with ``ChartCanvas.draw_later`` is also *built* on the worker (issue 21, fifth wave): the
drawing function plots into a fresh figure there (``plot.Plot``), its margins are laid out and it is rendered
in the same task; the GUI thread adopts the finished figure with its hover and click targets. The margins of
every figure (``layout``, which reads the tick labels) are applied where it is drawn, never in a resize.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, cast

import matplotlib
from matplotlib.backends.backend_agg import RendererAgg
from matplotlib.backends.backend_qtagg import FigureCanvasQTAgg
from matplotlib.figure import Figure
from PySide6.QtCore import QTimer
from PySide6.QtGui import QImage, QPainter, QPaintEvent, QResizeEvent

from actdesk.ui.charts.plot import Plot
from actdesk.ui.charts.worker import render_runner
from actdesk.ui.tasks import TaskHandle, TaskRunner, TaskState

log = logging.getLogger(__name__)

RESIZE_DEBOUNCE_MS = 120  # a window being dragged larger renders once it stops, not at every step
# One Agg drawing or plotting at a time: FreeType's font objects are not thread-safe, and plotting changes
# matplotlib's global rcParams (``rc_context``) while it runs.
DRAW_LOCK = threading.RLock()
Layout = Callable[[Figure], None]


@dataclass(frozen=True)
class Recipe:
    """How to build a chart: ``draw(plot, *args)`` in the style ``rc`` (read on the GUI thread)."""

    draw: Callable[..., None]
    args: tuple[Any, ...]
    rc: dict[str, Any]


@dataclass(frozen=True)
class Rendered:
    figure: Figure
    pixels: bytes  # RGBA, row by row
    width: int
    height: int
    plot: Plot | None = None  # the figure was built by the task too (``build``)
    recipe: Recipe | None = None


def _draw(figure: Figure) -> tuple[bytes, int, int]:
    width, height = (int(v) for v in figure.bbox.size)  # as FigureCanvasAgg sizes its renderer
    renderer = RendererAgg(width, height, figure.dpi)
    figure.draw(renderer)
    return bytes(renderer.buffer_rgba()), width, height


def render(state: TaskState, figure: Figure, layout: Layout | None = None) -> Rendered:
    """Draw ``figure`` with Agg into a pixel buffer (on the compute worker; the canvas leaves it alone)."""
    state.check()
    with DRAW_LOCK:
        if layout is not None:
            layout(figure)
        pixels, width, height = _draw(figure)
    return Rendered(figure, pixels, width, height)


def build(
    state: TaskState | None, recipe: Recipe, size: tuple[float, float], dpi: float, original_dpi: float
) -> Rendered:
    """Plot ``recipe`` into a new figure of ``size`` inches, lay it out and render it (on the compute worker;
    ``state`` None: inline). An empty chart comes back without pixels and with ``plot.empty`` set."""
    if state is not None:
        state.check()
    with DRAW_LOCK, matplotlib.rc_context(cast(Any, recipe.rc)):  # stubs want literal rcParams keys
        figure = Figure(figsize=size, dpi=dpi)
        figure._original_dpi = original_dpi  # type: ignore[attr-defined]  # the canvas's HiDPI scaling
        plot = Plot(figure, str(recipe.rc["figure.facecolor"]))
        recipe.draw(plot, *recipe.args)
        if plot.empty is not None:
            return Rendered(figure, b"", 0, 0, plot, recipe)
        pixels, width, height = _draw(figure)
    return Rendered(figure, pixels, width, height, plot, recipe)


class RenderedCanvas(FigureCanvasQTAgg):
    """Paints the image of its figure, rendered on the compute worker when the figure changed."""

    def __init__(self, figure: Figure) -> None:
        super().__init__(figure)
        self.figure_changed = False
        self.image: QImage | None = None
        self._pixels = b""  # the image's memory
        self._task: TaskHandle | None = None
        self._with_worker: Figure | Recipe | None = None  # what the worker has
        self._resize_pending = False
        self._debounce = QTimer(self)
        self._debounce.setSingleShot(True)
        self._debounce.setInterval(RESIZE_DEBOUNCE_MS)
        self._debounce.timeout.connect(self.update)
        self.layout: Layout | None = None  # the figure's margins, applied wherever it is drawn
        self.recipe: Recipe | None = None  # a chart to build on the worker at the next paint
        self._latest: Recipe | None = None  # the newest recipe asked for: older builds are dropped
        self.adopt: Callable[[Plot], None] | None = None  # takes a built figure over (``ChartCanvas``)

    @property
    def busy(self) -> bool:
        """The figure shown is being drawn on the worker: the GUI thread must not touch it."""
        return self._with_worker is not None and self._with_worker is self.figure

    @property
    def rendering(self) -> bool:
        return self._with_worker is not None

    @property
    def pending(self) -> bool:
        """A chart asked for with ``request_plot`` is not on screen yet."""
        return self._latest is not None

    def request_draw(self) -> None:
        self.figure_changed = True
        self.update()

    def request_plot(self, recipe: Recipe) -> None:
        """Build ``recipe`` on the worker when Qt next paints this canvas (only charts on screen are)."""
        self.recipe = recipe
        self._latest = recipe
        self.update()

    def drop_plot(self) -> None:
        """The chart is drawn another way now (``plotting()``, an empty state): no build is adopted."""
        self.recipe = None
        self._latest = None

    def draw_idle(self) -> None:  # matplotlib's own requests (a resize, say) wait for the paint too
        self.request_draw()

    def draw(self) -> None:  # on the GUI thread: tests, export, no task runner
        if self.layout is not None:
            self.layout(self.figure)
        super().draw()

    def wait(self) -> None:
        """Block until the figure is back from the worker, or build a chart not yet started here (export
        and test helpers, never on the way)."""
        task = self._task
        if task is not None and task.future is not None:
            try:
                self._rendered(task.future.result(timeout=30))
            except Exception:  # its failure is reported by the task
                log.debug("chart render failed", exc_info=True)
        self._with_worker = None
        self._task = None
        recipe = self.recipe or self._latest  # not started yet, or lost with a runner shut down
        if recipe is not None:
            self.recipe = None
            self._rendered(build(None, recipe, *self._build_size()))

    def _build_size(self) -> tuple[tuple[float, float], float, float]:
        figure = self.figure
        width, height = figure.get_size_inches()
        return (float(width), float(height)), float(figure.dpi), float(figure._original_dpi)  # type: ignore[attr-defined]

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
        if self.recipe is not None and sized and not self.rendering:
            self._start_build(runner, self.recipe)
        elif self.figure_changed and sized and not self.rendering and not self._debounce.isActive():
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
                render,
                figure,
                self.layout,
                on_done=self._rendered,
                on_error=self._failed,
                pool="compute",
                owner=self,
            )
        except RuntimeError:  # the runner was shut down (the window is closing): draw here
            self._with_worker = None
            self.draw()
            self.image = self._grab_renderer()

    def _start_build(self, runner: TaskRunner, recipe: Recipe) -> None:
        self.recipe = None
        self._with_worker = recipe
        try:
            self._task = runner.run_task(
                build,
                recipe,
                *self._build_size(),
                on_done=self._rendered,
                on_error=self._failed,
                pool="compute",
                owner=self,
            )
        except RuntimeError:  # the runner was shut down (the window is closing): nothing more to show
            self._with_worker = None

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
        if result.figure is self._with_worker or (
            result.recipe is not None and result.recipe is self._with_worker
        ):
            self._with_worker = None
            self._task = None
        if result.plot is not None:
            self._built(result)
        elif result.figure is self.figure:
            self._pixels = result.pixels
            self.image = self._image_of(result.pixels, result.width, result.height)
        if self._resize_pending:
            self._resize_pending = False
            self.resizeEvent(QResizeEvent(self.size(), self.size()))
        self.update()

    def _built(self, result: Rendered) -> None:
        """A chart built on the worker: the newest one asked for is adopted with its image."""
        if result.recipe is None or result.recipe is not self._latest or result.plot is None:
            self.update()  # an older build: the newer recipe starts at the next paint
            return
        self._latest = None
        if self.adopt is not None:
            self.adopt(result.plot)
        if result.plot.empty is None:
            self.figure_changed = False
            self._pixels = result.pixels
            self.image = self._image_of(result.pixels, result.width, result.height)
            ratio = self.device_pixel_ratio
            if (result.width, result.height) != (int(self.width() * ratio), int(self.height() * ratio)):
                self.resizeEvent(QResizeEvent(self.size(), self.size()))  # resized meanwhile: again
        self.update()

    def _failed(self, error: BaseException) -> None:
        self._with_worker = None
        self._task = None
        if self.recipe is None:
            self._latest = None
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
