"""The preview of one report: headline tiles, then each section's chart, table and note.

matplotlib is imported here only when a chart is first drawn (through the shared ``ChartCanvas``), so the
window paints before it loads."""

from __future__ import annotations

from PySide6.QtCore import QSortFilterProxyModel, Qt
from PySide6.QtGui import QFont, QFontMetrics, QResizeEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QFrame,
    QGridLayout,
    QHeaderView,
    QLabel,
    QScrollArea,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from actdesk.i18n import _
from actdesk.services.reports.model import ChartSpec, Metric, ReportData, Section, Table
from actdesk.services.reports.render.cells import display
from actdesk.ui import theme
from actdesk.ui.reports.models import ReportTableModel, TotalsLastProxy
from actdesk.ui.text_fit import narrowest_width
from actdesk.ui.widgets.empty_state import EmptyState

MAX_VISIBLE_ROWS = 14


class ReportPreview(QScrollArea):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWidgetResizable(True)
        self.setFrameShape(QFrame.Shape.NoFrame)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.report: ReportData | None = None
        self.tables: dict[str, QTableView] = {}
        self.charts: dict[str, QWidget] = {}
        self._body = QWidget(self)
        self.setWidget(self._body)

    def clear(self) -> None:
        """Nothing on screen: a report being rebuilt or one that failed never leaves its predecessor behind."""
        self.report = None
        self.tables.clear()
        self.charts.clear()
        self._body = QWidget(self)
        self.setWidget(self._body)

    def show_report(self, report: ReportData) -> None:
        self.report = report
        self.tables.clear()
        self.charts.clear()
        body = QWidget(self)
        layout = QVBoxLayout(body)
        layout.setContentsMargins(theme.S2, theme.S2, theme.S2, theme.S6)
        layout.setSpacing(theme.S3)
        if report.metrics:
            layout.addWidget(self._tiles(report.metrics))
        if report.empty:
            layout.addWidget(EmptyState("chart", _nothing_title(), report.empty, parent=body), 1)
        for section in report.sections:
            self._add_section(layout, section, body)
        layout.addStretch(1)
        self.setWidget(body)
        self._body = body

    def _tiles(self, metrics: list[Metric]) -> QWidget:
        box = QWidget(self)
        grid = QGridLayout(box)
        grid.setContentsMargins(0, 0, 0, 0)
        grid.setSpacing(theme.S2)
        for i, m in enumerate(metrics):
            tile = QFrame(box)
            tile.setObjectName("Card")
            inner = QVBoxLayout(tile)
            inner.setContentsMargins(theme.S3, theme.S2, theme.S3, theme.S2)
            inner.setSpacing(theme.S1)
            label = QLabel(m.label, tile)
            label.setObjectName("Muted")
            label.setWordWrap(True)
            value = QLabel(display(m.value, m.kind) or "—", tile)
            value.setObjectName("TileValue")
            inner.addWidget(label)
            inner.addWidget(value)
            grid.addWidget(tile, 0, i)
        return box

    def _add_section(self, layout: QVBoxLayout, section: Section, body: QWidget) -> None:
        title = QLabel(section.title, body)
        title.setObjectName("SectionTitle")
        layout.addWidget(title)
        if section.is_empty:
            empty = QLabel(section.empty, body)
            empty.setObjectName("Muted")
            empty.setWordWrap(True)
            layout.addWidget(empty)
            return
        if section.chart is not None and section.chart.series and section.chart.labels:
            if section.chart.title and section.chart.title != section.title:
                caption = QLabel(section.chart.title, body)
                caption.setObjectName("Muted")
                layout.addWidget(caption)
            chart = self._chart(section.key, section.chart, body)
            self.charts[section.key] = chart
            layout.addWidget(chart)
        if section.table is not None:
            view = self._table(section, body)
            self.tables[section.key] = view
            layout.addWidget(view)
        if section.note:
            note = QLabel(section.note, body)
            note.setObjectName("Muted")
            note.setWordWrap(True)
            layout.addWidget(note)

    def _chart(self, key: str, spec: ChartSpec, parent: QWidget) -> QWidget:
        from actdesk.services.reports.charts import draw_on
        from actdesk.ui.charts.canvas import ChartCanvas

        height = max(240, min(520, 26 * len(spec.labels) + 90)) if spec.kind == "barh" else 280
        canvas = ChartCanvas(key, parent, height=height)
        legend = len(spec.series) > 1 and spec.kind != "donut"
        category_label = bool(spec.x_label) and spec.kind != "barh"
        value_label_below = bool(spec.y_label) and spec.kind == "barh"
        margins = (48, 16, 30 if legend else 14, 54 if category_label or value_label_below else 36)
        with canvas.plotting(margins) as fig:
            draw_on(fig.add_subplot(1, 1, 1), spec, dark=theme.is_dark(), title=False)
        return canvas

    def _table(self, section: Section, parent: QWidget) -> QTableView:
        assert section.table is not None
        model = ReportTableModel(section.table)
        proxy = TotalsLastProxy()
        proxy.setSourceModel(model)
        view = _ReportTable(section.table, parent)
        view.setObjectName(f"table_{section.key}")
        view.setModel(proxy)
        model.setParent(view)
        proxy.setParent(view)
        view.setSortingEnabled(True)
        view.sortByColumn(-1, Qt.SortOrder.AscendingOrder)
        view.setAlternatingRowColors(True)
        view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        view.verticalHeader().setVisible(False)
        header = view.horizontalHeader()
        view.setWordWrap(False)
        view.setHorizontalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setStretchLastSection(False)
        rows = min(model.rowCount(), MAX_VISIBLE_ROWS)
        row_h = view.verticalHeader().defaultSectionSize()
        view.setFixedHeight(header.sizeHint().height() + rows * row_h + 2 * view.frameWidth() + 2)
        view.setVerticalScrollBarPolicy(
            Qt.ScrollBarPolicy.ScrollBarAsNeeded
            if model.rowCount() > MAX_VISIBLE_ROWS
            else Qt.ScrollBarPolicy.ScrollBarAlwaysOff
        )
        return view


