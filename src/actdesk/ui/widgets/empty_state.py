"""A designed empty state: icon, a sentence saying why it is empty, and the action that fills it."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from actdesk.ui import icons, theme


class EmptyState(QWidget):
    sig_action_triggered = Signal(str)  # the action's key

    def __init__(
        self,
        icon_name: str,
        title: str,
        text: str,
        actions: list[tuple[str, str]] | None = None,
        parent: QWidget | None = None,
    ) -> None:
        """``actions`` are (key, label) pairs; the first one is the primary button."""
        super().__init__(parent)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(theme.S6, theme.S6, theme.S6, theme.S6)
        layout.setSpacing(theme.S3)
        layout.addStretch(1)
        self.icon_label = QLabel(self)
        self.icon_label.setPixmap(icons.pixmap(icon_name, 48, theme.colors().muted))
        self.icon_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.title_label = QLabel(title, self)
        self.title_label.setObjectName("SectionTitle")
        self.title_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.text_label = QLabel(text, self)
        self.text_label.setObjectName("Muted")
        self.text_label.setWordWrap(True)
        self.text_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        layout.addWidget(self.icon_label)
        layout.addWidget(self.title_label)
        layout.addWidget(self.text_label)
        self.buttons: dict[str, QPushButton] = {}
        if actions:
            row = QHBoxLayout()
            row.setSpacing(theme.S2)
            row.addStretch(1)
            for i, (key, label) in enumerate(actions):
                button = QPushButton(label, self)
                if i == 0:
                    button.setObjectName("Primary")
                button.clicked.connect(lambda _c=False, k=key: self.sig_action_triggered.emit(k))
                self.buttons[key] = button
                row.addWidget(button)
            row.addStretch(1)
            layout.addSpacing(theme.S2)
            layout.addLayout(row)
        layout.addStretch(2)

    def set_text(self, title: str, text: str) -> None:
        self.title_label.setText(title)
        self.text_label.setText(text)
