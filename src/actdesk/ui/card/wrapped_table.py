"""A card table of wrapped text (notes) that says when its width changed, so its rows are measured again.

The card fills its tables while its page is still hidden (the first card, a card loading): wrapped rows
measured then, at a hidden table's narrow width, came out many lines too tall once shown. Moving the
splitter changes the width too.
"""

from __future__ import annotations

from PySide6.QtCore import QTimer, Signal
from PySide6.QtGui import QResizeEvent
from PySide6.QtWidgets import QTableView


class WrappedTable(QTableView):
    sig_width_changed = Signal()

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        if event.size().width() != event.oldSize().width():  # once the header has spread the columns
            QTimer.singleShot(0, self, self.sig_width_changed.emit)
