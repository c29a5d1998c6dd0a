"""The status bar's message line: a transient sentence that is never cut off mid-word.

``QStatusBar.showMessage`` clips a long sentence at the permanent widgets (the book's path), which cut Spanish
messages at 1280 px. While a message shows, the book's path steps aside and the message has the whole bar; a
sentence longer still ends in "…" with the whole of it in the tooltip.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QResizeEvent
from PySide6.QtWidgets import QLabel, QSizePolicy, QWidget


class StatusLine(QLabel):
    def __init__(self, companion: QWidget | None = None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("status_line")
        self.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        self.setTextFormat(Qt.TextFormat.PlainText)
        self.companion = companion  # hidden while a message shows (the book's path)
        self.message = ""
        self._timer = QTimer(self, singleShot=True)
        self._timer.timeout.connect(self.clear_message)

    def show_message(self, text: str, msecs: int = 8000) -> None:
        self.message = text
        if self.companion is not None:
            self.companion.setVisible(not text)
        self._show()
        if text and msecs > 0:
            self._timer.start(msecs)
        else:
            self._timer.stop()

    def clear_message(self) -> None:
        self.show_message("", 0)

    def _show(self) -> None:
        room = self.contentsRect().width()
        shown = self.fontMetrics().elidedText(self.message, Qt.TextElideMode.ElideRight, max(room, 0))
        self.setText(shown if room > 0 else self.message)
        self.setToolTip(self.message if shown != self.message else "")

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._show()
