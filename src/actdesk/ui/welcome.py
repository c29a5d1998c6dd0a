"""First run: three ways to start (the demo book, an empty book, an import of existing clients).

The welcome only asks; the main window acts on the request signals (the import wizard belongs to the
imports feature and the demo book to the demo generator).
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QCheckBox, QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from actdesk.i18n import _
from actdesk.ui import icons, theme


class ChoiceButton(QPushButton):
    """A large button with an icon, a title and one sentence saying what happens."""

    def __init__(self, icon_name: str, title: str, text: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("Choice")
        self.setFixedSize(272, 224)
        self.setAccessibleName(title)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(theme.S4, theme.S4, theme.S4, theme.S4)
        layout.setSpacing(theme.S2)
        pic = QLabel(self)
        pic.setPixmap(icons.pixmap(icon_name, 32, theme.colors().accent))
        heading = QLabel(title, self)
        heading.setWordWrap(True)
        heading.setStyleSheet(f"font-size: {theme.SUBTITLE_SIZE}pt; font-weight: 600;")
        body = QLabel(text, self)
        body.setObjectName("Muted")
        body.setWordWrap(True)
        for label in (pic, heading, body):
            label.setAttribute(Qt.WidgetAttribute.WA_TransparentForMouseEvents)
        layout.addWidget(pic)
        layout.addWidget(heading)
        layout.addWidget(body)
        layout.addStretch(1)


class Welcome(QWidget):
    sig_demo_requested = Signal()
    sig_empty_requested = Signal()
    sig_import_requested = Signal()

    def __init__(
        self,
        *,
        demo_available: bool = True,
        import_available: bool = True,
        encryption_available: bool = False,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("Welcome")
        c = theme.colors()
        self.setStyleSheet(
            f"QPushButton#Choice {{ background: {c.surface}; border: 1px solid {c.border}; border-radius: 12px;"
            f" text-align: left; }}"
            f" QPushButton#Choice:hover, QPushButton#Choice:focus {{ border: 2px solid {c.accent}; }}"
        )
        outer = QVBoxLayout(self)
        outer.setContentsMargins(theme.S6 * 2, theme.S6, theme.S6 * 2, theme.S6)
        outer.addStretch(1)
        logo = QLabel(self)
        logo.setPixmap(icons.pixmap("book", 48, c.accent))
        logo.setAlignment(Qt.AlignmentFlag.AlignCenter)
        title = QLabel(_("Welcome to actdesk"), self)
        title.setObjectName("CardTitle")
        title.setStyleSheet("font-size: 22pt;")
        title.setAlignment(Qt.AlignmentFlag.AlignCenter)
        subtitle = QLabel(
            _(
                "Your book of business, on your laptop: households, accounts, reviews and follow-ups, even offline. "
                "How would you like to start?"
            ),
            self,
        )
        subtitle.setObjectName("Muted")
        subtitle.setWordWrap(True)
        subtitle.setAlignment(Qt.AlignmentFlag.AlignCenter)
        subtitle.setFixedWidth(620)
        subtitle.setMinimumHeight(subtitle.heightForWidth(620))
        outer.addWidget(logo)
        outer.addSpacing(theme.S2)
        outer.addWidget(title)
        outer.addWidget(subtitle, 0, Qt.AlignmentFlag.AlignHCenter)
        outer.addSpacing(theme.S6)

        row = QHBoxLayout()
        row.setSpacing(theme.S4)
        self.demo_button = ChoiceButton(
            "sparkles",
            _("Explore the demo book"),
            _(
                "A realistic practice of invented households, ten years of balances, reviews and referrals. "
                "Nothing real is touched."
            ),
            self,
        )
        self.empty_button = ChoiceButton(
            "book",
            _("Start with an empty book"),
            _("Add your households one by one. You can import later."),
            self,
        )
        self.import_button = ChoiceButton(
            "import",
            _("Import my clients"),
            _("Bring them in from Redtail, Wealthbox, Google Contacts, a vCard or a CSV file."),
            self,
        )
        self.demo_button.clicked.connect(self.sig_demo_requested)
        self.empty_button.clicked.connect(self.sig_empty_requested)
        self.import_button.clicked.connect(self.sig_import_requested)
        self.demo_button.setVisible(demo_available)
        self.import_button.setVisible(import_available)
        row.addStretch(1)
        for button in (self.demo_button, self.empty_button, self.import_button):
            row.addWidget(button)
        row.addStretch(1)
        outer.addLayout(row)
        outer.addSpacing(theme.S4)
        self.encrypt_box = QCheckBox(_("Protect this book with encryption"), self)
        self.encrypt_box.setObjectName("encrypt_book")
        self.encrypt_box.setToolTip(
            _(
                "The book file is encrypted on this disk. Its key stays in this computer's keyring, or in a "
                "passphrase you choose when there is none."
            )
        )
        self.encrypt_box.setVisible(encryption_available)
        outer.addWidget(self.encrypt_box, 0, Qt.AlignmentFlag.AlignHCenter)
        outer.addSpacing(theme.S4)
        self.note = QLabel(
            _("Your data stays in a file on this computer. Preferences, Backups shows where."), self
        )
        self.note.setObjectName("Muted")
        self.note.setAlignment(Qt.AlignmentFlag.AlignCenter)
        outer.addWidget(self.note)
        self.progress = QLabel(self)
        self.progress.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.progress.hide()
        outer.addWidget(self.progress)
        outer.addStretch(2)

    def set_busy(self, message: str | None) -> None:
        """While the demo book is built: say so, and keep the buttons from being pressed twice."""
        for button in (self.demo_button, self.empty_button, self.import_button, self.encrypt_box):
            button.setEnabled(message is None)
        self.progress.setText(message or "")
        self.progress.setVisible(bool(message))

    def wants_encryption(self) -> bool:
        return self.encrypt_box.isVisibleTo(self) and self.encrypt_box.isChecked()
