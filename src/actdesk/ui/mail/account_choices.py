"""The parts of the mail account screen: a choice card, a provider's sign-in page, the "other" page."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QComboBox,
    QFormLayout,
    QFrame,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QSizePolicy,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from actdesk.i18n import _, format_datetime
from actdesk.services.mail.autodiscover import Discovered, discover
from actdesk.services.mail.config import MailSettings
from actdesk.services.mail.oauth_errors import provider_name
from actdesk.services.mail.status import MailStatus
from actdesk.ui import theme
from actdesk.ui.context import AppContext


class ChoiceCard(QPushButton):
    """A large checkable button: a title and one line saying who it is for."""

    def __init__(self, title: str, subtitle: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setCheckable(True)
        self.setAccessibleName(title)
        self.setMinimumHeight(96)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(theme.S3, theme.S2, theme.S3, theme.S2)
        self.title = QLabel(title, self)
        self.title.setObjectName("SectionTitle")
        self.subtitle = QLabel(subtitle, self)
        self.subtitle.setObjectName("Muted")
        self.subtitle.setWordWrap(True)
        layout.addWidget(self.title)
        layout.addWidget(self.subtitle)
        c = theme.colors()
        self.setStyleSheet(
            f"QPushButton {{ text-align: left; border: 1px solid {c.border}; border-radius: 8px; }}"
            f"QPushButton:checked {{ border: 2px solid {c.accent}; background: {c.surface_alt}; }}"
        )


def _status_label(parent: QWidget) -> QLabel:
    label = QLabel("", parent)
    label.setWordWrap(True)
    return label


class ProviderPage(QFrame):
    """Sign in with Microsoft or Google; the sending method (Microsoft); the app registration (advanced)."""

    def __init__(self, provider: str, cfg: MailSettings, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.provider = provider
        self.setObjectName("Card")
        name = provider_name(provider)
        self.state = _status_label(self)
        self.sign_in_button = QPushButton(_("Sign in with {name}…").format(name=name), self)
        self.sign_in_button.setObjectName("Primary")
        self.cancel_button = QPushButton(_("Cancel sign-in"), self)
        self.cancel_button.hide()
        self.note = _status_label(self)
        self.note.hide()
        buttons = QHBoxLayout()
        buttons.addWidget(self.sign_in_button)
        buttons.addWidget(self.cancel_button)
        buttons.addStretch(1)
        form = QFormLayout()
        form.setSpacing(theme.S2)
        self.transport = QComboBox(self)
        if provider == "microsoft":
            self.transport.addItem(_("SMTP (smtp.office365.com)"), "smtp")
            self.transport.addItem(_("Microsoft Graph (when SMTP is turned off)"), "graph")
            self.transport.setCurrentIndex(1 if cfg.transport == "graph" else 0)
            form.addRow(_("Send with"), self.transport)
            self.client_id = QLineEdit(cfg.microsoft_client_id, self)
            self.tenant = QLineEdit(cfg.microsoft_authority, self)
            form.addRow(_("App (client) id"), self.client_id)
            form.addRow(_("Sign-in address"), self.tenant)
        else:
            self.transport.hide()
            self.client_id = QLineEdit(cfg.google_client_id, self)
            self.tenant = QLineEdit(cfg.google_client_secret, self)
            form.addRow(_("App (client) id"), self.client_id)
            form.addRow(_("Client secret"), self.tenant)
        self.client_id.setPlaceholderText(_("your firm's app registration (docs/email.md)"))
        help_text = QLabel(_("The app id comes from your firm's registration in Microsoft Entra or Google Cloud; "
                             "your administrator can give it to you."), self)  # fmt: skip
        help_text.setObjectName("Muted")
        help_text.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(theme.S4, theme.S3, theme.S4, theme.S3)
        layout.setSpacing(theme.S2)
        layout.addWidget(self.state)
        layout.addLayout(buttons)
        layout.addWidget(self.note)
        layout.addLayout(form)
        layout.addWidget(help_text)

    def apply(self, cfg: MailSettings) -> None:
        if self.provider == "microsoft":
            cfg.microsoft_client_id = self.client_id.text().strip()
            cfg.microsoft_authority = self.tenant.text().strip() or cfg.microsoft_authority
            cfg.transport = str(self.transport.currentData())
        else:
            cfg.google_client_id = self.client_id.text().strip()
            cfg.google_client_secret = self.tenant.text().strip()

    def show_status(self, status: MailStatus) -> None:
        if status.provider != self.provider:
            self.state.setText(
                _("Not in use. Sign in to send with {name}.").format(name=provider_name(self.provider))
            )
        elif status.signed_in:
            text = _("Signed in as {account}.").format(account=status.signed_in_as)
            if status.token_expires_at:
                text += " " + _("Access renewed until {when}.").format(
                    when=format_datetime(status.token_expires_at, "short"))  # fmt: skip
            self.state.setText(text)
        else:
            self.state.setText(status.paused_reason or _("Not signed in."))

    def waiting(self, on: bool) -> None:
        self.sign_in_button.setEnabled(not on)
        self.cancel_button.setVisible(on)
        if on:
            self.message(_("Finish signing in in your browser…"), ok=True)

    def message(self, text: str, ok: bool) -> None:
        self.note.setText(text)
        self.note.setStyleSheet(f"color: {theme.SUCCESS if ok else theme.colors().danger}")
        self.note.show()


class OtherPage(QFrame):
    """Another provider: find the servers from the address (optional), then the server and password dialog."""

    def __init__(self, ctx: AppContext, cfg: MailSettings, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.tasks = ctx.tasks
        self.setObjectName("Card")
        self.address = QLineEdit(cfg.from_addr or cfg.user, self)
        self.address.setPlaceholderText("pat@harbor-wealth.com")
        self.find_button = QPushButton(_("Find settings"), self)
        self.find_button.clicked.connect(self.find_servers)
        self.imap_host = QLineEdit(cfg.imap_host, self)
        self.imap_host.setPlaceholderText("imap.example.com")
        self.imap_port = QSpinBox(self)
        self.imap_port.setRange(1, 65535)
        self.imap_port.setValue(int(cfg.imap_port))
        self.imap_security = QComboBox(self)
        self.imap_security.addItem(_("SSL/TLS (port 993)"), "ssl")
        self.imap_security.addItem(_("STARTTLS (port 143)"), "starttls")
        self.imap_security.setCurrentIndex(1 if cfg.imap_security == "starttls" else 0)
        self.server_button = QPushButton(_("Sending server and password…"), self)
        self.server_button.clicked.connect(self.open_server_dialog)
        self.found = _status_label(self)
        self.found.setObjectName("Muted")
        sending = f"{cfg.host}:{cfg.port} ({cfg.user})" if cfg.host and cfg.provider == "password" else ""
        self.sending = QLabel(sending or _("Not set up yet."), self)
        self.discovered: Discovered | None = None
        row = QHBoxLayout()
        row.addWidget(self.address, 1)
        row.addWidget(self.find_button)
        imap_row = QHBoxLayout()
        imap_row.addWidget(self.imap_host, 1)
        imap_row.addWidget(self.imap_port)
        imap_row.addWidget(self.imap_security)
        form = QFormLayout(self)
        form.setContentsMargins(theme.S4, theme.S3, theme.S4, theme.S3)
        form.addRow(_("Address"), row)
        form.addRow(self.found)
        form.addRow(_("Incoming (IMAP)"), imap_row)
        server_row = QHBoxLayout()
        server_row.addWidget(self.sending, 1)
        server_row.addWidget(self.server_button)
        form.addRow(_("Sending (SMTP)"), server_row)

    def find_servers(self) -> None:
        address = self.address.text().strip()
        self.found.setText(_("Looking up the settings…"))
        self.tasks.run_task(
            lambda _s: discover(address),
            on_done=self._found,
            on_error=lambda e: self._found(None),
            pool="compute",
            owner=self,
        )

    def _found(self, found: Discovered | None) -> None:
        self.discovered = found
        if found is None:
            self.found.setText(
                _("No published settings were found (or the lookup is offline); enter them by hand.")
            )
        elif found.provider != "password":
            self.found.setText(_("This address is hosted by {name}: choose it above and sign in.").format(
                name=provider_name(found.provider)))  # fmt: skip
        else:
            self.imap_host.setText(found.imap_host)
            self.imap_port.setValue(found.imap_port)
            self.imap_security.setCurrentIndex(1 if found.imap_security == "starttls" else 0)
            self.found.setText(_("Found: sending {smtp}, incoming {imap}. Check them, then enter the password.")
                               .format(smtp=f"{found.smtp_host}:{found.smtp_port}",
                                       imap=f"{found.imap_host}:{found.imap_port}"))  # fmt: skip

    def apply(self, cfg: MailSettings) -> MailSettings:
        cfg.provider, cfg.transport = "password", "smtp"
        cfg.imap_host = self.imap_host.text().strip()
        cfg.imap_port = self.imap_port.value()
        cfg.imap_security = str(self.imap_security.currentData())
        d = self.discovered
        if d is not None and d.provider == "password" and d.smtp_host and not cfg.host:
            cfg.host, cfg.port, cfg.security = d.smtp_host, d.smtp_port, d.smtp_security
            cfg.user = cfg.user or d.username
        return cfg

    def open_server_dialog(self) -> None:
        from actdesk.ui.mail.account_dialog import AccountDialog

        self.dialog = AccountDialog(self.ctx, self)
        self.dialog.open()
