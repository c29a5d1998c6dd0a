"""The Book dashboard starts without holding the window (issue 21, fifth wave): its charts are plotted, laid
out and rendered on the compute worker (only those painted), stay interactive, and its other tabs are built
after the first one, as are the book tab's chart cards, one per turn of the event loop, or at once when asked
for."""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from pytestqt.qtbot import QtBot
from tests.dashboard.conftest import make_ctx

from actdesk.settings import load_settings
from actdesk.ui.charts.worker import render_with
from actdesk.ui.context import AppContext
from actdesk.ui.dashboard import book_charts
from actdesk.ui.tasks import TaskRunner

CHARTS = ("aum", "revenue", "retention", "wallet", "segments", "households", "alerts")


@pytest.fixture
def threaded_ctx(shared_book, warm_child) -> Iterator[AppContext]:
    ctx = make_ctx(shared_book)
    ctx.tasks.shutdown()
    ctx = AppContext(
        book=shared_book, settings=load_settings(), tasks=TaskRunner(), now=ctx.now, child=warm_child
    )
    render_with(ctx.tasks)  # as the window does: real worker threads
    yield ctx
    render_with(None)
    ctx.tasks.shutdown()


@pytest.fixture
def plotted_on(monkeypatch: pytest.MonkeyPatch) -> dict[str, list[str]]:
    """The real drawing functions, noting the thread each chart is plotted on."""
    seen: dict[str, list[str]] = {}
    for key in CHARTS:
        real = getattr(book_charts, f"draw_{key}")

        def spy(target: Any, data: Any, _real: Callable[..., None] = real, _key: str = key) -> None:
            seen.setdefault(_key, []).append(threading.current_thread().name)
            _real(target, data)

        monkeypatch.setattr(book_charts, f"draw_{key}", spy)
    return seen


def test_charts_are_plotted_on_the_worker_only_when_shown_and_stay_interactive(
    qtbot: QtBot, threaded_ctx: AppContext, plotted_on: dict[str, list[str]]
) -> None:
    from actdesk.ui.dashboard.book_panel import BookDashboardPanel

    panel = BookDashboardPanel(threaded_ctx)
    qtbot.addWidget(panel)
    panel.resize(1280, 800)
    panel.show()
    panel.activate()
    view = panel.book_view
    qtbot.waitUntil(lambda: view.data is not None and not view.drawing, timeout=30_000)
    charts = view.charts
    qtbot.waitUntil(lambda: not charts["aum"].pending, timeout=30_000)  # on screen: built
    assert any(charts[key].pending for key in CHARTS)  # below the fold: not built until scrolled to
    for key in CHARTS:
        view.ensureWidgetVisible(charts[key])
        qtbot.waitUntil(lambda k=key: not charts[k].pending, timeout=30_000)
    gui = threading.current_thread().name
    assert set(plotted_on) == set(CHARTS)
    assert all(name != gui and name.startswith("actdesk-compute") for n in plotted_on.values() for name in n)
    assert not any(charts[key].is_empty for key in ("aum", "revenue", "segments", "households"))
    # the adopted figures answer the mouse as before: a segment bar lists its households
    segments = charts["segments"]
    with qtbot.waitSignal(segments.sig_clicked) as clicked:
        segments.press_at(segments.segment_axes, 0 + 0.2, 1)  # type: ignore[attr-defined]
    assert clicked.args == [("segment", "A")]
    households = charts["households"]
    ax, ids, aum, revenue = households.household_points  # type: ignore[attr-defined]
    top = max(range(len(ids)), key=lambda i: revenue[i])
    households.move_to(ax, aum[top], revenue[top])
    assert view.data is not None and view.data.names[ids[top]] in households.hover_text
    # the what-if curve is built on the worker too
    curve = view.what_if.curve
    view.ensureWidgetVisible(curve)
    qtbot.waitUntil(lambda: not curve.pending and curve.canvas.image is not None, timeout=30_000)


def test_the_other_tabs_are_built_when_first_shown_or_asked_for(
    qtbot: QtBot, shared_book, warm_child
) -> None:
    from actdesk.ui.dashboard.book_panel import BookDashboardPanel

    ctx = make_ctx(shared_book, child=warm_child)
    panel = BookDashboardPanel(ctx)
    qtbot.addWidget(panel)
    titles = ["Book of business", "Client", "Coaching", "Today"]
    assert [panel.tabs.tabText(i) for i in range(panel.tabs.count())] == titles  # every tab in the bar
    view = panel.book_view
    assert view.charts == {}  # and its tiles, without the cards
    assert view.chart("retention") is view.charts["retention"]  # asked for: built now, with those before it
    assert list(view.charts) == ["aum", "revenue", "retention"]
    qtbot.wait(200)  # many turns of the event loop: the tabs nobody opened stay unbuilt
    assert (panel._client, panel._coaching, panel._snapshot) == (None, None, None)
    panel.tabs.setCurrentIndex(2)  # the advisor opens Coaching: built now, in its place, and shown
    assert panel._coaching is not None and panel.tabs.widget(2) is panel._coaching
    assert panel.tabs.currentIndex() == 2 and panel._client is None
    assert panel.snapshot is panel.tabs.widget(3)  # asked for by code: built in its place
    assert panel.tabs.currentIndex() == 2  # without moving the advisor off Coaching
    assert [panel.tabs.tabText(i) for i in range(panel.tabs.count())] == titles
    qtbot.waitUntil(lambda: len(view.charts) == 7 and view._what_if is not None, timeout=5_000)
    ctx.tasks.shutdown()


def test_opening_a_client_before_its_tab_is_built_shows_it(qtbot: QtBot, shared_book, warm_child) -> None:
    from actdesk.ui.dashboard.book_panel import BookDashboardPanel

    ctx = make_ctx(shared_book, child=warm_child)
    panel = BookDashboardPanel(ctx)
    qtbot.addWidget(panel)
    panel.open_client(1)
    assert panel.tabs.currentWidget() is panel.client and panel.client.household_id == 1
    ctx.tasks.shutdown()
