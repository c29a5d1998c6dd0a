"""Alerts (the rules' thresholds and how often the book is checked) and Schedule (reminders, working day,
review rhythm, contact cadence per segment).

The review interval and the contact cadence are read by both the schedule and the alert rules; they are
edited once, on the Schedule tab, and written to both sections so the two never disagree.
"""

from __future__ import annotations

from PySide6.QtWidgets import QCheckBox, QHBoxLayout, QLabel, QSpinBox, QWidget

from actdesk.domain.alerts.settings import AlertSettings
from actdesk.domain.schedule.config import ScheduleSettings
from actdesk.i18n import _
from actdesk.ui.context import AppContext

from .form import Page, fraction, money_spin, percent, spin

SEGMENTS = ("A", "B", "C")
MONEY_MAX = 2_000_000_000


class AlertsPage(Page):
    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(ctx, parent, scroll=True)
        a = ctx.settings.section(AlertSettings)
        form = self.section(_("Checking the book"))
        self.interval = spin(self, 5, 24 * 60, a.interval_minutes, _("minutes"), "interval_minutes")
        form.addRow(_("Check every"), self.interval)
        self.notify_high = QCheckBox(_("Notify me of new high-priority alerts"), self)
        self.notify_high.setChecked(a.notify_high)
        form.addRow("", self.notify_high)

        form = self.section(_("Money leaving"), _("An alert when assets drift out of the household."))
        self.erosion_share = percent(self, a.erosion_outflow_share, name="erosion_outflow_share")
        self.erosion_months = spin(self, 1, 60, a.erosion_months, _("months"))
        form.addRow(
            _("Outflows above"), _pair(self, self.erosion_share, _("of assets over"), self.erosion_months)
        )
        self.withdrawal_share = percent(self, a.withdrawal_share, name="withdrawal_share")
        self.withdrawal_days = spin(self, 1, 365, a.withdrawal_window_days, _("days"))
        form.addRow(
            _("A withdrawal above"),
            _pair(self, self.withdrawal_share, _("of assets within"), self.withdrawal_days),
        )

        form = self.section(_("Revenue and retention"))
        self.revenue_share = percent(self, a.revenue_decline_share, name="revenue_decline_share")
        form.addRow(_("Fee revenue falls by"), self.revenue_share)
        self.retention = percent(self, a.retention_min_probability, name="retention_min_probability")
        form.addRow(_("Retention chance below"), self.retention)

        form = self.section(_("Relationships and growth"))
        self.heirs_min = money_spin(self, 0, MONEY_MAX, a.heirs_min_aum, "heirs_min_aum")
        form.addRow(_("Heirs unknown above"), self.heirs_min)
        self.held_away_min = money_spin(self, 0, MONEY_MAX, a.held_away_min, "held_away_min")
        form.addRow(_("Assets held away above"), self.held_away_min)
        self.life_event_days = spin(self, 1, 365, a.life_event_window_days, _("days"))
        form.addRow(_("Follow up life events within"), self.life_event_days)
        self.milestone_days = spin(self, 1, 365, a.milestone_window_days, _("days"))
        form.addRow(_("Milestones coming within"), self.milestone_days)
        self.welcome_back_days = spin(self, 1, 730, a.welcome_back_days, _("days"), "welcome_back_days")
        self.welcome_back_days.setToolTip(
            _(
                "A client who left and came back is flagged for a review of the plan for this long after the return"
            )
        )
        form.addRow(_("Welcome back a returning client for"), self.welcome_back_days)
        self.finish()

    def apply(self) -> None:
        a = self.ctx.settings.section(AlertSettings)
        a.interval_minutes = self.interval.value()
        a.notify_high = self.notify_high.isChecked()
        a.erosion_outflow_share = fraction(self.erosion_share)
        a.erosion_months = self.erosion_months.value()
        a.withdrawal_share = fraction(self.withdrawal_share)
        a.withdrawal_window_days = self.withdrawal_days.value()
        a.revenue_decline_share = fraction(self.revenue_share)
        a.retention_min_probability = fraction(self.retention)
        a.heirs_min_aum = self.heirs_min.value()
        a.held_away_min = self.held_away_min.value()
        a.life_event_window_days = self.life_event_days.value()
        a.milestone_window_days = self.milestone_days.value()
        a.welcome_back_days = self.welcome_back_days.value()
        self.ctx.settings.set_section(a)


