"""The book-of-business page: KPI tiles on top, then the charts in cards on a two-column grid."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from datetime import date
from typing import Any

from PySide6.QtCore import QTimer, Signal
from PySide6.QtWidgets import QGridLayout, QScrollArea, QWidget

from actdesk.domain.alerts.model import RULE_TITLES, RuleKey
from actdesk.i18n import (
    _,
    format_money,
    ngettext,
)
from actdesk.services.dashboard import tiles
from actdesk.services.dashboard.book import BookDashboard
from actdesk.ui import theme
from actdesk.ui.charts.canvas import ChartCanvas
from actdesk.ui.charts.plot import ChartTarget
from actdesk.ui.dashboard import book_charts
from actdesk.ui.dashboard.first_page import set_tiles
from actdesk.ui.dashboard.what_if import WhatIfPanel
from actdesk.ui.dashboard.widgets import ChartCard, HouseholdListDialog, dashboard_page


class BookView(QScrollArea):
    sig_household_requested = Signal(int)
    sig_cards_built = Signal()  # the last card is built: the view's own start-up work is done

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.data: BookDashboard | None = None
        self._generation = 0  # set_numbers() calls: stepwise chart drawing of older data stops
        self.drawing = False  # charts still being drawn after the tiles (set_data_stepwise)
        self.last_list: HouseholdListDialog | None = None
        body, outer, self.as_of, self.tiles = dashboard_page(
            self,
            tiles.BOOK,
        )

        self.charts: dict[str, ChartCanvas] = {}
        grid = QGridLayout()
        grid.setHorizontalSpacing(theme.S3)
        grid.setVerticalSpacing(theme.S3)
        specs = (
            (
                "aum",
                _("Assets under management"),
                _("Month-end AUM; below it, each month's net flows and market effect."),
            ),
            ("revenue", _("Fee revenue"), _("Fees billed each month, recurring and one-off.")),
            (
                "retention",
                _("Retention"),
                _("Share of clients and of their assets kept over each 12 months."),
            ),
            (
                "wallet",
                _("Share of wallet"),
                _(
                    "Managed assets as a share of your clients' stated net worth (share of wallet), and beside "
                    "it today's share of their investable assets (managed and held away)."
                ),
            ),
            (
                "segments",
                _("A/B/C mix"),
                _(
                    "Households per segment a year ago and today, and the change in book value. Click a bar of today to list its households."
                ),
            ),
            (
                "households",
                _("Clients by assets and fees"),
                _("Each point is a client household, coloured by segment. Click one to open its card."),
            ),
            ("alerts", _("Open alerts by rule"), _("Click a bar to list the households behind it.")),
        )
        self._body, self._grid = body, grid
        # The cards (eight chart canvases) are built one per turn of the event loop after the tiles, or at
        # once when asked for (``chart()``, ``what_if``): all at once held the window 30 ms quiet at start.
        self._cards: list[tuple[str, str, str]] = list(specs)
        self._what_if: WhatIfPanel | None = None
        self._built = 0
        grid.setColumnStretch(0, 1)
        grid.setColumnStretch(1, 1)
        outer.addLayout(grid)
        outer.addStretch(1)
        QTimer.singleShot(0, self, self._build_next_card)

    # -- cards -----------------------------------------------------------------------------------------------
    def chart(self, key: str) -> ChartCanvas:
        while key not in self.charts:
            self._build_card()
        return self.charts[key]

    @property
    def what_if(self) -> WhatIfPanel:
        while self._what_if is None:
            self._build_card()
        return self._what_if

    @property
    def cards_built(self) -> bool:
        return self._what_if is not None

    @property
    def busy(self) -> bool:
        """Cards still being built, charts being drawn, or a chart on screen waiting for the compute
        worker."""
        return (
            not self.cards_built
            or self.drawing
            or any(chart.canvas.rendering for chart in self.charts.values())
        )

    def _build_next_card(self) -> None:
        if self._what_if is None:
            self._build_card()
            QTimer.singleShot(0, self, self._build_next_card)

    def _build_card(self) -> None:
        body, i = self._body, self._built
        self._built += 1
        if i < len(self._cards):
            key, title, subtitle = self._cards[i]
            canvas = ChartCanvas(f"actdesk-{key}", body, height=340 if key == "aum" else 260)
            canvas.sig_clicked.connect(self._drill_down)
            self.charts[key] = canvas
            self._grid.addWidget(ChartCard(title, subtitle, canvas, body), i // 2, i % 2)
            return
        self._what_if = WhatIfPanel(body)
        self._grid.addWidget(
            ChartCard(
                _("Book value and what-if"),
                _(
                    "What a buyer would pay: a multiple of fees, and the present value of future fees. Move the sliders to see what retention and the discount rate do."
                ),
                self._what_if,
                body,
            ),
            len(self._cards) // 2,
            1,
        )
        self.sig_cards_built.emit()

    # -- data ------------------------------------------------------------------------------------------------
    def set_model_data(self, data: BookDashboard) -> None:
        """``data`` again with what the retention model adds (the book value client by client)."""
        self.data = data
        value = data.kpis["book_value"]
        self.what_if.set_households_npv(value["npv_households"], value.get("model_track_record"))

    def set_data(self, data: BookDashboard) -> None:
        """The tiles and every chart, at once."""
        self.set_numbers(data)
        for step in self._chart_steps():
            step()
        self.drawing = False

    def set_data_stepwise(self, data: BookDashboard, done: Callable[[], None]) -> None:
        """The tiles now; then one chart per turn of the event loop, so that the numbers are painted first
        and no chart's plotting holds the window for the others'; ``done`` after the last. A newer call
        abandons the charts of an older one."""
        self.set_numbers(data)
        generation = self._generation
        steps = self._chart_steps()
        self.drawing = True

        def next_step() -> None:
            if generation != self._generation:
                return
            if steps:
                steps.pop(0)()
                QTimer.singleShot(0, self, next_step)  # with the view as context: none after it is gone
            else:
                self.drawing = False
                done()

        QTimer.singleShot(0, self, next_step)

    def _chart_steps(self) -> list[Callable[[], None]]:
        # each step draws from the view's latest data (the retention model may have arrived meanwhile),
        # built and rendered on the compute worker when the chart is painted
        def chart(draw: Callable[[ChartTarget, BookDashboard], None], key: str) -> Callable[[], None]:
            return lambda: self.chart(key).draw_later(draw, self.data) if self.data is not None else None

        return [
            chart(book_charts.draw_aum, "aum"),
            chart(book_charts.draw_revenue, "revenue"),
            chart(book_charts.draw_retention, "retention"),
            chart(book_charts.draw_wallet, "wallet"),
            chart(book_charts.draw_segments, "segments"),
            chart(book_charts.draw_households, "households"),
            chart(book_charts.draw_alerts, "alerts"),
            lambda: self.what_if.set_data(self.data) if self.data is not None else None,
        ]

    def set_numbers(self, data: BookDashboard) -> None:
        """The date and the KPI tiles from the full analytics."""
        self._generation += 1
        self.data = data
        self.set_tiles(data.as_of, data.kpis)

    def set_tiles(self, as_of: date, k: dict[str, Any]) -> None:
        """The date and the KPI tiles (``first_page.set_tiles``)."""
        set_tiles(self.as_of, self.tiles, as_of, k)

    def set_alerts(self, alerts_by_rule: dict[str, list[int]]) -> None:
        """New alert counts (after an evaluation or an action): only that chart is redrawn."""
        if self.data is None:
            return
        self.data = replace(self.data, alerts_by_rule=alerts_by_rule)
        self.chart("alerts").draw_later(book_charts.draw_alerts, self.data)

    # -- drill-down ------------------------------------------------------------------------------------------
    def _drill_down(self, payload: object) -> None:
        if self.data is None or not isinstance(payload, tuple):
            return
        kind, key = payload
        if kind == "household" and key is not None:
            self.sig_household_requested.emit(int(key))
            return
        names = self.data.names
        table = self.data.households
        if kind == "segment":
            ids = self.data.segment_households(str(key))
            rows = [
                (h, names.get(h, ""), format_money(table.at[h, "revenue_t12m"], cents=False)) for h in ids
            ]
            self.open_list(
                ngettext("Segment {s}: {n} household", "Segment {s}: {n} households", len(rows)).format(
                    s=key, n=len(rows)
                ),
                rows,
                _("Fees, 12 months"),
            )
        elif kind == "alert":
            ids = sorted(set(self.data.alerts_by_rule.get(str(key), [])), key=lambda h: names.get(h, ""))
            title = _(RULE_TITLES[RuleKey(key)]) if key in RuleKey.__members__.values() else str(key)
            rows = [(h, names.get(h, ""), title) for h in ids]
            self.open_list(
                ngettext("{rule}: {n} household", "{rule}: {n} households", len(rows)).format(
                    rule=title, n=len(rows)
                ),
                rows,
                _("Alert"),
            )

    def open_list(self, title: str, rows: list[tuple[int, str, str]], detail: str) -> HouseholdListDialog:
        dialog = HouseholdListDialog(title, rows, detail, self)
        dialog.sig_household_chosen.connect(self.sig_household_requested.emit)
        self.last_list = dialog
        dialog.open()
        return dialog
