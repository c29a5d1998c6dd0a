"""A combo box whose current text ends in "…" when the box is narrower than it, with the whole text in the
tooltip, and whose drop-down list is wide enough to show every item whole.

A plain ``QComboBox`` in a squeezed row clips its text mid-letter ("Florentino Montenegro Trillo — Monteneg"),
with nothing telling the reader that more is hidden.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QPaintEvent, QResizeEvent
from PySide6.QtWidgets import QComboBox, QStyle, QStyleOptionComboBox, QStylePainter, QWidget


class ElidingComboBox(QComboBox):
    def __init__(self, parent: QWidget | None = None, *, min_chars: int = 20) -> None:
        super().__init__(parent)
        # the box asks for room for ``min_chars`` characters, not for its longest item (which would widen the row)
        self.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        self.setMinimumContentsLength(min_chars)
        self.currentIndexChanged.connect(lambda _i: self.refresh_tooltip())

    def _option(self) -> QStyleOptionComboBox:
        option = QStyleOptionComboBox()
        self.initStyleOption(option)
        return option

    def text_room(self) -> int:
        """Pixels the style gives the current text (the edit field, less the arrow and the frame)."""
        option = self._option()
        rect = self.style().subControlRect(
            QStyle.ComplexControl.CC_ComboBox, option, QStyle.SubControl.SC_ComboBoxEditField, self
        )
        return rect.width()

    def shown_text(self) -> str:
        """The current text as drawn: whole when it fits, else cut with "…"."""
        return self.fontMetrics().elidedText(
            self.currentText(), Qt.TextElideMode.ElideRight, self.text_room()
        )

    def is_elided(self) -> bool:
        return self.shown_text() != self.currentText()

    def refresh_tooltip(self) -> None:
        """The whole text as tooltip while it is cut (call after filling the box with signals blocked)."""
        self.setToolTip(self.currentText() if self.is_elided() else "")

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self.refresh_tooltip()

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QStylePainter(self)
        option = self._option()
        painter.drawComplexControl(QStyle.ComplexControl.CC_ComboBox, option)
        option.currentText = self.shown_text()
        painter.drawControl(QStyle.ControlElement.CE_ComboBoxLabel, option)

    def showPopup(self) -> None:
        """The list opens as wide as its longest item (within the screen), so every name reads whole there."""
        view = self.view()
        need = view.sizeHintForColumn(0) + view.verticalScrollBar().sizeHint().width() + 2 * view.frameWidth()
        screen = self.screen().availableGeometry().width() if self.screen() is not None else need
        view.setMinimumWidth(min(max(need, self.width()), screen))
        super().showPopup()
