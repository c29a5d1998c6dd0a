"""Snooze (pick the date it comes back) and dismiss (say why) dialogs, built in code."""

from __future__ import annotations

from datetime import date, timedelta
from typing import cast

from PySide6.QtCore import QDate
from PySide6.QtWidgets import (
    QComboBox,
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from actdesk.domain.alerts.model import RULE_TITLES, Alert
from actdesk.i18n import N_, _
from actdesk.ui import theme
from actdesk.ui.qt_locale import localize_edit

COMMON_REASONS = (
    N_("Expected: the client told me about it"),
    N_("Money moved for a planned purchase"),
    N_("Handled outside actdesk"),
    N_("Not relevant for this household"),
)


def _header(alert: Alert, parent: QWidget) -> list[QLabel]:
    title = QLabel(f"{alert.household_name} · {_(RULE_TITLES[alert.rule])}", parent)
    title.setObjectName("SectionTitle")
    why = QLabel(alert.explanation, parent)
    why.setWordWrap(True)
    why.setObjectName("Muted")
    return [title, why]


class SnoozeDialog(QDialog):
    """Hide an alert until a date; it comes back as new on that day (or earlier if it gets worse)."""

    def __init__(self, alert: Alert, today: date, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(_("Snooze alert"))
        self.today = today
        layout = QVBoxLayout(self)
        layout.setSpacing(theme.S2)
        for label in _header(alert, self):
            layout.addWidget(label)
        row = QHBoxLayout()
        row.addWidget(QLabel(_("Bring it back on"), self))
        self.date_edit = QDateEdit(self)
        self.date_edit.setObjectName("snooze_until")
        self.date_edit.setCalendarPopup(True)
        localize_edit(self.date_edit)
        self.date_edit.setMinimumDate(_qdate(today + timedelta(days=1)))
        self.date_edit.setDate(_qdate(today + timedelta(days=7)))
        row.addWidget(self.date_edit, 1)
        layout.addLayout(row)
        presets = QHBoxLayout()
        for text, days in ((_("1 week"), 7), (_("2 weeks"), 14), (_("1 month"), 30), (_("3 months"), 91)):
            button = QPushButton(text, self)
            button.clicked.connect(
                lambda _c=False, d=days: self.date_edit.setDate(_qdate(today + timedelta(days=d)))
            )
            presets.addWidget(button)
        layout.addLayout(presets)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self
        )
        _label_buttons(buttons, _("Snooze"))
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self.resize(440, self.sizeHint().height())

    def until(self) -> date:
        return cast(date, self.date_edit.date().toPython())


class DismissDialog(QDialog):
    """Dismiss with a reason (required): the reason is kept, and the alert only returns if things get worse."""

    def __init__(self, alert: Alert, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(_("Dismiss alert"))
        layout = QVBoxLayout(self)
        layout.setSpacing(theme.S2)
        for label in _header(alert, self):
            layout.addWidget(label)
        layout.addWidget(QLabel(_("Why does it need no action?"), self))
        self.reason = QComboBox(self)
        self.reason.setObjectName("dismiss_reason")
        self.reason.setEditable(True)
        self.reason.addItems([_(r) for r in COMMON_REASONS])
        self.reason.setCurrentIndex(-1)
        editor = self.reason.lineEdit()
        if editor is not None:
            editor.setPlaceholderText(_("Type or pick a reason"))
        layout.addWidget(self.reason)
        hint = QLabel(_("It comes back only if the condition gets worse."), self)
        hint.setObjectName("Muted")
        layout.addWidget(hint)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self
        )
        self.ok = _label_buttons(self.buttons, _("Dismiss"))
        self.ok.setEnabled(False)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        self.reason.currentTextChanged.connect(lambda text: self.ok.setEnabled(bool(text.strip())))
        layout.addWidget(self.buttons)
        self.resize(480, self.sizeHint().height())

    def text(self) -> str:
        return self.reason.currentText().strip()


def _label_buttons(buttons: QDialogButtonBox, ok_text: str) -> QPushButton:
    """Our own words on the buttons (Qt's are untranslated without its catalogs); room for the bold default."""
    ok = buttons.button(QDialogButtonBox.StandardButton.Ok)
    ok.setText(ok_text)
    buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(_("Cancel"))
    for button in (ok, buttons.button(QDialogButtonBox.StandardButton.Cancel)):
        button.setMinimumWidth(button.fontMetrics().horizontalAdvance(button.text()) + 3 * theme.S4)
    return ok


def _qdate(day: date) -> QDate:
    return QDate(day.year, day.month, day.day)
