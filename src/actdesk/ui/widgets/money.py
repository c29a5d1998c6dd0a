"""A label that shows an amount in the locale's money format, right-aligned, cents optional."""

from __future__ import annotations

from decimal import Decimal

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QWidget

from actdesk.i18n import format_money


class MoneyLabel(QLabel):
    def __init__(
        self, value: Decimal | None = None, *, cents: bool = True, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self._cents = cents
        self.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        self.set_value(value)

    def set_value(self, value: Decimal | None) -> None:
        self.value = value
        self.setText(format_money(value, cents=self._cents) if value is not None else "—")