class SchedulePage(Page):
    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(ctx, parent, scroll=True)
        s = ctx.settings.section(ScheduleSettings)
        form = self.section(_("Reminders"))
        self.reminders = QCheckBox(_("Remind me before appointments"), self)
        self.reminders.setChecked(s.reminders_enabled)
        form.addRow("", self.reminders)
        self.reminder_minutes = spin(self, 0, 24 * 60, s.reminder_minutes_before, _("minutes before"))
        self.reminder_minutes.setObjectName("reminder_minutes_before")
        self.reminders.toggled.connect(self.reminder_minutes.setEnabled)
        self.reminder_minutes.setEnabled(s.reminders_enabled)
        form.addRow(_("Remind"), self.reminder_minutes)

        form = self.section(_("Working day"))
        self.duration = spin(
            self, 5, 8 * 60, s.default_duration_minutes, _("minutes"), "default_duration_minutes"
        )
        self.duration.setSingleStep(5)
        form.addRow(_("New appointments last"), self.duration)
        self.day_start = spin(self, 0, 23, s.day_start_hour, "", "day_start_hour")
        self.day_end = spin(self, 1, 24, s.day_end_hour, "", "day_end_hour")
        self.day_start.setPrefix(_("from") + " ")
        self.day_start.setSuffix(":00")
        self.day_end.setPrefix(_("to") + " ")
        self.day_end.setSuffix(":00")
        # The end never falls before the start: each bound follows the other.
        self.day_start.valueChanged.connect(lambda v: self.day_end.setMinimum(v + 1))
        self.day_end.valueChanged.connect(lambda v: self.day_start.setMaximum(v - 1))
        self.day_end.setMinimum(self.day_start.value() + 1)
        self.day_start.setMaximum(self.day_end.value() - 1)
        row = QWidget(self)
        line = QHBoxLayout(row)
        line.setContentsMargins(0, 0, 0, 0)
        line.addWidget(self.day_start)
        line.addWidget(self.day_end)
        line.addStretch(1)
        form.addRow(_("Calendar shows"), row)

        form = self.section(
            _("Service rhythm"),
            _("How often each segment should hear from you; the Alerts panel flags households past it."),
        )
        self.review_months = spin(
            self, 1, 36, s.review_interval_months, _("months"), "review_interval_months"
        )
        form.addRow(_("Review every"), self.review_months)
        self.cadence: dict[str, QSpinBox] = {}
        for segment in SEGMENTS:
            box = spin(self, 1, 730, s.cadence_days.get(segment, s.default_cadence_days), _("days"))
            box.setObjectName(f"cadence_{segment.lower()}")
            self.cadence[segment] = box
            form.addRow(_("Segment {segment} contact every").format(segment=segment), box)
        self.finish()

    def apply(self) -> None:
        s = self.ctx.settings.section(ScheduleSettings)
        s.reminders_enabled = self.reminders.isChecked()
        s.reminder_minutes_before = self.reminder_minutes.value()
        s.default_duration_minutes = self.duration.value()
        s.day_start_hour = self.day_start.value()
        s.day_end_hour = self.day_end.value()
        s.review_interval_months = self.review_months.value()
        s.cadence_days = {**s.cadence_days, **{k: box.value() for k, box in self.cadence.items()}}
        self.ctx.settings.set_section(s)
        a = self.ctx.settings.section(AlertSettings)
        a.review_interval_months = s.review_interval_months
        a.cadence_a_days = s.cadence_days["A"]
        a.cadence_b_days = s.cadence_days["B"]
        a.cadence_c_days = s.cadence_days["C"]
        self.ctx.settings.set_section(a)


def _pair(parent: QWidget, first: QWidget, between: str, second: QWidget) -> QWidget:
    row = QWidget(parent)
    line = QHBoxLayout(row)
    line.setContentsMargins(0, 0, 0, 0)
    line.addWidget(first)
    line.addWidget(QLabel(between, row))
    line.addWidget(second)
    line.addStretch(1)
    return row
