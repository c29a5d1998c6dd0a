"""A vertical scroll area whose minimum width is what its content needs.

A ``QScrollArea`` reports a tiny minimum size, so a splitter can squeeze it below the width of its rows
(buttons, tiles) and, with no sideways scrolling, cut them. This one asks its widget instead, so the splitter
stops where the content would start to be cut, whatever the style, font and language.
"""

from __future__ import annotations

from PySide6.QtCore import QSize
from PySide6.QtWidgets import QScrollArea, QWidget


class WidthFollowingScrollArea(QScrollArea):
    def __init__(self, floor: int = 0, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.floor = floor

    def minimumSizeHint(self) -> QSize:
        hint = super().minimumSizeHint()
        content = self.widget()
        if content is None:
            return hint
        need = (
            content.minimumSizeHint().width()
            + 2 * self.frameWidth()
            + self.verticalScrollBar().sizeHint().width()
        )
        return QSize(max(hint.width(), need, self.floor), hint.height())

    def content_changed(self) -> None:
        """Call after the content's rows changed: the layouts above learn the new minimum."""
        self.updateGeometry()
