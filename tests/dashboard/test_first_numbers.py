"""The first numbers come first (issue 21): the Book dashboard's tiles are on screen before its charts are
plotted and before anything runs behind the window (alert watcher, mail timer, privacy lock, drop target)."""

from __future__ import annotations

from tests.alerts.books import build as build_alert_book
from tests.dashboard.conftest import NOW

from actdesk.app import build_window, configure_qsettings
from actdesk.i18n import format_number
from actdesk.settings import load_settings
from actdesk.ui.tasks import TaskRunner


def test_tiles_are_set_before_the_charts_and_an_older_drawing_is_abandoned(panel, qtbot) -> None:  # type: ignore[no-untyped-def]
    view = panel.book_view
    data = view.data
    for key in view.charts:  # start from blank charts, as a fresh window has
        view.charts[key].figure.clear()
    finished: list[str] = []
    view.set_data_stepwise(data, lambda: finished.append("first"))
    view.set_data_stepwise(data, lambda: finished.append("second"))  # a reload before the charts are done
    assert view.drawing
    assert view.tiles["clients"].value.text() == format_number(data.kpis["clients"])  # the numbers: now
    assert not view.charts["aum"].figure.axes  # the charts: one per turn of the event loop, later
    qtbot.waitUntil(lambda: not view.drawing, timeout=10_000)
    assert finished == ["second"]
    assert view.charts["aum"].figure.axes and not view.charts["aum"].is_empty


def test_background_work_starts_only_after_the_first_numbers(qtbot, book, monkeypatch, warm_child) -> None:  # type: ignore[no-untyped-def]
    # no fallback: the numbers
    monkeypatch.setattr("actdesk.ui.first_panel_start.FIRST_DATA_TIMEOUT_MS", 120_000)
    build_alert_book(book)
    configure_qsettings()
    window, ctx = build_window(
        book, load_settings(), tasks=TaskRunner(inline=True), welcome=False, child=warm_child
    )
    ctx.now = lambda: NOW
    qtbot.addWidget(window)
    seen: dict[str, object] = {}

    def at_first_numbers() -> None:
        # the tiles on screen: the window's first-tiles page, or the dashboard if it was built first
        page = window.first_tiles or window.panels["book"].book_view
        seen["tiles"] = page.tiles["aum"].value.text() != "" and page.tiles["clients"].value.text() != ""
        seen["full data"] = "book" in window.panels and window.panels["book"].book_view.data is not None
        seen["alerts panel"] = "alerts" in window.panels
        seen["privacy lock"] = window.privacy_lock
        seen["drop target"] = window.reply_drop

    window.sig_first_data_shown.connect(at_first_numbers)
    window.resize(1280, 800)
    window.show()
    qtbot.waitUntil(lambda: bool(seen), timeout=20_000)
    assert seen == {
        "tiles": True,
        "full data": False,
        "alerts panel": False,
        "privacy lock": None,
        "drop target": None,
    }
    qtbot.waitUntil(lambda: window.background.warmed and ctx.alerts is not None, timeout=20_000)
    assert "alerts" not in window.panels  # the watcher runs; its panel waits until the advisor opens it
    qtbot.waitUntil(lambda: window.privacy_lock is not None and window.reply_drop is not None, timeout=20_000)
    qtbot.waitUntil(lambda: "book" in window.panels, timeout=20_000)
    view = window.panels["book"].book_view
    qtbot.waitUntil(lambda: view.data is not None, timeout=20_000)
    assert view.tiles["clients"].value.text() == format_number(view.data.kpis["clients"])
    assert window.first_tiles is None and window.stack.currentWidget() is window.panels["book"]  # handed over
    window.close()
    ctx.tasks.shutdown()


