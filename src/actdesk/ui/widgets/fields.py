"""An input with its validation message right under it, so the advisor sees what to fix where it is."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)

Editor = QLineEdit | QComboBox | QPlainTextEdit | QCheckBox


class FieldWithError(QWidget):
    """Wraps one editor; ``set_error("...")`` shows the message in red and marks the editor invalid."""

    def __init__(self, editor: Editor, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.editor = editor
        self.error_label = QLabel(self)
        self.error_label.setObjectName("FieldError")
        self.error_label.setWordWrap(True)
        self.error_label.hide()
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(2)
        layout.addWidget(editor)
        layout.addWidget(self.error_label)
        if isinstance(editor, QLineEdit):
            editor.textEdited.connect(lambda _text: self.clear_error())
        elif isinstance(editor, QComboBox):
            editor.currentIndexChanged.connect(lambda _i: self.clear_error())
        elif isinstance(editor, QPlainTextEdit):
            editor.textChanged.connect(self.clear_error)

    def text(self) -> str:
        e = self.editor
        if isinstance(e, QLineEdit):
            return e.text()
        if isinstance(e, QComboBox):
            data = e.currentData()
            return "" if data is None else str(data)
        if isinstance(e, QCheckBox):
            return "1" if e.isChecked() else ""
        return e.toPlainText()

    def set_text(self, value: str) -> None:
        e = self.editor
        if isinstance(e, QLineEdit):
            e.setText(value)
        elif isinstance(e, QComboBox):
            index = e.findData(value)
            e.setCurrentIndex(max(index, 0))
        elif isinstance(e, QCheckBox):
            e.setChecked(value in ("1", "true"))
        else:
            e.setPlainText(value)

    @property
    def error(self) -> str:
        return self.error_label.text() if self.error_label.isVisibleTo(self) else ""

    def set_error(self, message: str | None) -> None:
        if not message:
            self.clear_error()
            return
        self.error_label.setText(message)
        self.error_label.show()
        self.editor.setToolTip(message)
        self._mark(True)

    def clear_error(self) -> None:
        if self.error_label.isHidden():
            return
        self.error_label.hide()
        self.error_label.clear()
        self.editor.setToolTip("")
        self._mark(False)

    def _mark(self, invalid: bool) -> None:
        self.editor.setProperty("invalid", invalid)
        style = self.editor.style()
        style.unpolish(self.editor)
        style.polish(self.editor)
