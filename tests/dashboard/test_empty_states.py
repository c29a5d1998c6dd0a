"""Designed empty states: an empty book, and a young book whose charts lack data, never show an empty axis."""

from __future__ import annotations

from datetime import date

from tests import factories as f
from tests.dashboard.conftest import make_ctx


def _panel(qtbot, book, child):
    from actdesk.ui.dashboard.book_panel import BookDashboardPanel

    panel = BookDashboardPanel(make_ctx(book, child=child))
    qtbot.addWidget(panel)
    panel.resize(1280, 800)
    panel.show()
    panel.activate()
    return panel


def test_empty_book_invites_an_import_or_the_demo(qtbot, book, warm_child) -> None:
    panel = _panel(qtbot, book, warm_child)
    qtbot.waitUntil(lambda: panel.book_stack.currentWidget() is panel.empty, timeout=5000)
    assert "No households yet" in panel.empty.title_label.text()
    with qtbot.waitSignal(panel.sig_demo_requested):
        panel.empty.buttons["demo"].click()
    # the other tabs explain themselves too
    panel.tabs.setCurrentWidget(panel.snapshot)
    qtbot.waitUntil(lambda: panel.snapshot.data is not None, timeout=5000)
    assert "No new alerts" in panel.snapshot.lists["alerts"].text()
    panel.tabs.setCurrentWidget(panel.coaching)
    qtbot.waitUntil(lambda: panel.coaching.data is not None, timeout=5000)
    assert all(card.chart.is_empty for card in panel.coaching.cards.values())
    assert "Nothing recorded yet" in panel.coaching.cards["calls"].chart.empty.title_label.text()
    panel.tabs.setCurrentWidget(panel.client)
    assert panel.client.currentWidget() is panel.client.placeholder


def test_young_book_shows_what_would_fill_each_chart(qtbot, book, warm_child) -> None:
    with book.session() as s:
        h = f.household(s, "Smith household", since=date(2026, 9, 1))
        f.contact(s, h, "Ann", "Smith")
        a = f.account(s, h)
        f.balance(s, a, date(2026, 10, 31), "500000")
    panel = _panel(qtbot, book, warm_child)
    qtbot.waitUntil(lambda: panel.book_view.data is not None and not panel.book_view.drawing, timeout=15000)
    charts = panel.book_view.charts
    assert not charts["aum"].is_empty
    assert charts["revenue"].is_empty and "fees" in charts["revenue"].empty.text_label.text().lower()
    assert charts["retention"].is_empty
    assert charts["wallet"].is_empty and "net worth" in charts["wallet"].empty.text_label.text()
    assert charts["segments"].is_empty
    assert charts["alerts"].is_empty
    assert panel.book_view.what_if.curve.is_empty
    assert panel.book_view.tiles["retention"].value.text() == "—"
