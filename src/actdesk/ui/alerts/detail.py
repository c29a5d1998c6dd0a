"""The detail card beside the alerts table: why the alert was raised and the natural next actions."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFrame, QLabel, QPushButton, QVBoxLayout, QWidget

from actdesk.domain.alerts.model import RULE_TITLES, SEVERITY_TITLES, STATE_TITLES, Alert, AlertState
from actdesk.i18n import _, format_date
from actdesk.ui import icons, theme
from actdesk.ui.alerts.model import severity_color


class AlertDetail(QFrame):
    """Shows one alert; the panel connects the buttons (schedule, open card, seen, snooze, dismiss)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        c = theme.colors()
        card = self
        card.setObjectName("Card")
        card.setMinimumWidth(280)
        layout = QVBoxLayout(card)
        layout.setContentsMargins(theme.S4, theme.S4, theme.S4, theme.S4)
        layout.setSpacing(theme.S2)
        self.detail_household = QLabel(card)
        self.detail_household.setTextFormat(Qt.TextFormat.PlainText)  # the book's own text, never markup
        self.detail_household.setObjectName("SectionTitle")
        self.detail_household.setWordWrap(True)
        self.detail_rule = QLabel(card)
        self.detail_rule.setObjectName("Chip")
        self.detail_why = QLabel(card)
        self.detail_why.setTextFormat(Qt.TextFormat.PlainText)  # the book's own text, never markup
        self.detail_why.setWordWrap(True)
        self.detail_why.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.detail_meta = QLabel(card)
        self.detail_meta.setTextFormat(Qt.TextFormat.PlainText)  # a dismissal's reason as typed
        self.detail_meta.setObjectName("Muted")
        self.detail_meta.setWordWrap(True)
        self.schedule_button = QPushButton(icons.icon("phone", c.accent_text), _("Schedule a call"), card)
        self.schedule_button.setObjectName("Primary")
        self.open_button = QPushButton(icons.icon("user", c.text), _("Open card"), card)
        self.seen_button = QPushButton(icons.icon("check", c.text), _("Mark seen"), card)
        self.snooze_button = QPushButton(icons.icon("calendar", c.text), _("Snooze…"), card)
        self.dismiss_button = QPushButton(icons.icon("close", c.danger), _("Dismiss…"), card)
        self.dismiss_button.setObjectName("Danger")
        self.detail_placeholder = QLabel(
            _("Select an alert to see why it was raised and what to do next."), card
        )
        self.detail_placeholder.setObjectName("Muted")
        self.detail_placeholder.setWordWrap(True)
        layout.addWidget(self.detail_placeholder)
        layout.addWidget(self.detail_household)
        layout.addWidget(self.detail_rule, 0, Qt.AlignmentFlag.AlignLeft)
        layout.addWidget(self.detail_why)
        layout.addWidget(self.detail_meta)
        layout.addSpacing(theme.S2)
        for button in (
            self.schedule_button,
            self.open_button,
            self.seen_button,
            self.snooze_button,
            self.dismiss_button,
        ):
            layout.addWidget(button)
        layout.addStretch(1)
        self.detail_widgets = (
            self.detail_household,
            self.detail_rule,
            self.detail_why,
            self.detail_meta,
            self.schedule_button,
            self.open_button,
            self.seen_button,
            self.snooze_button,
            self.dismiss_button,
        )
        self.show_alert(None)

    def show_alert(self, alert: Alert | None) -> None:
        self.detail_placeholder.setVisible(alert is None)
        for widget in self.detail_widgets:
            widget.setVisible(alert is not None)
        if alert is None:
            return
        self.detail_household.setText(alert.household_name)
        color = severity_color(alert.severity)
        self.detail_rule.setText(f"{_(RULE_TITLES[alert.rule])} · {_(SEVERITY_TITLES[alert.severity])}")
        self.detail_rule.setStyleSheet(f"color: {color}; border-color: {color};")
        self.detail_why.setText(alert.explanation)
        meta = [_("Raised on {date}").format(date=format_date(alert.created_at.astimezone().date()))]
        meta.append(_(STATE_TITLES[alert.state]))
        if alert.state is AlertState.SNOOZED and alert.snoozed_until:
            meta[-1] = _("Snoozed until {date}").format(date=format_date(alert.snoozed_until))
        if alert.state is AlertState.DISMISSED and alert.dismissed_reason:
            meta[-1] = _("Dismissed: {reason}").format(reason=alert.dismissed_reason)
        self.detail_meta.setText("  ·  ".join(meta))
        self.seen_button.setEnabled(alert.state is AlertState.NEW)
        self.dismiss_button.setEnabled(alert.state is not AlertState.DISMISSED)
