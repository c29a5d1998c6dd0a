"""Date picking for the editor's date fields: the field stays typeable (and may stay empty, a birth date is
often unknown), and a calendar button in it opens a month calendar that writes the chosen day."""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import QDate, QLocale
from PySide6.QtWidgets import QCalendarWidget, QLineEdit, QMenu, QWidgetAction

from actdesk.domain.validation import FieldError, parse_date
from actdesk.formats import current_locale
from actdesk.i18n import _
from actdesk.ui import icons, theme
from actdesk.ui.card.widgets_text import date_text, number_style


class DatePicker:
    """Adds the calendar button to ``edit``; ``popup()`` opens it (what the button does)."""

    def __init__(self, edit: QLineEdit) -> None:
        self.edit = edit
        self.calendar = QCalendarWidget()
        self.calendar.setObjectName(f"{edit.objectName()}_calendar")
        self.calendar.setLocale(QLocale(current_locale()))
        self.calendar.setGridVisible(False)
        self.menu = QMenu(edit)
        holder = QWidgetAction(self.menu)
        holder.setDefaultWidget(self.calendar)
        self.menu.addAction(holder)
        self.calendar.clicked.connect(self.choose)
        self.calendar.activated.connect(self.choose)
        self.action = edit.addAction(
            icons.icon("calendar", theme.colors().muted), QLineEdit.ActionPosition.TrailingPosition
        )
        self.action.setToolTip(_("Pick a date"))
        self.action.triggered.connect(self.popup)

    def popup(self) -> QMenu:
        try:
            current = parse_date(self.edit.text(), number_style())
        except FieldError:
            current = None
        day = current or date.today()
        self.calendar.setSelectedDate(QDate(day.year, day.month, day.day))
        self.menu.popup(self.edit.mapToGlobal(self.edit.rect().bottomLeft()))
        return self.menu

    def choose(self, picked: QDate) -> None:
        self.edit.setText(date_text(date(picked.year(), picked.month(), picked.day())))
        self.edit.textEdited.emit(self.edit.text())  # clears a shown error, like typing does
        self.menu.close()


def add_date_picker(edit: QLineEdit) -> DatePicker:
    picker = DatePicker(edit)
    edit.setProperty("has_date_picker", True)
    edit.date_picker = picker  # type: ignore[attr-defined]  # kept alive with the field
    return picker
