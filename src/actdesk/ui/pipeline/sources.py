"""Acquisition: cost and wins per source, cost to serve against revenue per segment, and recording spend."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from PySide6.QtCore import QDate, Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QDoubleSpinBox,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from actdesk.domain.validation import FieldError, parse_amount
from actdesk.i18n import N_, _, format_money, ngettext, user_message
from actdesk.services.pipeline import Acquisition
from actdesk.ui import icons, theme
from actdesk.ui.card.widgets_text import amount_text, number_style, plain_amount
from actdesk.ui.pipeline.models import SourceModel, TextFilterProxy, warning_color
from actdesk.ui.qt_locale import localize_edit

# Offered in the window's language (the stored source is what the advisor picked or typed).
KNOWN_SOURCES = (
    N_("Referral"),
    N_("Seminar"),
    N_("Advertising"),
    N_("Center of influence"),
    N_("Website"),
    N_("Existing client"),
)


def _table(model: object, parent: QWidget, name: str) -> QTableView:
    proxy = TextFilterProxy(parent)
    proxy.setSourceModel(model)  # type: ignore[arg-type]
    view = QTableView(parent)
    view.setObjectName(name)
    view.setModel(proxy)
    view.setSortingEnabled(True)
    view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    view.setAlternatingRowColors(True)
    view.verticalHeader().hide()
    head = view.horizontalHeader()
    head.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
    head.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
    head.setMinimumSectionSize(72)
    return view


def fit_rows(view: QTableView, rows: int) -> None:
    """As tall as its rows (up to 12), so short tables do not leave a blank box."""
    height = view.horizontalHeader().sizeHint().height() + view.verticalHeader().defaultSectionSize() * min(
        rows, 12
    )
    view.setFixedHeight(height + 2 * view.frameWidth() + 2)


class SpendDialog(QDialog):
    """Record money and hours spent on one source (a seminar, an ad, lunches with a CPA)."""

    def __init__(self, sources: list[str], today: date, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(_("Record prospecting spend"))
        self.setMinimumWidth(400)
        self.source = QComboBox(self)
        self.source.setEditable(True)
        self.source.addItems(sorted(set(sources) | {_(s) for s in KNOWN_SOURCES}, key=str.casefold))
        self.source.setCurrentIndex(-1)
        if (line := self.source.lineEdit()) is not None:
            line.setPlaceholderText(_("e.g. Seminar"))
        self.amount = QLineEdit(self)
        self.amount.setPlaceholderText(_("e.g. {amount}").format(amount=amount_text(Decimal("1200.50"))))
        self.amount.setAlignment(Qt.AlignmentFlag.AlignRight)
        self.day = QDateEdit(QDate(today.year, today.month, today.day), self)
        self.day.setCalendarPopup(True)
        localize_edit(self.day)
        self.hours = QDoubleSpinBox(self)
        self.hours.setRange(0, 10_000)
        self.hours.setDecimals(1)
        self.hours.setSuffix(_(" h"))
        self.error = QLabel(self)
        self.error.setObjectName("FieldError")
        form = QFormLayout()
        form.addRow(_("Source"), self.source)
        form.addRow(_("Money spent"), self.amount)
        form.addRow(_("Date"), self.day)
        form.addRow(_("Hours spent"), self.hours)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, parent=self
        )
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText(_("Record"))
        buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(_("Cancel"))
        buttons.accepted.connect(self._accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(theme.S6, theme.S4, theme.S6, theme.S4)
        layout.addLayout(form)
        layout.addWidget(self.error)
        layout.addWidget(buttons)

    def values(self) -> tuple[str, date, Decimal, float]:
        """Raises ValueError with a message for the advisor."""
        source = self.source.currentText().strip()
        if not source:
            raise ValueError(_("Say which source this was spent on."))
        try:  # as the advisor types money in the window's language ("1,200.50", "1.200,50", "$1,200")
            amount = parse_amount(plain_amount(self.amount.text()), number_style()) or Decimal(0)
        except FieldError as exc:
            raise ValueError(_("Money spent: {problem}").format(problem=exc)) from None
        if amount < 0:
            raise ValueError(_("Money spent cannot be negative."))
        return source, self.day.date().toPython(), amount, self.hours.value()  # type: ignore[return-value]

    def _accept(self) -> None:
        try:
            self.values()
        except ValueError as exc:
            self.error.setText(user_message(exc))
            return
        self.accept()


class SourcesView(QWidget):
    sig_record_spend_requested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.model = SourceModel(self)
        self.table = _table(self.model, self, "sources_table")
        self.table.sortByColumn(2, Qt.SortOrder.DescendingOrder)
        title = QLabel(_("Where clients come from"), self)
        title.setObjectName("SectionTitle")
        record = QPushButton(icons.icon("add"), _("Record spend"), self)
        record.setObjectName("record_spend")
        record.clicked.connect(self.sig_record_spend_requested)
        head = QHBoxLayout()
        head.addWidget(title, 1)
        head.addWidget(record)
        note = QLabel(
            _(
                "Win rate: won ÷ (won + lost). Cycle: average days from first record to won. Spent: money "
                "plus hours at the hourly cost in the settings."
            ),
            self,
        )
        note.setObjectName("Muted")
        note.setWordWrap(True)
        serve_title = QLabel(_("Cost to serve versus revenue, last 12 months"), self)
        serve_title.setObjectName("SectionTitle")
        self.segments = QLabel(self)
        self.segments.setTextFormat(Qt.TextFormat.RichText)
        self.segments.setWordWrap(True)
        self.unprofitable = QLabel(self)
        self.unprofitable.setWordWrap(True)
        self.unprofitable.setObjectName("Muted")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, theme.S3, 0, 0)
        layout.setSpacing(theme.S2)
        layout.addLayout(head)
        layout.addWidget(self.table)
        layout.addWidget(note)
        layout.addWidget(serve_title)
        layout.addWidget(self.segments)
        layout.addWidget(self.unprofitable)
        layout.addStretch(1)

    def set_result(self, result: Acquisition) -> None:
        self.model.set_rows(result.sources)
        fit_rows(self.table, max(3, len(result.sources)))
        c = theme.colors()
        cells = "".join(
            f"<th align='right' style='padding:4px 16px; color:{c.muted}'>{h}</th>"
            for h in (_("Households"), _("Revenue"), _("Cost to serve"), _("Cost more than they pay"))
        )
        rows = "".join(
            f"<tr><td style='padding:4px 16px 4px 0'><b>{_('Segment {name}').format(name=s.segment)}</b></td>"
            f"<td align='right' style='padding:4px 16px'>{s.households}</td>"
            f"<td align='right' style='padding:4px 16px'>{format_money(s.revenue, cents=False)}</td>"
            f"<td align='right' style='padding:4px 16px'>{format_money(s.cost, cents=False)}</td>"
            f"<td align='right' style='padding:4px 16px; color:{warning_color() if s.unprofitable else c.text}'>"
            f"{s.unprofitable}</td></tr>"
            for s in result.segments
        )
        self.segments.setText(f"<table cellspacing='0'><tr><th></th>{cells}</tr>{rows}</table>")
        losing = [r for r in result.costs if r.unprofitable]
        if not losing:
            self.unprofitable.setText(_("Every client household pays more than it costs to serve."))
            return
        names = ", ".join(
            _("{name} (costs {cost}, pays {revenue})").format(
                name=r.name,
                cost=format_money(r.cost, cents=False),
                revenue=format_money(r.revenue, cents=False),
            )
            for r in losing[:6]
        )
        self.unprofitable.setText(
            ngettext(
                "{n} household costs more to serve than it pays: {names}",
                "{n} households cost more to serve than they pay: {names}",
                len(losing),
            ).format(n=len(losing), names=names)
        )
