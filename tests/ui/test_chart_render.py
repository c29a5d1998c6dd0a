"""Charts are rendered off the GUI thread (issue 21: the paint event drew every figure, 0.5-0.7 s of stalls
at start) and stay interactive; while the worker has a figure the GUI thread leaves it alone."""

from __future__ import annotations

import threading
from collections.abc import Iterator

import pytest
from pytestqt.qtbot import QtBot

from actdesk.ui.charts.canvas import ChartCanvas
from actdesk.ui.charts.render import DRAW_LOCK
from actdesk.ui.charts.worker import render_with
from actdesk.ui.tasks import TaskRunner


@pytest.fixture
def runner() -> Iterator[TaskRunner]:
    tasks = TaskRunner()  # real threads: the point is where the drawing happens
    render_with(tasks)
    yield tasks
    render_with(None)
    tasks.shutdown()


def _bars(chart: ChartCanvas, heights: list[float]) -> object:
    with chart.plotting() as fig:
        ax = fig.add_subplot()
        bars = ax.bar(range(len(heights)), heights, color="#d62728")
        for i, bar in enumerate(bars):
            chart.hover(bar, f"bar {i}")
            chart.clickable(bar, ("bar", i))
    return ax


def _shown(qtbot: QtBot) -> ChartCanvas:
    chart = ChartCanvas("test-chart", height=200)
    qtbot.addWidget(chart)
    chart.resize(400, 200)
    chart.show()
    qtbot.waitExposed(chart)
    return chart


def _red_pixels(chart: ChartCanvas) -> int:
    image = chart.canvas.image
    assert image is not None
    return sum(
        1
        for x in range(0, image.width(), 4)
        for y in range(0, image.height(), 4)
        if image.pixelColor(x, y).name() == "#d62728"
    )


def test_a_chart_is_drawn_on_the_worker_and_painted_from_its_image(qtbot: QtBot, runner: TaskRunner) -> None:
    chart = _shown(qtbot)
    drawn_on: list[str] = []
    chart.canvas.mpl_connect("draw_event", lambda _e: drawn_on.append(threading.current_thread().name))
    ax = _bars(chart, [1, 3, 2])
    qtbot.waitUntil(lambda: chart.canvas.image is not None and not chart.canvas.rendering, timeout=10_000)
    assert drawn_on and all(name.startswith("actdesk-compute") for name in drawn_on)
    assert _red_pixels(chart) > 20  # the bars are in the painted image
    with qtbot.waitSignal(chart.sig_clicked) as clicked:
        chart.press_at(ax, 1, 1.5)
    assert clicked.args == [("bar", 1)]
    chart.move_to(ax, 2, 1.0)
    assert chart.hover_text == "bar 2"


def test_the_gui_thread_leaves_a_figure_alone_while_the_worker_draws_it(
    qtbot: QtBot, runner: TaskRunner
) -> None:
    chart = _shown(qtbot)
    with DRAW_LOCK:  # the worker waits here with the figure in hand
        _bars(chart, [1, 3, 2])
        qtbot.waitUntil(lambda: chart.canvas.busy, timeout=10_000)
        on_worker = chart.figure
        size = tuple(on_worker.get_size_inches())
        chart.resize(600, 240)
        qtbot.wait(20)
        assert tuple(on_worker.get_size_inches()) == size  # the resize waits for the figure to come back
        ax = _bars(chart, [2, 2, 2, 2])  # new drawing goes into a fresh figure
        assert chart.figure is not on_worker and len(on_worker.axes[0].patches) == 3
    qtbot.waitUntil(lambda: not chart.canvas.rendering and not chart.canvas.figure_changed, timeout=10_000)
    qtbot.waitUntil(
        lambda: chart.canvas.image is not None and chart.canvas.image.width() == 600, timeout=10_000
    )
    assert chart.figure.get_size_inches()[0] * chart.figure.dpi == pytest.approx(600)
    assert len(ax.patches) == 4
    chart.move_to(ax, 3, 1.0)
    assert chart.hover_text == "bar 3"


def test_without_a_runner_the_chart_is_drawn_when_painted(qtbot: QtBot) -> None:
    chart = _shown(qtbot)
    ax = _bars(chart, [1, 2])
    qtbot.waitUntil(lambda: not chart.canvas.figure_changed, timeout=5_000)
    assert chart.canvas.image is None  # drawn by matplotlib's own Qt canvas
    chart.move_to(ax, 0, 0.5)
    assert chart.hover_text == "bar 0"


