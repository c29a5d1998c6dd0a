"""The merge-field picker (fields in words, grouped) and the preview frame that looks like the e-mail."""

from __future__ import annotations

import html as html_lib

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QFont
from PySide6.QtWidgets import (
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from actdesk.i18n import N_, _
from actdesk.services.mail.merge_fields import COMMON, merge_fields
from actdesk.ui import theme

NAME_ROLE = Qt.ItemDataRole.UserRole + 1
# The starter templates, as the advisor calls them (the stored name stays the file name).
TEMPLATE_LABELS = {
    "birthday": N_("Birthday wishes"),
    "client_anniversary": N_("Client anniversary"),
    "event_invitation": N_("Event invitation"),
    "event_reminder": N_("Event reminder"),
    "newsletter": N_("Newsletter"),
    "referral_request": N_("Referral request"),
    "review_reminder": N_("Review reminder"),
}


def template_label(name: str) -> str:
    """A template's name for people: a starter's translated title, an advisor's own name as typed."""
    return _(TEMPLATE_LABELS[name]) if name in TEMPLATE_LABELS else name.replace("_", " ").capitalize()


class FieldPicker(QWidget):
    """Fields listed by what they mean ("First name"); Insert (or a double-click) writes the placeholder."""

    sig_insert_requested = Signal(str)  # the placeholder, e.g. "{{ contact.first_name }}"

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.search = QLineEdit(self)
        self.search.setObjectName("field_search")
        self.search.setPlaceholderText(_("Find a field"))
        self.search.setClearButtonEnabled(True)
        self.search.textChanged.connect(self._filter)
        self.list = QListWidget(self)
        self.list.setObjectName("merge_fields")
        bold = QFont()
        bold.setBold(True)
        fields = merge_fields()
        common = [f for f in fields if f.name in COMMON]
        rest = [f for f in fields if f.name not in COMMON]
        order = {label: i for i, label in enumerate(dict.fromkeys(f.group for f in rest))}
        sections = [(_("Most used"), common)] + [
            (group, [f for f in rest if f.group == group]) for group in sorted(order, key=order.__getitem__)
        ]
        for title_text, members in sections:
            header = QListWidgetItem(title_text, self.list)
            header.setFlags(Qt.ItemFlag.NoItemFlags)
            header.setFont(bold)
            for field in members:
                item = QListWidgetItem("  " + field.label, self.list)
                item.setData(NAME_ROLE, field.placeholder)
                item.setToolTip(_("Inserts {placeholder}").format(placeholder=field.placeholder))
        self.list.itemDoubleClicked.connect(self._insert_item)
        self.insert_button = QPushButton(_("Insert field"), self)
        self.insert_button.setObjectName("insert_field")
        self.insert_button.clicked.connect(lambda: self._insert_item(self.list.currentItem()))
        title = QLabel(_("Merge fields"), self)
        title.setObjectName("Muted")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(theme.S2)
        layout.addWidget(title)
        layout.addWidget(self.search)
        layout.addWidget(self.list, 1)
        layout.addWidget(self.insert_button)
        self.setMaximumWidth(250)

    def labels(self) -> list[str]:
        return [
            self.list.item(i).text().strip()
            for i in range(self.list.count())
            if self.list.item(i).data(NAME_ROLE) is not None
        ]

    def select(self, label: str) -> None:
        for i in range(self.list.count()):
            if self.list.item(i).text().strip() == label and self.list.item(i).data(NAME_ROLE):
                self.list.setCurrentRow(i)
                return

    def _filter(self, text: str) -> None:
        needle = text.casefold().strip()
        for i in range(self.list.count()):
            item = self.list.item(i)
            is_field = item.data(NAME_ROLE) is not None
            item.setHidden(bool(needle) and (not is_field or needle not in item.text().casefold()))

    def _insert_item(self, item: QListWidgetItem | None) -> None:
        if item is not None and item.data(NAME_ROLE):
            self.sig_insert_requested.emit(str(item.data(NAME_ROLE)))


def email_html(sender: str, recipient: str, subject: str, body_html: str | None, body_text: str) -> str:
    """The preview as a mail program shows it: From, To and Subject above the message."""
    c = theme.colors()
    rows = "".join(
        f"<tr><td style='color:{c.muted};padding:2px 12px 2px 0'>{html_lib.escape(k)}</td>"
        f"<td style='padding:2px 0'>{html_lib.escape(v)}</td></tr>"
        for k, v in ((_("From"), sender), (_("To"), recipient), (_("Subject"), subject))
    )
    body = body_html if body_html else f"<div style='white-space:pre-wrap'>{html_lib.escape(body_text)}</div>"
    return (
        f"<table cellspacing='0' style='margin-bottom:8px'>{rows}</table>"
        f"<hr style='border:0;border-top:1px solid {c.border}'/>{body}"
    )
