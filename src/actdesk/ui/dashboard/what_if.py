"""Book value (multiple and NPV) with what-if sliders for retention and the discount rate.

Every figure comes from the domain's valuation functions (``services.dashboard.book.what_if`` calls
``valuation.npv`` and ``multiple_value``); the curve shows the NPV over a range of retention rates at the
chosen discount rate, with the book's own rate and the chosen one marked.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import numpy as np
from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QGridLayout, QLabel, QPushButton, QSlider, QVBoxLayout, QWidget

from actdesk.i18n import _, format_money, format_number, format_percent
from actdesk.services.dashboard import tiles
from actdesk.services.dashboard.book import BookDashboard, WhatIf, what_if
from actdesk.ui import theme
from actdesk.ui.charts import style
from actdesk.ui.charts.canvas import ChartCanvas
from actdesk.ui.charts.plot import ChartTarget

RETENTION_RANGE = (800, 1000)  # tenths of a percent
DISCOUNT_RANGE = (50, 300)


class WhatIfPanel(QWidget):
    sig_changed = Signal(object)  # WhatIf

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.data: BookDashboard | None = None
        self.result: WhatIf | None = None
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(theme.S2)
        grid = QGridLayout()
        grid.setHorizontalSpacing(theme.S4)
        grid.setVerticalSpacing(theme.S1)
        self.multiple = self._figure(grid, 0, tiles.WHAT_IF["multiple"])
        self.npv = self._figure(grid, 1, tiles.WHAT_IF["npv"])
        self.npv_households = self._figure(grid, 2, tiles.WHAT_IF["npv_households"])
        self.track_record = QLabel(self)  # the retention model's out-of-time record, in one line
        self.track_record.setObjectName("Muted")
        self.track_record.setWordWrap(True)
        grid.addWidget(self.track_record, 2, 0, 1, 3)
        layout.addLayout(grid)

        sliders = QGridLayout()
        sliders.setHorizontalSpacing(theme.S3)
        self.retention = self._slider(RETENTION_RANGE, 5)
        self.discount = self._slider(DISCOUNT_RANGE, 5)
        self.retention_label = QLabel(self)
        self.discount_label = QLabel(self)
        for label in (self.retention_label, self.discount_label):
            label.setMinimumWidth(210)
        sliders.addWidget(self.retention_label, 0, 0)
        sliders.addWidget(self.retention, 0, 1)
        sliders.addWidget(self.discount_label, 1, 0)
        sliders.addWidget(self.discount, 1, 1)
        self.reset = QPushButton(_("Back to the book's figures"), self)
        self.reset.clicked.connect(self.reset_sliders)
        sliders.addWidget(self.reset, 0, 2, 2, 1, Qt.AlignmentFlag.AlignVCenter)
        layout.addLayout(sliders)
        self.outcome = QLabel(self)
        self.outcome.setObjectName("SectionTitle")
        self.outcome.setWordWrap(True)
        layout.addWidget(self.outcome)
        self.curve = ChartCanvas("book-value-what-if", self, height=170)
        layout.addWidget(self.curve, 1)
        self.retention.valueChanged.connect(self._recompute)
        self.discount.valueChanged.connect(self._recompute)

    def _figure(self, grid: QGridLayout, column: int, text: tiles.TileText) -> QLabel:
        cap = QLabel(text.caption(), self)
        cap.setObjectName("Muted")
        cap.setWordWrap(True)
        cap.setToolTip(text.tooltip())
        value = QLabel("—", self)
        value.setObjectName("TileValue")
        value.setToolTip(text.tooltip())
        grid.addWidget(cap, 0, column)
        grid.addWidget(value, 1, column)
        return value

    def _slider(self, bounds: tuple[int, int], step: int) -> QSlider:
        slider = QSlider(Qt.Orientation.Horizontal, self)
        slider.setRange(*bounds)
        slider.setSingleStep(step)
        slider.setPageStep(step * 4)
        return slider

    # -- data ------------------------------------------------------------------------------------------------
    def set_data(self, data: BookDashboard) -> None:
        self.data = data
        value = data.kpis["book_value"]
        self.multiple.setText(format_money(value["multiple"], cents=False))
        self.npv.setText(format_money(value["npv"], cents=False) if value["npv"] is not None else "—")
        if value["npv_households"] is None:  # the retention model is still being fitted
            self.track_record.setVisible(False)
            self.npv_households.setText(_("Calculating…"))
            self.npv_households.setToolTip(
                _("Each client's chance of staying is being estimated from the book's history.")
            )
        else:
            self.set_households_npv(value["npv_households"], value.get("model_track_record"))
        self.multiple.setToolTip(
            _("{recurring}× recurring fees + {one_off}× one-off fees of the last 12 months").format(
                recurring=format_number(value["recurring_multiple"], 1),
                one_off=format_number(value["one_off_multiple"], 1),
            )
        )
        self.npv.setToolTip(
            _("{years} years of recurring fees, growing {growth} a year, kept at the retention rate").format(
                years=value["horizon_years"], growth=format_percent(value["growth_rate"])
            )
        )
        self.reset_sliders()

    def set_households_npv(self, value: Decimal | None, track_record: str | None = None) -> None:
        """The book value client by client once the retention model is ready (None: it could not be
        fitted), with the model's track record beside it."""
        self.track_record.setText(track_record or "")
        self.track_record.setVisible(bool(track_record))
        if value is None:
            self.npv_households.setText("—")
            self.npv_households.setToolTip(
                _("Not enough history to estimate each client's chance of staying.")
            )
            return
        self.npv_households.setText(format_money(value, cents=False))
        self.npv_households.setToolTip(
            _("Each client's recurring fees, kept at that client's own chance of staying")
        )

    def reset_sliders(self) -> None:
        if self.data is None:
            return
        value = self.data.kpis["book_value"]
        retention = value["retention_used"] if value["retention_used"] is not None else 0.96
        for slider, number in ((self.retention, retention), (self.discount, value["discount_rate"])):
            slider.blockSignals(True)
            slider.setValue(round(number * 1000))
            slider.blockSignals(False)
        self._recompute()

    def set_rates(self, retention: float, discount_rate: float) -> None:
        """Move the sliders (tests, keyboard) and recompute."""
        self.retention.setValue(round(retention * 1000))
        self.discount.setValue(round(discount_rate * 1000))

    def _recompute(self) -> None:
        if self.data is None:
            return
        r = self._exact(self.retention.value(), self.data.kpis["book_value"]["retention_used"])
        d = self._exact(self.discount.value(), self.data.config.discount_rate)
        self.retention_label.setText(_("Client retention: {rate}").format(rate=format_percent(r)))
        self.discount_label.setText(_("Discount rate: {rate}").format(rate=format_percent(d)))
        self.result = what_if(self.data.kpis, self.data.config, r, d)
        change = self.result.npv_change
        if change == 0:
            self.outcome.setText(
                _("At the book's own rates it is worth {npv}. Move a slider to see another case.").format(
                    npv=format_money(self.result.npv, cents=False)
                )
            )
        else:
            self.outcome.setText(
                _("At these rates the book is worth {npv} ({sign}{change} against today's figures).").format(
                    npv=format_money(self.result.npv, cents=False),
                    sign="+" if change > 0 else "−",
                    change=format_money(abs(change), cents=False),
                )
            )
        self._draw_curve(r, d)
        self.sig_changed.emit(self.result)

    @staticmethod
    def _exact(position: int, own: float | None) -> float:
        """The slider's rate; at the book's own position the book's exact rate, so that "back to the book's
        figures" shows the book's value to the cent."""
        if own is not None and position == round(own * 1000):
            return float(own)
        return position / 1000

    def _draw_curve(self, chosen: float, discount: float) -> None:
        assert self.data is not None
        self.curve.draw_later(draw_curve, self.data, chosen, discount)  # on the compute worker


