"""Every report chart explains itself: a legend for several series, value axes named with their unit, sorted
"top" bars, one precision per axis, and a donut centre that fits its hole, in both languages."""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
from matplotlib.backends.backend_agg import FigureCanvasAgg

from actdesk import i18n
from actdesk.services.reports.base import ReportContext
from actdesk.services.reports.catalogue import REPORTS
from actdesk.services.reports.charts import figure_for
from actdesk.services.reports.model import ChartSpec
from actdesk.storage.engine import Book

from .conftest import AS_OF


@pytest.fixture(params=["en", "es"])
def language(request: pytest.FixtureRequest) -> Iterator[str]:
    i18n.set_language(request.param)
    yield request.param
    i18n.set_language("en")


def _charts(book: Book) -> list[tuple[str, ChartSpec]]:
    found = []
    for spec in REPORTS:
        report = spec.build(ReportContext(book, AS_OF))
        for section in report.sections:
            if section.chart is not None and not section.is_empty and section.chart.series:
                found.append((f"{spec.key}/{section.key}", section.chart))
    return found


def _decimals(label: str) -> int:
    match = re.search(r"\d[.,](\d+)\D*$", label.replace("\xa0", " "))
    return len(match.group(1)) if match and not re.search(r"\d[.,]\d{3}\b", label) else 0


def test_every_chart_explains_itself(demo_book: Book, language: str) -> None:
    charts = _charts(demo_book)
    assert len(charts) >= 12
    for where, chart in charts:
        fig = figure_for(chart, 7.5)
        FigureCanvasAgg(fig).draw()
        ax = fig.axes[0]
        if len(chart.series) > 1 and chart.kind != "donut":
            legend = ax.get_legend()
            assert legend is not None, f"{where}: several series and no legend"
            assert [t.get_text() for t in legend.get_texts()] == [s.name for s in chart.series]
        if chart.kind == "donut":
            continue
        assert chart.y_label, f"{where}: the value axis has no name"
        value_axis = ax.xaxis if chart.kind == "barh" else ax.yaxis
        assert value_axis.get_label().get_text() == chart.y_label
        if chart.unit == "money":
            assert i18n.current_currency() in chart.y_label
        ticks = [t.get_text() for t in value_axis.get_ticklabels() if re.search(r"[1-9]", t.get_text())]
        assert len({_decimals(t) for t in ticks}) == 1, f"{where}: mixed precision {ticks}"
        if "top" in chart.title.lower() or "más" in chart.title.lower():
            totals = [sum(v) for v in zip(*(s.values for s in chart.series), strict=True)]
            assert totals == sorted(totals, reverse=True), f"{where}: a 'top' chart is not sorted"


def test_the_donut_centre_fits_inside_its_ring(demo_book: Book, language: str) -> None:
    donuts = [(w, c) for w, c in _charts(demo_book) if c.kind == "donut"]
    assert donuts
    for where, chart in donuts:
        fig = figure_for(chart, 7.5)
        canvas = FigureCanvasAgg(fig)
        canvas.draw()
        ax = fig.axes[0]
        (centre,) = [t for t in ax.texts if t.get_position() == (0, 0)]
        text_box = centre.get_window_extent(canvas.get_renderer())
        (x0, _y0), (x1, _y1) = ax.transData.transform([(-0.62, 0), (0.62, 0)])
        assert text_box.width < (x1 - x0), f"{where}: {centre.get_text()!r} overflows the hole"