class _ReportTable(QTableView):
    """Columns sized to their content, fitted to the viewport: long titles wrap, then text columns elide (their
    full text is in the tooltip); the spare width goes to the first text column (the household)."""

    MIN_TEXT = 100  # px a text column keeps when it gives way (about a dozen characters)
    MAX_TITLE_LINES = 3

    def __init__(self, table: Table, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        texts = [i for i, c in enumerate(table.columns) if c.kind == "text"]
        self._texts = texts
        self._flex = texts[0] if texts else len(table.columns) - 1
        self._title_lines = 1
        self._one_line_height = 0
        self.setTextElideMode(Qt.TextElideMode.ElideRight)
        self.setProperty("elidable_columns", texts)  # the fit checks: only text columns may elide
        self.horizontalHeader().sortIndicatorChanged.connect(lambda *_a: self.fit_columns())

    def fit_columns(self) -> None:
        """Fit the viewport: long column titles break over two (then three) lines at word boundaries, then money
        columns show amounts short where that is shorter ("19,7 M US$", exact in the tooltip), the column that
        saves most first, then the text columns give up width down to ``MIN_TEXT`` (their cells elide). Only a
        table still wider than that scrolls sideways."""
        model = self.model()
        if model is None or model.columnCount() == 0:
            return
        header = self.horizontalHeader()
        metrics = _section_metrics(header)
        count = model.columnCount()
        titles = [str(model.headerData(i, Qt.Orientation.Horizontal) or "") for i in range(count)]
        source = self._source()
        shown = source.compact if source is not None else frozenset()
        if source is not None:
            source.compact = frozenset()  # measured exact first; the view repaints once, at the end
        cells = [self.sizeHintForColumn(i) + 2 for i in range(count)]  # the hint holds the theme's padding
        # a section's margins beside its title's text; the sort arrow takes room in the sorted column only
        arrow = header.isSortIndicatorShown()
        header.setSortIndicatorShown(False)
        bare = [header.sectionSizeHint(i) for i in range(count)]
        header.setSortIndicatorShown(arrow)
        padding = [bare[i] - metrics.horizontalAdvance(titles[i]) + 2 for i in range(count)]
        sorted_column = header.sortIndicatorSection()
        if arrow and 0 <= sorted_column < count:
            padding[sorted_column] += header.sectionSizeHint(sorted_column) - bare[sorted_column]
        available = self.viewport().width()

        def plan(cells: list[int]) -> tuple[list[int], int]:
            lines = 1
            widths = [
                max(c, metrics.horizontalAdvance(t) + p)
                for c, t, p in zip(cells, titles, padding, strict=True)
            ]
            while sum(widths) > available and lines < self.MAX_TITLE_LINES:
                lines += 1
                widths = [
                    max(c, narrowest_width(t, metrics, lines) + p)
                    for c, t, p in zip(cells, titles, padding, strict=True)
                ]
            return widths, lines

        widths, lines = plan(cells)
        compact: frozenset[int] = frozenset()
        if sum(widths) > available and source is not None and source.money_columns():
            money = source.money_columns()
            source.compact = frozenset(money)
            short = {i: self.sizeHintForColumn(i) + 2 for i in money}
            for i in sorted(money, key=lambda i: short[i] - cells[i]):
                if short[i] >= cells[i] or sum(widths) <= available:
                    break
                compact |= {i}
                cells[i] = short[i]
                widths, lines = plan(cells)
        if source is not None:
            source.compact = shown
            source.set_compact(compact)
        overflow = sum(widths) - available
        if overflow > 0:
            for i in sorted(self._texts, key=lambda i: widths[i], reverse=True):
                floor = max(self.MIN_TEXT, narrowest_width(titles[i], metrics, lines) + padding[i])
                give = min(overflow, max(0, widths[i] - floor))
                widths[i] -= give
                overflow -= give
                if overflow <= 0:
                    break
        spare = available - sum(widths)
        if spare > 0:
            widths[self._flex] += spare
        self._set_title_lines(lines)
        for i, w in enumerate(widths):
            header.resizeSection(i, w)

    def _source(self) -> ReportTableModel | None:
        proxy = self.model()
        source = proxy.sourceModel() if isinstance(proxy, QSortFilterProxyModel) else proxy
        return source if isinstance(source, ReportTableModel) else None

    def _set_title_lines(self, lines: int) -> None:
        header = self.horizontalHeader()
        if lines == self._title_lines:
            return
        if not self._one_line_height:  # measured before titles may wrap
            self._one_line_height = header.sizeHint().height()
            header.setDefaultAlignment(
                Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter | Qt.TextFlag.TextWordWrap
            )
        extra = (lines - self._title_lines) * _section_metrics(header).lineSpacing()
        self._title_lines = lines
        self.setProperty("title_lines", lines)  # the fit checks read it
        header.setFixedHeight(self._one_line_height + (lines - 1) * _section_metrics(header).lineSpacing())
        self.setFixedHeight(self.height() + extra)

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self.fit_columns()


def _section_metrics(header: QHeaderView) -> QFontMetrics:
    """The metrics of the header's titles as drawn (the theme sets them semi-bold)."""
    font = QFont(header.font())
    font.setWeight(QFont.Weight.DemiBold)
    return QFontMetrics(font)


def _nothing_title() -> str:
    return _("Nothing to report yet")
