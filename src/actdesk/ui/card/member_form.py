"""The form of one household member inside the editor: every contact field with its error line."""

from __future__ import annotations

from decimal import Decimal

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFormLayout,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QWidget,
)

from actdesk.domain.enums import ContactRole
from actdesk.domain.models import Contact
from actdesk.i18n import _
from actdesk.ui import icons, theme
from actdesk.ui.card.date_picker import add_date_picker
from actdesk.ui.card.member_tile import RISK_LABELS, ROLE_LABELS
from actdesk.ui.card.widgets_text import amount_text, date_hint, date_text, number_style, plain_amount
from actdesk.ui.widgets import FieldWithError

TEXT_FIELDS = (
    "first_name",
    "last_name",
    "email",
    "phone",
    "birth_date",
    "occupation",
    "address",
    "city",
    "region",
    "postal_code",
    "country",
    "income",
    "net_worth",
)


class MemberForm(QWidget):
    sig_remove_requested = Signal(object)  # self

    def __init__(self, contact: Contact | None = None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.contact_id = contact.id if contact else None
        self.fields: dict[str, FieldWithError] = {}
        labels = {
            "first_name": _("First name"),
            "last_name": _("Last name"),
            "email": _("E-mail"),
            "phone": _("Phone"),
            "birth_date": _("Birth date"),
            "occupation": _("Occupation"),
            "address": _("Street address"),
            "city": _("City"),
            "region": _("State / region"),
            "postal_code": _("Postal code"),
            "country": _("Country"),
            "income": _("Yearly income"),
            "net_worth": _("Net worth"),
        }
        for key in TEXT_FIELDS:
            edit = QLineEdit(self)
            edit.setObjectName(f"member_{key}")
            self.fields[key] = FieldWithError(edit, self)
        self.fields["birth_date"].editor.setPlaceholderText(date_hint())  # type: ignore[union-attr]
        add_date_picker(self.fields["birth_date"].editor)  # type: ignore[arg-type]
        for key in ("income", "net_worth"):
            money = self.fields[key].editor
            money.setPlaceholderText(amount_text(Decimal(250000)))  # type: ignore[union-attr]
            money.editingFinished.connect(lambda e=money: _reformat_money(e))  # type: ignore[union-attr]
        self.fields["email"].editor.setPlaceholderText("name@example.com")  # type: ignore[union-attr]
        role = QComboBox(self)
        role.setObjectName("member_role")
        for value, label in ROLE_LABELS.items():
            role.addItem(_(label), value.value)
        self.fields["role"] = FieldWithError(role, self)
        risk = QComboBox(self)
        risk.setObjectName("member_risk_tolerance")
        risk.addItem(_("Not set"), "")
        for risk_value, risk_label in RISK_LABELS.items():
            risk.addItem(_(risk_label), risk_value.value)
        self.fields["risk_tolerance"] = FieldWithError(risk, self)
        self.do_not_email = QCheckBox(_("Do not send e-mail to this person"), self)
        self.fields["do_not_email"] = FieldWithError(self.do_not_email, self)

        grid = QGridLayout(self)
        grid.setContentsMargins(theme.S3, theme.S3, theme.S3, theme.S3)
        grid.setHorizontalSpacing(theme.S4)
        grid.setVerticalSpacing(theme.S1)
        left = QFormLayout()
        right = QFormLayout()
        for form in (left, right):
            form.setVerticalSpacing(theme.S2)
            form.setHorizontalSpacing(theme.S3)
        for key in ("first_name", "last_name", "role", "email", "phone", "birth_date", "occupation"):
            left.addRow(QLabel(labels.get(key, _("Role")), self), self.fields[key])
        for key in ("address", "city", "region", "postal_code", "country", "income", "net_worth"):
            right.addRow(QLabel(labels[key], self), self.fields[key])
        right.addRow(QLabel(_("Risk tolerance"), self), self.fields["risk_tolerance"])
        grid.addLayout(left, 0, 0)
        grid.addLayout(right, 0, 1)
        bottom = QHBoxLayout()
        bottom.addWidget(self.fields["do_not_email"])
        bottom.addStretch(1)
        self.remove_button = QPushButton(
            icons.icon("delete", theme.colors().danger), _("Remove member"), self
        )
        self.remove_button.setObjectName("Danger")
        self.remove_button.clicked.connect(lambda: self.sig_remove_requested.emit(self))
        bottom.addWidget(self.remove_button)
        grid.addLayout(bottom, 1, 0, 1, 2)
        grid.setColumnStretch(0, 1)
        grid.setColumnStretch(1, 1)
        if contact:
            self.fill(contact)

    def fill(self, c: Contact) -> None:
        values = {
            "first_name": c.first_name,
            "last_name": c.last_name,
            "email": c.email or "",
            "phone": c.phone or "",
            "birth_date": date_text(c.birth_date),
            "occupation": c.occupation or "",
            "address": c.address or "",
            "city": c.city or "",
            "region": c.region or "",
            "postal_code": c.postal_code or "",
            "country": c.country or "",
            "income": amount_text(c.income),
            "net_worth": amount_text(c.net_worth),
            "role": c.role.value,
            "risk_tolerance": c.risk_tolerance.value if c.risk_tolerance else "",
            "do_not_email": "1" if c.do_not_email else "",
        }
        for key, value in values.items():
            self.fields[key].set_text(value)

    def values(self) -> dict[str, str]:
        values = {key: f.text() for key, f in self.fields.items()}
        for key in ("income", "net_worth"):
            values[key] = plain_amount(values[key])
        return values

    def set_errors(self, errors: dict[str, str]) -> None:
        for key, field in self.fields.items():
            field.set_error(errors.get(key))

    def title(self) -> str:
        name = f"{self.fields['first_name'].text()} {self.fields['last_name'].text()}".strip()
        return name or _("New member")

    @staticmethod
    def default_role(existing: int) -> str:
        return (
            ContactRole.PRIMARY
            if existing == 0
            else ContactRole.SPOUSE
            if existing == 1
            else ContactRole.CHILD
        ).value


def _reformat_money(edit: QLineEdit) -> None:
    """Typed "95000" shows as "$95,000" once the advisor leaves the field (left as typed if unreadable)."""
    from actdesk.domain.validation import FieldError, parse_amount

    try:
        value = parse_amount(plain_amount(edit.text()), number_style())
    except FieldError:
        return
    edit.setText(amount_text(value))
