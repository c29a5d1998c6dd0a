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


def test_background_work_starts_only_after_the_first_numbers(qtbot, book, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setattr("actdesk.ui.main_window.FIRST_DATA_TIMEOUT_MS", 120_000)  # no fallback: the numbers
    build_alert_book(book)
    configure_qsettings()
    window, ctx = build_window(book, load_settings(), tasks=TaskRunner(inline=True), welcome=False)
    ctx.now = lambda: NOW
    qtbot.addWidget(window)
    seen: dict[str, object] = {}

    def at_first_numbers() -> None:
        view = window.panels["book"].book_view
        seen["tiles"] = view.tiles["aum"].value.text() != "" and view.tiles["clients"].value.text() != ""
        # the SQL first tiles: shown before the frames (and pandas' work) behind the charts are loaded
        seen["full data"] = view.data is not None
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
    qtbot.waitUntil(lambda: window.background.warmed and "alerts" in window.panels, timeout=20_000)
    qtbot.waitUntil(lambda: window.privacy_lock is not None and window.reply_drop is not None, timeout=20_000)
    view = window.panels["book"].book_view
    qtbot.waitUntil(lambda: view.data is not None, timeout=20_000)
    assert view.tiles["clients"].value.text() == format_number(view.data.kpis["clients"])
    window.close()
    ctx.tasks.shutdown()
