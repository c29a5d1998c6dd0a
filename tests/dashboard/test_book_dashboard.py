"""The book dashboard on a 60-household demo book: the analytics' numbers, drill-downs, what-if, export."""

from __future__ import annotations

from dataclasses import replace
from decimal import Decimal
from pathlib import Path

from tests.dashboard.conftest import AS_OF

from actdesk.domain.analytics.config import AnalyticsConfig
from actdesk.domain.analytics.valuation import npv
from actdesk.i18n import format_money, format_money_compact, format_number, format_percent
from actdesk.services import analytics


def test_tiles_show_the_analytics_engines_numbers(panel, shared_book) -> None:
    kpis = analytics.kpis_for(shared_book, AS_OF, AnalyticsConfig())
    tiles = panel.book_view.tiles
    # compact on the tile, the exact amount in its tooltip (one money rule, actdesk.formats)
    assert tiles["aum"].value.text() == format_money_compact(kpis["aum"]["total"])
    assert format_money(kpis["aum"]["total"]) in tiles["aum"].toolTip()
    assert tiles["clients"].value.text() == format_number(kpis["clients"])
    assert tiles["retention"].value.text() == format_percent(kpis["retention"]["client_rate"])
    # issue 20: the asset figure beside it is assets kept from departures, with the net outflow rate
    note = tiles["retention"].note.text()
    assert f"assets kept from departures {format_percent(kpis['retention']['assets_kept_rate'])}" in note
    assert f"net outflow rate {format_percent(kpis['retention']['net_outflow_rate'])}" in note
    trend = analytics.retention_trend(shared_book, AS_OF, years=2)
    assert trend["assets_kept_rate"].iloc[-1] == kpis["retention"]["assets_kept_rate"]  # the chart's line
    assert tiles["revenue"].value.text() == format_money_compact(kpis["revenue"]["t12m"])
    assert format_money(kpis["revenue"]["t12m"]) in tiles["revenue"].toolTip()
    assert tiles["value"].value.text() == format_money_compact(kpis["book_value"]["npv"])
    assert format_money(kpis["book_value"]["npv"]) in tiles["value"].toolTip()
    assert kpis["clients"] > 20
    charts = panel.book_view.charts
    for key in ("aum", "revenue", "retention", "wallet", "segments", "households"):
        assert not charts[key].is_empty, key
    legend = [
        t.get_text()
        for ax in charts["wallet"].figure.axes
        if ax.get_legend()
        for t in ax.get_legend().get_texts()
    ]
    assert legend[0] == "Share of wallet (managed / net worth)"
    assert legend[1].startswith("Share of investable assets today (managed / managed + held away)")


def test_segment_bar_click_lists_that_segments_households(panel, qtbot) -> None:
    canvas = panel.book_view.charts["segments"]
    data = panel.book_view.data
    expected = data.segment_households("A")
    with qtbot.waitSignal(canvas.sig_clicked) as clicked:
        canvas.press_at(canvas.segment_axes, 0 + 0.2, 1)  # today's bar of segment A
    assert clicked.args == [("segment", "A")]
    dialog = panel.book_view.last_list
    assert dialog is not None and dialog.isVisible()
    ids = [dialog.model.rows[i][0] for i in range(dialog.model.rowCount())]
    assert ids == expected and len(ids) == data.kpis["segments"]["A"]["households"]
    assert {data.segments[h] for h in ids} == {"A"}
    # a year-ago bar is not a drill-down: it lists nothing new
    panel.book_view.last_list = None
    canvas.press_at(canvas.segment_axes, 0 - 0.2, 1)
    assert panel.book_view.last_list is None
    # choosing a household in the list opens its card
    with qtbot.waitSignal(panel.ctx.signals.open_household_requested) as opened:
        dialog.view.activated.emit(dialog.proxy.index(0, 0))
    assert opened.args == [ids[0]]


def test_household_point_opens_its_card_and_hover_shows_its_value(panel, qtbot) -> None:
    canvas = panel.book_view.charts["households"]
    ax, ids, aum, revenue = canvas.household_points
    top = max(range(len(ids)), key=lambda i: revenue[i])  # the largest client stands alone on the chart
    canvas.move_to(ax, aum[top], revenue[top])
    name = panel.book_view.data.names[ids[top]]
    assert name in canvas.hover_text
    assert format_money(aum[top], cents=False) in canvas.hover_text
    with qtbot.waitSignal(panel.ctx.signals.open_household_requested) as opened:
        canvas.press_at(ax, aum[top], revenue[top])
    assert opened.args == [ids[top]]


def test_what_if_sliders_recompute_through_the_valuation_function(panel) -> None:
    what_if = panel.book_view.what_if
    kpis = panel.book_view.data.kpis
    config = panel.book_view.data.config
    assert what_if.result.npv == kpis["book_value"]["npv"]  # at the book's own rates
    assert what_if.result.npv_change == Decimal("0.00")
    what_if.set_rates(0.90, 0.12)
    expected = npv(kpis["book_value"]["recurring_run_rate"], 0.90, replace(config, discount_rate=0.12))
    assert what_if.result.npv == expected
    assert format_money(expected, cents=False) in what_if.outcome.text()
    higher = what_if.result.npv
    what_if.set_rates(0.90, 0.20)  # a buyer asking for more return pays less
    assert what_if.result.npv < higher
    what_if.reset_sliders()
    assert what_if.result.npv == kpis["book_value"]["npv"]


def test_charts_export_to_png_and_svg(panel, tmp_path: Path) -> None:
    canvas = panel.book_view.charts["aum"]
    png = canvas.export(tmp_path / "aum.png")
    svg = canvas.export(tmp_path / "aum.svg")
    assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert b"<svg" in svg.read_bytes()[:400]
    assert canvas.export(tmp_path / "aum").suffix == ".png"


def test_data_changed_reloads_the_dashboard(panel, qtbot) -> None:
    first = panel.book_view.data
    with qtbot.waitSignal(panel.sig_book_loaded, timeout=5000):
        panel.ctx.signals.data_changed.emit("balances")
    assert panel.book_view.data is not first
