"""The one question the board must ask: why was this opportunity lost?"""

from __future__ import annotations

from PySide6.QtWidgets import QComboBox, QDialog, QDialogButtonBox, QLabel, QVBoxLayout, QWidget

from actdesk.i18n import N_, _
from actdesk.ui import theme

COMMON_REASONS = (
    N_("Chose another advisor"),
    N_("Fees too high"),
    N_("Not ready to move assets"),
    N_("Stayed with current provider"),
    N_("Not a fit for the practice"),
    N_("No longer responding"),
)


class LostReasonDialog(QDialog):
    """Pick a common reason or type one; OK stays disabled until there is one."""

    def __init__(self, household: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(_("Why was it lost?"))
        self.setMinimumWidth(420)
        text = QLabel(
            _("Record why {household} said no. Reasons lost add up to what to change.").format(
                household=household
            ),
            self,
        )
        text.setWordWrap(True)
        self.reason = QComboBox(self)
        self.reason.setObjectName("lost_reason")
        self.reason.setEditable(True)
        self.reason.addItems([_(r) for r in COMMON_REASONS])
        self.reason.setCurrentIndex(-1)
        if (line := self.reason.lineEdit()) is not None:
            line.setPlaceholderText(_("Reason (required)"))
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, parent=self
        )
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setText(_("Mark as lost"))
        self.buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(_("Cancel"))
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        self.reason.currentTextChanged.connect(self._changed)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(theme.S6, theme.S4, theme.S6, theme.S4)
        layout.setSpacing(theme.S3)
        layout.addWidget(text)
        layout.addWidget(self.reason)
        layout.addWidget(self.buttons)
        self._changed("")

    def _changed(self, text: str) -> None:
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setEnabled(bool(text.strip()))

    def value(self) -> str:
        return self.reason.currentText().strip()