# -- built on the worker (issue 21, fifth wave): plotting and layout leave the GUI thread too ---------------


def _spied_bars(threads: list[str]):
    """A drawing function as the dashboard's are: it notes the thread it runs on."""

    def draw(target, heights: list[float]) -> None:
        threads.append(threading.current_thread().name)
        if not heights:
            target.set_empty("Nothing yet", "Bars appear once there are numbers.")
            return
        with target.plotting() as fig:
            ax = fig.add_subplot()
            bars = ax.bar(range(len(heights)), heights, color="#d62728")
            ax.set_ylabel("Households")
            for i, bar in enumerate(bars):
                target.hover(bar, f"bar {i} of {len(heights)}")
                target.clickable(bar, ("bar", i))
            target.keep("bars_axes", ax)

    return draw


def test_draw_later_builds_lays_out_and_renders_on_the_worker(qtbot: QtBot, runner: TaskRunner) -> None:
    chart = _shown(qtbot)
    gui = threading.current_thread().name
    threads: list[str] = []
    laid_out: list[str] = []
    layout = chart.canvas.layout
    assert layout is not None

    def spy_layout(figure: object) -> None:
        laid_out.append(threading.current_thread().name)
        layout(figure)  # type: ignore[arg-type]

    chart.draw_later(_spied_bars(threads), [1, 3, 2])
    assert chart.pending and threads == []  # nothing plotted on the GUI thread
    qtbot.waitUntil(lambda: not chart.pending, timeout=10_000)
    assert threads and all(name.startswith("actdesk-compute") for name in threads)
    assert _red_pixels(chart) > 20  # the worker's image is what is painted
    ax = chart.bars_axes  # type: ignore[attr-defined]
    assert ax.figure is chart.figure is chart.canvas.figure  # the built figure was adopted
    assert chart.figure.subplotpars.left * chart.figure.bbox.width >= 48  # laid out with its margins
    # interactive as before: the hover texts and click payloads came back with the figure
    with qtbot.waitSignal(chart.sig_clicked) as clicked:
        chart.press_at(ax, 1, 1.5)
    assert clicked.args == [("bar", 1)]
    chart.move_to(ax, 2, 1.0)
    assert chart.hover_text == "bar 2 of 3"
    # a resize renders again on the worker, margins included (they read the tick labels)
    chart.canvas.layout = spy_layout
    chart.resize(520, 220)
    qtbot.waitUntil(
        lambda: chart.canvas.image is not None and chart.canvas.image.width() == 520, timeout=10_000
    )
    assert laid_out and gui not in laid_out


def test_only_the_newest_drawing_is_adopted_and_an_empty_one_shows_its_sentence(
    qtbot: QtBot, runner: TaskRunner
) -> None:
    chart = _shown(qtbot)
    threads: list[str] = []
    draw = _spied_bars(threads)
    with DRAW_LOCK:  # the worker waits with the first drawing; two newer ones are asked for meanwhile
        chart.draw_later(draw, [1, 1])
        qtbot.waitUntil(lambda: chart.canvas.rendering, timeout=10_000)
        chart.draw_later(draw, [5, 4, 3, 2])
        chart.draw_later(draw, [2, 2, 2])
    qtbot.waitUntil(lambda: not chart.pending, timeout=10_000)
    assert len(chart.bars_axes.patches) == 3  # type: ignore[attr-defined]
    assert len(threads) == 2  # the middle one was never built
    chart.move_to(chart.bars_axes, 0, 1.0)  # type: ignore[attr-defined]
    assert chart.hover_text == "bar 0 of 3"
    chart.draw_later(draw, [])
    qtbot.waitUntil(lambda: not chart.pending, timeout=10_000)
    assert chart.is_empty and chart.empty.title_label.text() == "Nothing yet"
    chart.draw_later(draw, [4])
    qtbot.waitUntil(lambda: not chart.pending and not chart.is_empty, timeout=10_000)
    assert all(name.startswith("actdesk-compute") for name in threads)


def test_without_a_runner_draw_later_draws_at_once(qtbot: QtBot) -> None:
    chart = _shown(qtbot)
    threads: list[str] = []
    chart.draw_later(_spied_bars(threads), [1, 2])
    assert threads == [threading.current_thread().name] and not chart.pending
    chart.move_to(chart.bars_axes, 1, 1.0)  # type: ignore[attr-defined]
    assert chart.hover_text == "bar 1 of 2"
