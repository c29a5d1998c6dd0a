"""One household member on the contact card: every contact field that has a value, label by label."""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFrame, QGridLayout, QHBoxLayout, QLabel, QVBoxLayout, QWidget

from actdesk.domain.enums import ContactRole, RiskTolerance
from actdesk.domain.models import Contact
from actdesk.i18n import N_, _, format_date, format_money
from actdesk.ui import theme

ROLE_LABELS = {
    ContactRole.PRIMARY: N_("Primary"),
    ContactRole.SPOUSE: N_("Spouse"),
    ContactRole.CHILD: N_("Child"),
    ContactRole.HEIR: N_("Heir"),
    ContactRole.OTHER: N_("Other"),
}
RISK_LABELS = {
    RiskTolerance.CONSERVATIVE: N_("Conservative"),
    RiskTolerance.MODERATE: N_("Moderate"),
    RiskTolerance.GROWTH: N_("Growth"),
    RiskTolerance.AGGRESSIVE: N_("Aggressive"),
}


def age_on(birth: date, today: date) -> int:
    return today.year - birth.year - ((today.month, today.day) < (birth.month, birth.day))


class MemberTile(QFrame):
    """One member with every contact field that has a value, as label/value rows (fits a narrow card)."""

    def __init__(self, contact: Contact, today: date, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("Card")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(theme.S4, theme.S3, theme.S4, theme.S3)
        layout.setSpacing(theme.S2)
        head = QHBoxLayout()
        name = QLabel(f"<b>{_escape(contact.full_name)}</b>", self)
        role = QLabel(_(ROLE_LABELS.get(contact.role, N_("Other"))), self)
        role.setObjectName("Chip")
        head.addWidget(name)
        head.addWidget(role)
        head.addStretch(1)
        if contact.do_not_email:
            flag = QLabel(_("Do not e-mail"), self)
            flag.setObjectName("Chip")
            flag.setStyleSheet(f"color: {theme.colors().danger};")
            head.addWidget(flag)
        layout.addLayout(head)
        fields: list[tuple[str, str]] = []
        if contact.email:
            fields.append((_("E-mail"), contact.email))
        if contact.phone:
            fields.append((_("Phone"), contact.phone))
        if contact.birth_date:
            fields.append(
                (
                    _("Born"),
                    _("{date} (age {age})").format(
                        date=format_date(contact.birth_date), age=age_on(contact.birth_date, today)
                    ),
                )
            )
        address = ", ".join(
            p
            for p in (contact.address, contact.city, contact.region, contact.postal_code, contact.country)
            if p
        )
        if address:
            fields.append((_("Address"), address))
        if contact.occupation:
            fields.append((_("Occupation"), contact.occupation))
        if contact.income is not None:
            fields.append((_("Income"), format_money(contact.income)))
        if contact.net_worth is not None:
            fields.append((_("Net worth"), format_money(contact.net_worth)))
        if contact.risk_tolerance:
            fields.append((_("Risk tolerance"), _(RISK_LABELS[contact.risk_tolerance])))
        grid = QGridLayout()
        grid.setHorizontalSpacing(theme.S3)
        grid.setVerticalSpacing(theme.S1)
        for row, (caption, value) in enumerate(fields):
            cap = QLabel(caption, self)
            cap.setObjectName("Muted")
            val = QLabel(value, self)
            val.setTextFormat(Qt.TextFormat.PlainText)  # what was typed or imported, never markup
            val.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            val.setWordWrap(True)
            grid.addWidget(cap, row, 0, Qt.AlignmentFlag.AlignTop)
            grid.addWidget(val, row, 1, Qt.AlignmentFlag.AlignTop)
        captions = (
            _("E-mail"),
            _("Phone"),
            _("Born"),
            _("Address"),
            _("Occupation"),
            _("Income"),
            _("Net worth"),
            _("Risk tolerance"),
        )
        metrics = self.fontMetrics()
        grid.setColumnMinimumWidth(0, max(metrics.horizontalAdvance(c) for c in captions) + theme.S1)
        grid.setColumnStretch(1, 1)
        layout.addLayout(grid)


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
