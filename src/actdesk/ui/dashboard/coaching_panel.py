"""The coaching page: the advisor's own activity against the targets the advisor sets, with the trend.

Targets are edited in place and saved to the settings section "coaching"; the counts come from
``services.dashboard.coaching.gather_coaching``.
"""

from __future__ import annotations

from dataclasses import replace

import numpy as np
from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QProgressBar,
    QScrollArea,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from actdesk.i18n import _, format_date, format_number, os_reason
from actdesk.services.dashboard.coaching import Coaching, CoachingSettings, Metric
from actdesk.ui import theme
from actdesk.ui.charts.canvas import ChartCanvas
from actdesk.ui.dashboard.widgets import ChartCard

TARGET_FIELDS = {
    "calls": "calls_per_week",
    "meetings": "meetings_per_week",
    "reviews": "reviews_per_week",
    "referrals_asked": "referrals_asked_per_week",
    "new_households": "new_households_per_quarter",
}


class MetricCard(QWidget):
    """One target: this period's count against it, a progress bar, and the trend of the last periods."""

    def __init__(self, key: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.key = key
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(theme.S1)
        row = QHBoxLayout()
        self.count = QLabel("—", self)
        self.count.setObjectName("TileValue")
        self.target = QSpinBox(self)
        self.target.setRange(0, 500)
        self.target_label = QLabel(_("Target"), self)
        self.target_label.setObjectName("Muted")
        row.addWidget(self.count, 1)
        row.addWidget(self.target_label)
        row.addWidget(self.target)
        layout.addLayout(row)
        self.bar = QProgressBar(self)
        self.bar.setTextVisible(False)
        self.bar.setFixedHeight(8)
        layout.addWidget(self.bar)
        self.note = QLabel(self)
        self.note.setObjectName("Muted")
        layout.addWidget(self.note)
        self.chart = ChartCanvas(f"actdesk-coaching-{key}", self, height=170)
        layout.addWidget(self.chart, 1)

    def show_metric(self, metric: Metric) -> None:
        self.target.blockSignals(True)
        self.target.setValue(metric.target)
        self.target.blockSignals(False)
        weekly = metric.period == "week"
        self.count.setText(
            (_("{n} this week") if weekly else _("{n} this quarter")).format(n=format_number(metric.actual))
        )
        self.bar.setRange(0, max(metric.target, 1))
        self.bar.setValue(min(metric.actual, max(metric.target, 1)))
        self.note.setText(
            (
                _("Average of the previous weeks: {avg} · this week so far in grey")
                if weekly
                else _("Average of the previous quarters: {avg} · this quarter so far in grey")
            ).format(avg=format_number(metric.average, 1))
        )
        self._draw(metric)

    def _draw(self, metric: Metric) -> None:
        counts = [n for _d, n in metric.trend]
        if not any(counts):
            self.chart.set_empty(
                _("Nothing recorded yet"),
                _(
                    "Log a completed activity whose subject or outcome mentions a referral each time you ask for one."
                )
                if metric.key == "referrals_asked"
                else _(
                    "Completed activities of this kind will show here, period by period, against your target."
                ),
            )
            return
        x = np.arange(len(counts))
        weekly = metric.period == "week"
        with self.chart.plotting() as fig:
            ax = fig.subplots()
            colors = [
                theme.CHART_COLORS[0] if n >= metric.target else theme.CHART_COLORS[2] for n in counts[:-1]
            ] + [theme.colors().border if counts[-1] < metric.target else theme.CHART_COLORS[0]]
            bars = ax.bar(x, counts, 0.65, color=colors)
            for i, (start, n) in enumerate(metric.trend):
                label = (_("Week of {date}: {n}") if weekly else _("Quarter from {date}: {n}")).format(
                    date=format_date(start), n=n
                )
                self.chart.hover(bars[i], label)
            if metric.target:
                ax.axhline(metric.target, color=theme.DANGER, linewidth=1, linestyle="--")
            ax.set_ylim(0, max([*counts, metric.target, 1]) * 1.2)
            step = 3 if weekly and len(counts) > 6 else 1
            ticks = list(range(len(counts) - 1, -1, -step))[::-1]
            ax.set_xticks(ticks)
            ax.set_xticklabels(
                [format_date(metric.trend[i][0], "d MMM" if weekly else "QQQ yy") for i in ticks]
            )
            ax.set_ylabel(_(metric.title))
            ax.yaxis.get_major_locator().set_params(integer=True)  # type: ignore[call-arg]  # an AutoLocator


class CoachingView(QScrollArea):
    def __init__(self, ctx: object, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.setWidgetResizable(True)
        self.data: Coaching | None = None
        body = QWidget(self)
        self.setWidget(body)
        outer = QVBoxLayout(body)
        outer.setContentsMargins(theme.S4, theme.S4, theme.S4, theme.S6)
        outer.setSpacing(theme.S3)
        intro = QLabel(
            _(
                "Your own activity against the targets you set, the way a branch manager would look at it. "
                "Completed activities count in the week they were completed; a referral counts as asked for "
                "when a completed activity's subject or outcome mentions a referral. Periods that met the target "
                "are blue, the others amber; the dashed line is the target."
            ),
            body,
        )
        intro.setWordWrap(True)
        intro.setObjectName("Muted")
        outer.addWidget(intro)
        grid = QGridLayout()
        grid.setHorizontalSpacing(theme.S3)
        grid.setVerticalSpacing(theme.S3)
        self.cards: dict[str, MetricCard] = {}
        titles = {
            "calls": _("Calls a week"),
            "meetings": _("Meetings a week"),
            "reviews": _("Reviews a week"),
            "referrals_asked": _("Referrals asked for a week"),
            "new_households": _("New client households a quarter"),
        }
        for i, (key, title) in enumerate(titles.items()):
            card = MetricCard(key, body)
            card.target.valueChanged.connect(lambda value, k=key: self._target_changed(k, value))
            self.cards[key] = card
            grid.addWidget(ChartCard(title, "", card, body), i // 2, i % 2)
        grid.setColumnStretch(0, 1)
        grid.setColumnStretch(1, 1)
        outer.addLayout(grid)
        outer.addStretch(1)

    def set_data(self, data: Coaching) -> None:
        self.data = data
        for metric in data.metrics:
            self.cards[metric.key].show_metric(metric)

    def _target_changed(self, key: str, value: int) -> None:
        settings = self.ctx.settings  # type: ignore[attr-defined]
        current = settings.section(CoachingSettings)
        settings.set_section(replace(current, **{TARGET_FIELDS[key]: value}))
        try:
            settings.save()
        except OSError as exc:
            self.ctx.signals.status_message.emit(  # type: ignore[attr-defined]
                _("The target could not be saved: {error}").format(error=os_reason(exc))
            )
        if self.data is not None:
            metrics = [replace(m, target=value) if m.key == key else m for m in self.data.metrics]
            self.data = replace(self.data, metrics=metrics)
            self.cards[key].show_metric(next(m for m in metrics if m.key == key))


__all__ = ["CoachingView", "Qt"]
