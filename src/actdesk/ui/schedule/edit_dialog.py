"""Edit an existing activity, or one occurrence of a series, with the problems shown beside their fields.

For a repeating activity, Save asks what the change applies to (only this one, this and following, all),
as calendar applications do; series-wide changes (type, household, contact, repetition, timing) cannot be
made to one occurrence alone, so that choice is then disabled and says why.
"""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, time, tzinfo
from typing import Any, cast

from PySide6.QtCore import QDate, QTime
from PySide6.QtWidgets import (
    QComboBox,
    QLabel,
    QMessageBox,
    QPlainTextEdit,
    QPushButton,
    QWidget,
)

from actdesk.domain.enums import ActivityKind
from actdesk.domain.models import Activity
from actdesk.domain.schedule.config import ActivityType
from actdesk.domain.schedule.occurrences import Occurrence
from actdesk.i18n import _, format_date, ngettext
from actdesk.storage.repositories.activity_series import SERIES_ONLY_FIELDS, Scope
from actdesk.ui import theme
from actdesk.ui.schedule.dialogs import QuickAddDialog

_UNITS = {"DAILY": "day", "WEEKLY": "week", "MONTHLY": "month", "YEARLY": "year"}


def describe_rule(rule: str, tz: tzinfo) -> str:
    """The repetition in words an advisor reads at a glance ("every 2 weeks, 4 more times")."""
    parts = dict(p.split("=", 1) for p in rule.upper().split(";") if "=" in p)
    n = int(parts.get("INTERVAL", "1") or 1)
    unit = _UNITS.get(parts.get("FREQ", ""), "")
    texts = {
        "day": ngettext("every day", "every {n} days", n),
        "week": ngettext("every week", "every {n} weeks", n),
        "month": ngettext("every month", "every {n} months", n),
        "year": ngettext("every year", "every {n} years", n),
    }
    text = texts.get(unit, _("repeats")).format(n=n)
    if "COUNT" in parts:
        count = int(parts["COUNT"])
        text += ", " + ngettext("{n} time", "{n} times", count).format(n=count)
    elif match := re.match(r"(\d{8})", parts.get("UNTIL", "")):
        until = datetime.strptime(match.group(1), "%Y%m%d").date()
        text += ", " + _("until {day}").format(day=format_date(until))
    return text[:1].upper() + text[1:]