def draw_curve(curve: ChartTarget, data: BookDashboard, chosen: float, discount: float) -> None:
    """The NPV over a range of retention rates at ``discount``, the book's rate and ``chosen`` marked."""
    if data.kpis["revenue"]["recurring_t12m"] <= 0:
        curve.set_empty(
            _("No recurring fees yet"),
            _("The NPV values recurring fees; it appears once fees of the last 12 months are recorded."),
        )
        return
    rates = np.linspace(RETENTION_RANGE[0] / 1000, RETENTION_RANGE[1] / 1000, 41)
    values = [float(what_if(data.kpis, data.config, float(r), discount).npv) for r in rates]
    own = data.kpis["book_value"]["retention_used"]
    with curve.plotting((48, 16, 10, 44)) as fig:
        ax: Any = fig.subplots()
        (line,) = ax.plot(rates, values, color=theme.CHART_COLORS[0])
        curve.hover(
            line,
            lambda i: (
                ""
                if i is None
                else _("At {rate} retention: {npv}").format(
                    rate=format_percent(rates[i]), npv=format_money(values[i], cents=False)
                )
            ),
        )
        ax.axvline(chosen, color=theme.CHART_COLORS[2], linewidth=1.2)
        if own is not None:
            ax.axvline(own, color=theme.colors().muted, linewidth=1, linestyle="--")
            ax.annotate(
                _("today"),
                (own, max(values)),
                xytext=(3, -10),
                textcoords="offset points",
                fontsize=theme.CHART_TICK_SIZE,
                color=theme.colors().muted,
            )
        ax.set_xticks(np.arange(RETENTION_RANGE[0], RETENTION_RANGE[1] + 1, 50) / 1000)
        style.percent_axis(ax.xaxis)
        style.money_axis(ax.yaxis)
        ax.set_xlabel(_("Client retention (%)"))
        ax.set_ylabel(_("NPV"))
