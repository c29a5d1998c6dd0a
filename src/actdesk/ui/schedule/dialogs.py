"""Quick-add and mark-done dialogs, built in code. They return domain values; the controller writes them."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta, tzinfo
from typing import cast

from PySide6.QtCore import QDate, QTime
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QSpinBox,
    QTimeEdit,
    QVBoxLayout,
    QWidget,
)

from actdesk.domain.enums import ActivityKind
from actdesk.domain.models import Activity
from actdesk.domain.schedule import recurrence
from actdesk.domain.schedule.config import ActivityType
from actdesk.domain.schedule.occurrences import Occurrence
from actdesk.i18n import N_, _, format_date, user_message
from actdesk.ui import icons, theme
from actdesk.ui.qt_locale import localize_edit

REPEATS = (
    ("none", N_("Does not repeat")),
    ("weekly", N_("Every N weeks")),
    ("monthly", N_("Every N months")),
    ("nth_weekday", N_("Same weekday of the month (e.g. third Monday)")),
    ("anniversary", N_("Every N months on the client anniversary")),
)
ORDINALS = (N_("first"), N_("second"), N_("third"), N_("fourth"), N_("last"))


class QuickAddDialog(QDialog):
    """New activity in a few keystrokes: household, type, subject, when; repeating if asked."""

    def __init__(
        self,
        households: dict[int, str],
        anniversaries: dict[int, date | None],
        types: dict[str, ActivityType],
        tz: tzinfo,
        when: datetime,
        household_id: int | None = None,
        default_minutes: int = 60,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("QuickAddDialog")
        self.setWindowTitle(_("New activity"))
        self.setMinimumWidth(460)
        self.tz, self.anniversaries = tz, anniversaries
        self.household = QComboBox(self)
        self.household.setEditable(True)
        self.household.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        for hid, name in sorted(households.items(), key=lambda kv: kv[1].lower()):
            self.household.addItem(name, hid)
        # The household in focus, or none (never the alphabetically first one): the advisor chooses.
        self.household.setCurrentIndex(
            self.household.findData(household_id) if household_id is not None else -1
        )
        self.kind = QComboBox(self)
        for t in types.values():
            self.kind.addItem(icons.icon(t.icon, t.colour), _(t.label), t.kind)
        self.subject = QLineEdit(self)
        self.subject.setPlaceholderText(_("e.g. Review the 2026 plan"))
        local = when.astimezone(tz)
        self.day = QDateEdit(QDate(local.year, local.month, local.day), self)
        self.day.setCalendarPopup(True)
        localize_edit(self.day)
        self.at = QTimeEdit(QTime(local.hour, local.minute), self)
        localize_edit(self.at)
        self.all_day = QCheckBox(_("All day"), self)
        self.all_day.toggled.connect(self.at.setDisabled)
        self.minutes = QSpinBox(self)
        self.minutes.setRange(0, 24 * 60)
        self.minutes.setSingleStep(15)
        self.minutes.setValue(default_minutes)
        self.minutes.setSuffix(" " + _("min"))
        self.repeat = QComboBox(self)
        for key, label in REPEATS:
            self.repeat.addItem(_(label), key)
        self.interval = QSpinBox(self)
        self.interval.setRange(1, 24)
        self.repeat_hint = QLabel(self)
        self.repeat_hint.setObjectName("Muted")
        self.location = QLineEdit(self)
        self.notes = QPlainTextEdit(self)
        self.notes.setFixedHeight(64)
        self.error = QLabel(self)
        self.error.setObjectName("FieldError")
        self.error.hide()

        when_row = QHBoxLayout()
        when_row.setSpacing(theme.S2)
        for w in (self.day, self.at, self.all_day, self.minutes):
            when_row.addWidget(w)
        repeat_row = QHBoxLayout()
        repeat_row.addWidget(self.repeat, 1)
        repeat_row.addWidget(self.interval)
        form = self.form = QFormLayout()
        form.setSpacing(theme.S2)
        form.addRow(_("Household"), self.household)
        form.addRow(_("Type"), self.kind)
        form.addRow(_("Subject"), self.subject)
        form.addRow(_("When"), when_row)
        form.addRow(_("Repeats"), repeat_row)
        form.addRow("", self.repeat_hint)
        form.addRow(_("Location"), self.location)
        form.addRow(_("Notes"), self.notes)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel, self
        )
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(theme.S4, theme.S4, theme.S4, theme.S4)
        layout.addLayout(form)
        layout.addWidget(self.error)
        layout.addWidget(buttons)
        for signal in (
            self.repeat.currentIndexChanged,
            self.interval.valueChanged,
            self.day.dateChanged,
            self.household.currentIndexChanged,
        ):
            signal.connect(self._update_hint)
        self.kind.currentIndexChanged.connect(self._kind_changed)
        self._update_hint()
        self.subject.setFocus()

    def _kind_changed(self) -> None:
        if self.kind.currentData() == ActivityKind.REVIEW.value and self.repeat.currentData() == "none":
            self.repeat.setCurrentIndex(self.repeat.findData("anniversary"))
            self.interval.setValue(6)

    def _start(self) -> datetime:
        d = cast(date, self.day.date().toPython())
        if self.all_day.isChecked():
            return datetime.combine(d, time.min, tzinfo=UTC)
        return datetime.combine(d, cast(time, self.at.time().toPython()), tzinfo=self.tz)

    def rule(self) -> tuple[str | None, datetime]:
        """The RRULE and the series start the choices mean (the anniversary moves the start to its day)."""
        key, n = self.repeat.currentData(), self.interval.value()
        start = self._start()
        if key == "weekly":
            return recurrence.every(n, "weeks"), start
        if key == "monthly":
            return recurrence.every(n, "months"), start
        if key == "nth_weekday":
            local = start.astimezone(self.tz).date()
            position = (local.day - 1) // 7 + 1
            last = (local + timedelta(days=7)).month != local.month
            return recurrence.nth_weekday(
                -1 if last and position >= 4 else position, local.weekday(), interval_months=n
            ), start
        if key == "anniversary":
            anniversary = self.anniversaries.get(self.household.currentData())
            if anniversary is None:
                return recurrence.every(n, "months"), start
            local = start.astimezone(self.tz)
            first = recurrence.anniversary_start(anniversary, local.date(), n, local.time(), self.tz)
            return recurrence.anniversary_rule(anniversary, n), first
        return None, start

    def _update_hint(self) -> None:
        key = self.repeat.currentData()
        self.interval.setVisible(key != "none")
        try:
            rule, start = self.rule()
        except recurrence.RuleError as exc:
            self.repeat_hint.setText(user_message(exc))
            return
        if rule is None:
            self.repeat_hint.setText("")
            return
        local = start.astimezone(self.tz)
        if key == "nth_weekday":
            position = (local.day - 1) // 7
            last = (local.date() + timedelta(days=7)).month != local.month and position >= 3
            ordinal = _(ORDINALS[4 if last else position])
            text = _("The {ordinal} {weekday} of every {n} month(s)").format(
                ordinal=ordinal, weekday=format_date(local.date(), "EEEE"), n=self.interval.value()
            )
        elif key == "anniversary" and self.anniversaries.get(self.household.currentData()) is None:
            text = _("This household has no client anniversary; repeats from the chosen day.")
        else:
            text = _("First on {day}").format(day=format_date(local.date(), "full"))
        self.repeat_hint.setText(text)

    def activity(self) -> Activity | None:
        """The activity described, or None with the reason shown in the dialog."""
        hid = self.household.currentData()
        if hid is None or self.household.currentText() != self.household.itemText(
            self.household.currentIndex()
        ):
            self._fail(_("Choose a household from the list."))
            return None
        subject = self.subject.text().strip()
        if not subject:
            self._fail(_("Give the activity a subject."))
            return None
        rule, start = self.rule()
        return Activity(
            household_id=int(hid),
            kind=ActivityKind(self.kind.currentData()),
            subject=subject,
            start=start,
            duration_minutes=None if self.all_day.isChecked() else self.minutes.value() or None,
            rrule=rule,
            location=self.location.text().strip() or None,
            notes=self.notes.toPlainText().strip() or None,
            all_day=self.all_day.isChecked(),
        )

    def _fail(self, message: str) -> None:
        self.error.setText(message)
        self.error.show()
        return None

    def accept(self) -> None:
        if self.activity() is not None:
            super().accept()


class DoneDialog(QDialog):
    """Mark done with the outcome in one step."""

    def __init__(self, occ: Occurrence, household: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("DoneDialog")
        self.setWindowTitle(_("Mark as done"))
        self.setMinimumWidth(420)
        title = QLabel(f"{occ.subject} · {household}", self)
        title.setObjectName("SectionTitle")
        title.setWordWrap(True)
        self.outcome = QPlainTextEdit(self)
        self.outcome.setPlaceholderText(_("What happened, what was agreed, the next step…"))
        buttons = QDialogButtonBox(self)
        done = buttons.addButton(_("Mark done"), QDialogButtonBox.ButtonRole.AcceptRole)
        done.setDefault(True)
        done.setMinimumWidth(done.fontMetrics().horizontalAdvance(done.text()) + 2 * theme.S6)
        buttons.addButton(QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(theme.S4, theme.S4, theme.S4, theme.S4)
        layout.addWidget(title)
        layout.addWidget(QLabel(_("Outcome"), self))
        layout.addWidget(self.outcome)
        layout.addWidget(buttons)
        self.outcome.setFocus()

    def text(self) -> str:
        return self.outcome.toPlainText().strip()