class EditActivityDialog(QuickAddDialog):
    """Every field of an activity; returns only what changed (``changes``) and the scope chosen."""

    def __init__(
        self,
        activity: Activity,
        occ: Occurrence,
        households: dict[int, str],
        anniversaries: dict[int, date | None],
        contacts: dict[int, list[tuple[int, str]]],
        types: dict[str, ActivityType],
        tz: tzinfo,
        parent: QWidget | None = None,
    ) -> None:
        when = occ.start or datetime.combine(occ.due_date or date.today(), time(9), tzinfo=tz)
        super().__init__(
            households, anniversaries, types, tz, when, occ.household_id, occ.duration_minutes or 0, parent
        )
        self.setObjectName("EditActivityDialog")
        self.setWindowTitle(_("Edit activity"))
        self.original, self.occ, self.contacts = activity, occ, contacts
        self.scope: Scope = Scope.ALL
        self.scope_box: QMessageBox | None = None
        self.scope_buttons: dict[Scope, QPushButton] = {}

        self.timing = QComboBox(self)
        self.timing.addItem(_("At a time"), "timed")
        self.timing.addItem(_("Due by a date (no time)"), "due")
        self.contact = QComboBox(self)
        self.outcome = QPlainTextEdit(self)
        self.outcome.setFixedHeight(64)
        self.outcome.setPlaceholderText(_("What happened, what was agreed, the next step…"))
        form = self.form
        form.insertRow(1, _("Contact"), self.contact)
        form.insertRow(form.rowCount(), _("Outcome"), self.outcome)
        form.insertRow(self._row_of(self.day), _("Timing"), self.timing)
        self.field_errors: dict[str, QLabel] = {}
        for name, widget in (
            ("household_id", self.household),
            ("subject", self.subject),
            ("start", self.timing),
            ("rrule", self.repeat),
        ):
            label = QLabel(self)
            label.setObjectName("FieldError")
            label.setWordWrap(True)
            row, _role = cast(tuple[int, object], form.getWidgetPosition(widget))
            if row < 0:  # the widget sits inside a row layout
                row = self._row_of(widget)
            form.insertRow(row + 1, "", label)
            form.setRowVisible(label, False)
            self.field_errors[name] = label

        if activity.rrule:
            self.repeat.insertItem(
                0, _("As now: {rule}").format(rule=describe_rule(activity.rrule, tz)), "keep"
            )
            self.repeat.setCurrentIndex(0)
        self._fill()
        self.household.currentIndexChanged.connect(self._fill_contacts)
        self.timing.currentIndexChanged.connect(self._timing_changed)
        self.subject.textChanged.connect(lambda: self._clear("subject"))
        self.household.currentIndexChanged.connect(lambda: self._clear("household_id"))
        self.repeat.currentIndexChanged.connect(lambda: self._clear("rrule"))
        self._timing_changed()
        self._update_hint()

    def _row_of(self, widget: QWidget) -> int:
        for row in range(self.form.rowCount()):
            item = self.form.itemAt(row, self.form.ItemRole.FieldRole)
            layout = item.layout() if item is not None else None
            if layout is not None and layout.indexOf(widget) >= 0:
                return row
        return self.form.rowCount() - 1

    def _fill(self) -> None:
        occ = self.occ
        self.kind.setCurrentIndex(max(0, self.kind.findData(occ.kind)))
        self.subject.setText(occ.subject)
        if occ.start is None:
            self.timing.setCurrentIndex(1)
            day = occ.due_date or date.today()
        else:
            day = occ.start.astimezone(UTC if occ.all_day else self.tz).date()
            local = occ.start.astimezone(self.tz)
            self.at.setTime(QTime(local.hour, local.minute))
        self.day.setDate(QDate(day.year, day.month, day.day))
        self.all_day.setChecked(occ.all_day)
        self.minutes.setValue(occ.duration_minutes or 0)
        self.location.setText(occ.location or "")
        self.notes.setPlainText(occ.notes or "")
        self.outcome.setPlainText(occ.outcome or "")
        if not self.original.rrule:
            self.repeat.setCurrentIndex(self.repeat.findData("none"))
        self._fill_contacts()

    def _fill_contacts(self) -> None:
        current = self.contact.currentData() if self.contact.count() else self.occ.contact_id
        self.contact.clear()
        self.contact.addItem(_("Whole household"), None)
        for cid, name in self.contacts.get(self.household.currentData(), []):
            self.contact.addItem(name, cid)
        self.contact.setCurrentIndex(max(0, self.contact.findData(current)))

    def _timing_changed(self) -> None:
        due = self.timing.currentData() == "due"
        for w in (self.at, self.all_day, self.minutes):
            w.setVisible(not due)
        self.day.setToolTip(_("Due date") if due else "")
        self._clear("start")

    def _kind_changed(self) -> None:
        """Editing never changes the repetition behind the advisor's back (quick-add proposes one)."""

    def _update_hint(self) -> None:
        if self.repeat.currentData() == "keep":  # the series' own rule: no interval to pick, nothing to hint
            self.interval.hide()
            day = self.occ.day(self.tz) if self.occ.original_start is not None else None
            self.repeat_hint.setText(
                _("Editing the occurrence of {day}").format(day=format_date(day, "full")) if day else ""
            )
            return
        super()._update_hint()

    def rule(self) -> tuple[str | None, datetime]:
        if self.repeat.currentData() == "keep":
            return self.original.rrule, self._start()
        return super().rule()

    # -- validation at the field --
    def _clear(self, name: str) -> None:
        label = self.field_errors.get(name)
        if label is not None and label.text():
            label.setText("")
            self.form.setRowVisible(label, False)

    def _field_error(self, name: str, message: str) -> None:
        label = self.field_errors[name]
        label.setText(message)
        self.form.setRowVisible(label, True)

    def errors(self) -> dict[str, str]:
        found: dict[str, str] = {}
        hid = self.household.currentData()
        if hid is None or self.household.currentText() != self.household.itemText(
            self.household.currentIndex()
        ):
            found["household_id"] = _("Choose a household from the list.")
        if not self.subject.text().strip():
            found["subject"] = _("Give the activity a subject.")
        if self.timing.currentData() == "due" and self.repeat.currentData() != "none":
            found["rrule"] = _("A repeating activity needs a time; choose “At a time” or “Does not repeat”.")
        return found

    def changes(self) -> dict[str, Any]:
        """Only the fields the advisor changed, in repository terms."""
        occ = self.occ
        result: dict[str, object] = {}
        hid = int(self.household.currentData())
        if hid != occ.household_id:
            result["household_id"] = hid
        if self.contact.currentData() != occ.contact_id:
            result["contact_id"] = self.contact.currentData()
        if self.kind.currentData() != occ.kind:
            result["kind"] = ActivityKind(self.kind.currentData())
        for name, value in (
            ("subject", self.subject.text().strip()),
            ("location", self.location.text().strip() or None),
            ("notes", self.notes.toPlainText().strip() or None),
            ("outcome", self.outcome.toPlainText().strip() or None),
        ):
            if value != getattr(occ, name):
                result[name] = value
        rule, start = self.rule()
        if self.timing.currentData() == "due":
            due = self.day.date().toPython()
            if occ.start is not None:
                result.update(start=None, duration_minutes=None, all_day=False, due_date=due)
            elif due != occ.due_date:
                result["due_date"] = due
        else:
            if start != occ.start:
                result["start"] = start
            if self.all_day.isChecked() != occ.all_day:
                result["all_day"] = self.all_day.isChecked()
            minutes = None if self.all_day.isChecked() else self.minutes.value() or None
            if minutes != occ.duration_minutes:
                result["duration_minutes"] = minutes
            if occ.start is None:
                result["due_date"] = None
        if rule != self.original.rrule:
            result["rrule"] = rule
        return result

    def accept(self) -> None:
        errors = self.errors()
        for name in self.field_errors:
            self._clear(name)
        for name, message in errors.items():
            self._field_error(name, message)
        if errors:
            return
        if not self.changes():
            self.reject()  # nothing changed: nothing to write
            return
        if self.original.rrule and self.occ.original_start is not None:
            self._ask_scope()
            return
        super(QuickAddDialog, self).accept()

    def _ask_scope(self) -> None:
        box = QMessageBox(self)
        box.setWindowTitle(_("Change a repeating activity"))
        box.setText(
            _("Apply this change to which occurrences of “{subject}”?").format(subject=self.occ.subject)
        )
        labels = (
            (Scope.THIS, _("Only this one")),
            (Scope.FOLLOWING, _("This and following")),
            (Scope.ALL, _("All in the series")),
        )
        for scope, label in labels:
            button = box.addButton(label, QMessageBox.ButtonRole.AcceptRole)
            button.setMinimumWidth(button.fontMetrics().horizontalAdvance(label) + 2 * theme.S6)
            button.clicked.connect(lambda _c=False, sc=scope: self._scoped(sc))
            self.scope_buttons[scope] = button
        box.addButton(QMessageBox.StandardButton.Cancel)
        series_only = sorted(set(self.changes()) & SERIES_ONLY_FIELDS)
        if series_only:
            only = self.scope_buttons[Scope.THIS]
            only.setEnabled(False)
            box.setInformativeText(
                _("Type, household, contact, timing and repetition belong to the series, not to one date.")
            )
        self.scope_box = box
        box.open()

    def _scoped(self, scope: Scope) -> None:
        self.scope = scope
        super(QuickAddDialog, self).accept()
