"""The card's client periods (issue 20): since when the household has been a client, each period (joined,
left and why; returned on …), the tenure with every period added up, and recording a departure or a return
in place, with the same rules and messages as ``actdesk household leave | return``.

The dialog stays open on a refusal (a return before the departure, an empty reason) with what was typed,
and says why; nothing is written until the book accepts it.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from actdesk.domain.analytics.periods import ClientPeriod, first_joined, tenure_years
from actdesk.domain.enums import HouseholdStatus
from actdesk.domain.models import Household
from actdesk.domain.validation import FieldError, parse_date
from actdesk.formats import format_date, format_number
from actdesk.i18n import _, user_message
from actdesk.services.card import record_departure, record_return
from actdesk.storage.errors import ValidationError
from actdesk.ui import icons, theme
from actdesk.ui.card.date_picker import add_date_picker
from actdesk.ui.card.widgets_text import date_text, number_style
from actdesk.ui.context import AppContext
from actdesk.ui.topics import Topic


def period_lines(periods: list[ClientPeriod]) -> list[str]:
    """One line per period, oldest first: "Client from … to …: reason", then "Returned on …"."""
    lines = []
    for n, p in enumerate(periods):
        if p.end is not None:
            lines.append(
                _("Client from {start} to {end}: {reason}").format(
                    start=format_date(p.start), end=format_date(p.end), reason=p.reason or "—"
                )
            )
        elif n > 0:
            lines.append(_("Returned on {date}").format(date=format_date(p.start)))
    return lines


def headline(periods: list[ClientPeriod], today: date) -> str:
    """ "Client since <first day> · 10.9 years as a client" (every period added up)."""
    first = first_joined(periods)
    if first is None:
        return ""
    years = format_number(round(tenure_years(periods, today), 1), 1)
    return " · ".join(
        (
            _("Client since {date}").format(date=format_date(first)),
            _("{years} years as a client in all").format(years=years),
        )
    )


class PeriodDialog(QDialog):
    """Asks for the day (and, for a departure, the reason); ``submit`` records it and answers through
    ``refused`` (stays open, says why) or ``accept``."""

    def __init__(
        self,
        household: Household,
        leaving: bool,
        today: date,
        submit: Callable[[date, str], None],
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.leaving = leaving
        self.submit = submit
        self.setWindowTitle(_("Record departure") if leaving else _("Record return"))
        layout = QVBoxLayout(self)
        layout.setSpacing(theme.S2)
        intro = QLabel(
            (
                _("{household} leaves as a client: it becomes a former client, and its period is kept.")
                if leaving
                else _(
                    "{household} comes back as a client: a new client period opens, the earlier one stays."
                )
            ).format(household=household.name),
            self,
        )
        intro.setWordWrap(True)
        layout.addWidget(intro)
        form = QFormLayout()
        self.day_edit = QLineEdit(date_text(today), self)
        self.day_edit.setObjectName("period_day")
        add_date_picker(self.day_edit)
        form.addRow(
            _("First day no longer a client") if leaving else _("First day as a client again"), self.day_edit
        )
        self.reason_edit = QLineEdit(self)
        self.reason_edit.setPlaceholderText(_("Fees, moved away, passed away…"))
        if leaving:
            form.addRow(_("Why the household left"), self.reason_edit)
        else:
            self.reason_edit.hide()
        layout.addLayout(form)
        self.error = QLabel(self)
        self.error.setObjectName("Error")
        self.error.setStyleSheet(f"color: {theme.colors().danger};")
        self.error.setWordWrap(True)
        self.error.hide()
        layout.addWidget(self.error)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel, self)
        self.ok_button = buttons.addButton(
            _("Record departure") if leaving else _("Record return"), QDialogButtonBox.ButtonRole.AcceptRole
        )
        self.ok_button.setDefault(True)
        cancel = buttons.button(QDialogButtonBox.StandardButton.Cancel)
        cancel.setText(_("Cancel"))  # Qt's own words are untranslated without its catalogues
        for button in (self.ok_button, cancel):  # room for the bold default button's text
            button.setMinimumWidth(button.fontMetrics().horizontalAdvance(button.text()) + 3 * theme.S4)
        self.ok_button.clicked.connect(self.ask)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self.resize(480, self.sizeHint().height())
        self.day_edit.textEdited.connect(lambda _t: self.error.hide())
        self.reason_edit.textEdited.connect(lambda _t: self.error.hide())

    def ask(self) -> None:
        try:
            day = parse_date(self.day_edit.text(), number_style())
        except FieldError:
            day = None
        if day is None:
            self.refused(_("Enter a date, e.g. {example}").format(example=date_text(date(2026, 3, 31))))
            return
        self.ok_button.setEnabled(False)
        self.submit(day, self.reason_edit.text())

    def refused(self, message: str) -> None:
        self.ok_button.setEnabled(True)
        self.error.setText(message)
        self.error.show()


def refusal(error: BaseException) -> str:
    """The reasons of a refusal without the field names ("date: …" reads as "…")."""
    if isinstance(error, ValidationError):
        return "\n".join(why for _where, why in error.errors)
    return user_message(error)


class PeriodsBox(QWidget):
    """The card's history as a client, with the departure or return action that applies."""

    sig_saved = Signal(int)  # household id: a departure or a return was recorded

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.household: Household | None = None
        self.today = date.today()
        self.dialog: PeriodDialog | None = None
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(theme.S1)
        self.headline = QLabel(self)
        self.headline.setWordWrap(True)
        self.headline.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.lines = QLabel(self)
        self.lines.setObjectName("Muted")
        self.lines.setWordWrap(True)
        row = QHBoxLayout()
        row.setSpacing(theme.S2)
        self.leave_button = QPushButton(icons.icon("close"), _("Record departure…"), self)
        self.leave_button.setToolTip(_("This client left: record the day and the reason"))
        self.return_button = QPushButton(icons.icon("add"), _("Record return…"), self)
        self.return_button.setToolTip(_("This former client came back: a new client period opens"))
        self.leave_button.clicked.connect(lambda: self.open_dialog(leaving=True))
        self.return_button.clicked.connect(lambda: self.open_dialog(leaving=False))
        row.addWidget(self.headline, 1)
        row.addWidget(self.leave_button, 0, Qt.AlignmentFlag.AlignTop)
        row.addWidget(self.return_button, 0, Qt.AlignmentFlag.AlignTop)
        layout.addLayout(row)
        layout.addWidget(self.lines)

    def set_data(self, household: Household, periods: list[ClientPeriod], today: date) -> None:
        self.household, self.today = household, today
        status = household.status
        self.headline.setText(headline(periods, today))
        lines = period_lines(periods)
        self.lines.setText("\n".join(lines))
        self.lines.setVisible(bool(lines))
        writable = not self.ctx.read_only
        self.leave_button.setVisible(writable and status is HouseholdStatus.CLIENT and bool(periods))
        self.return_button.setVisible(writable and status is HouseholdStatus.FORMER_CLIENT and bool(periods))
        self.setVisible(bool(periods))

    def open_dialog(self, *, leaving: bool) -> PeriodDialog | None:
        if self.household is None or self.household.id is None:
            return None
        self.dialog = PeriodDialog(self.household, leaving, self.today, self._submit, self)
        self.dialog.setWindowModality(Qt.WindowModality.WindowModal)
        self.dialog.open()
        return self.dialog

    def _submit(self, day: date, reason: str) -> None:
        dialog, household = self.dialog, self.household
        if dialog is None or household is None or household.id is None:
            return
        hid = household.id

        def done(_periods: list[ClientPeriod]) -> None:
            dialog.accept()
            self.dialog = None
            self.ctx.signals.data_changed.emit(Topic.HOUSEHOLDS)
            self.sig_saved.emit(hid)

        if dialog.leaving:
            self.ctx.tasks.run_task(
                record_departure,
                self.ctx.book,
                hid,
                day,
                reason,
                on_done=done,
                on_error=lambda e: dialog.refused(refusal(e)),
                owner=self,
            )
        else:
            self.ctx.tasks.run_task(
                record_return,
                self.ctx.book,
                hid,
                day,
                on_done=done,
                on_error=lambda e: dialog.refused(refusal(e)),
                owner=self,
            )