def test_the_first_tiles_page_shows_the_sql_numbers_and_the_dashboard_takes_them_over(
    qtbot, demo_book, warm_child
) -> None:  # type: ignore[no-untyped-def]
    from actdesk.domain.analytics.config import AnalyticsConfig
    from actdesk.services.dashboard.first import first_numbers
    from actdesk.ui.dashboard.book_panel import BookDashboardPanel
    from actdesk.ui.dashboard.first_page import FirstTilesPage, TakesFirstNumbers, book_as_of

    from .conftest import make_ctx

    ctx = make_ctx(demo_book, child=warm_child)
    page = FirstTilesPage(ctx)
    qtbot.addWidget(page)
    with qtbot.waitSignal(page.sig_data_shown, timeout=10_000):
        page.start()
    expected = first_numbers(demo_book, book_as_of(ctx), ctx.settings.section(AnalyticsConfig))
    assert page.first == expected
    assert page.tiles["clients"].value.text() == format_number(expected.kpis["clients"])

    panel = BookDashboardPanel(ctx)
    qtbot.addWidget(panel)
    assert isinstance(panel, TakesFirstNumbers)
    panel.show_first(expected)
    panel.load_book()  # as activate() does: the tiles stay on screen, no "loading" page in between
    assert panel.book_stack.currentWidget() is panel.book_view
    assert panel.book_view.tiles["aum"].value.text() == page.tiles["aum"].value.text()


def test_the_first_tiles_page_imports_no_pandas_or_matplotlib() -> None:
    import subprocess
    import sys

    code = (
        "import sys\n"
        "import actdesk.ui.dashboard.first_page\n"
        "print(sorted(m for m in ('pandas', 'numpy', 'matplotlib') if m in sys.modules))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[]"


def test_work_behind_the_window_waits_for_the_book_dashboards_cards_and_charts(
    qtbot, book, monkeypatch, warm_child
) -> None:  # type: ignore[no-untyped-def]
    """Issue 21: the keyring probe, the services' and the drop target's imports and the services' start hold
    the interpreter lock; run beside the GUI thread building the Book dashboard's cards (or drawing its
    charts), they stalled the window. Each must start only once the cards are built and while no chart is
    being drawn; and all of them must still start."""
    from actdesk.ui import first_panel_gate
    from actdesk.ui.main_window import MainWindow
    from actdesk.ui.shell import background
    from actdesk.ui.shell.background import Background

    # no fallbacks in this test
    monkeypatch.setattr("actdesk.ui.first_panel_start.FIRST_DATA_TIMEOUT_MS", 120_000)
    monkeypatch.setattr(first_panel_gate, "TIMEOUT_MS", 120_000)
    monkeypatch.setattr(first_panel_gate, "QUIET_WAIT_S", 120.0)
    started: list[tuple[str, bool, bool]] = []  # (what, the cards were all built, a chart was being drawn)
    window_ref: list[MainWindow] = []

    def noting(name: str, original):  # type: ignore[no-untyped-def]
        def wrapper(*args, **kwargs):  # type: ignore[no-untyped-def]
            panel = window_ref[0].panels.get("book") if window_ref else None
            view = getattr(panel, "book_view", None)
            built = view is not None and view.cards_built
            started.append(
                (name if name != "import" else f"import {args[0]}", built, bool(view and view.busy))
            )
            return original(*args, **kwargs)

        return wrapper

    monkeypatch.setattr(background, "_find_keyring", noting("keyring", background._find_keyring))
    monkeypatch.setattr(Background, "_start_service", noting("service", Background._start_service))
    monkeypatch.setattr(Background, "_start_the_rest", noting("the rest", Background._start_the_rest))
    monkeypatch.setattr(MainWindow, "_install_reply_drop", noting("drop", MainWindow._install_reply_drop))
    monkeypatch.setattr(first_panel_gate, "_import", noting("import", first_panel_gate._import))
    build_alert_book(book)
    configure_qsettings()
    window, ctx = build_window(
        book, load_settings(), tasks=TaskRunner(inline=True), welcome=False, child=warm_child
    )
    window_ref.append(window)
    ctx.now = lambda: NOW
    qtbot.addWidget(window)
    window.resize(1280, 800)
    window.show()
    qtbot.waitUntil(lambda: window.background.warmed and window.reply_drop is not None, timeout=30_000)
    qtbot.waitUntil(lambda: window.privacy_lock is not None, timeout=10_000)
    names = [name for name, _built, _busy in started]
    assert {"keyring", "service", "the rest", "drop", "import jinja2"} <= set(names), names
    assert [s for s in started if not s[1]] == []  # nothing before the last card
    assert [s for s in started if s[2]] == []  # nothing while a chart was drawn or rendered
    view = window.panels["book"].book_view
    assert view.data is not None and view.cards_built  # the dashboard itself was not held back
    window.close()
    ctx.tasks.shutdown()
