"""The mail account dialog: server, security, login (password to the keyring), sender, limits, test message."""

from __future__ import annotations

from dataclasses import replace

from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from actdesk.formats import clip
from actdesk.i18n import _, user_message
from actdesk.paths import path_kind
from actdesk.services.mail import jobs
from actdesk.services.mail.config import (
    MIN_RETENTION_YEARS,
    MailConfigError,
    MailSettings,
    load_mail_settings,
    retention_warning,
    save_mail_settings,
    store_password,
)
from actdesk.ui import theme
from actdesk.ui.context import AppContext
from actdesk.ui.topics import Topic


class AccountDialog(QDialog):
    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.tasks = ctx.tasks
        self.setWindowTitle(_("Mail account"))
        self.setMinimumWidth(560)
        cfg = load_mail_settings(ctx.settings)
        self.host = QLineEdit(cfg.host, self)
        self.host.setPlaceholderText("smtp.office365.com")
        self.port = QSpinBox(self)
        self.port.setRange(1, 65535)
        self.port.setValue(int(cfg.port))
        self.security = QComboBox(self)
        self.security.addItem(_("STARTTLS (port 587)"), "starttls")
        self.security.addItem(_("SSL/TLS (port 465)"), "ssl")
        self.security.setCurrentIndex(0 if cfg.security != "ssl" else 1)
        self.security.currentIndexChanged.connect(self._security_changed)
        self.user = QLineEdit(cfg.user, self)
        self.password = QLineEdit(self)
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        self.password.setPlaceholderText(_("unchanged") if cfg.user else _("app password"))
        self.cafile = QLineEdit(cfg.cafile or "", self)
        self.cafile.setPlaceholderText(_("only for a server with its own certificate"))
        browse = QPushButton(_("Choose…"), self)
        browse.clicked.connect(self._browse)
        ca_row = QHBoxLayout()
        ca_row.addWidget(self.cafile, 1)
        ca_row.addWidget(browse)
        self.from_addr = QLineEdit(cfg.from_addr, self)
        self.from_addr.setPlaceholderText(_("same as the user name"))
        self.from_name = QLineEdit(cfg.from_name, self)
        self.signature = QLineEdit(cfg.signature, self)
        self.signature.setPlaceholderText(_("e.g. Pat Advisor, CFP® · Harbor Wealth · (555) 010-2000"))
        self.rate = QSpinBox(self)
        self.rate.setRange(1, 10_000)
        self.rate.setValue(cfg.rate_per_minute)
        self.rate.setSuffix(" " + _("per minute"))
        self.retention = QSpinBox(self)
        self.retention.setRange(1, 50)
        self.retention.setValue(cfg.retention_years)
        self.retention.setSuffix(" " + _("years"))
        self.insecure = QCheckBox(_("Allow a password store that keeps passwords in a plain file"), self)
        self.insecure.setChecked(cfg.allow_insecure_keyring)

        form = QFormLayout()
        form.setSpacing(theme.S2)
        form.addRow(_("Server"), self.host)
        form.addRow(_("Port"), self.port)
        form.addRow(_("Security"), self.security)
        form.addRow(_("User name"), self.user)
        form.addRow(_("Password"), self.password)
        form.addRow(_("Trusted certificate"), ca_row)
        form.addRow(_("Sender address"), self.from_addr)
        form.addRow(_("Sender name"), self.from_name)
        form.addRow(_("Signature"), self.signature)
        form.addRow(_("Sending limit"), self.rate)
        form.addRow(_("Keep sent mail"), self.retention)
        form.addRow("", self.insecure)

        note = QLabel(
            _(
                "The password is kept in the system keychain, never in actdesk's files. Microsoft 365 and Gmail "
                "need an app password."
            ),
            self,
        )
        note.setObjectName("Muted")
        note.setWordWrap(True)
        self.test_to = QLineEdit(self)
        self.test_to.setPlaceholderText(_("send a test message to…"))
        self.test_button = QPushButton(_("Send test message"), self)
        self.test_button.clicked.connect(self.send_test)
        test_row = QHBoxLayout()
        test_row.addWidget(self.test_to, 1)
        test_row.addWidget(self.test_button)
        self.status = QLabel(self)
        self.status.setWordWrap(True)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel, self
        )
        buttons.button(QDialogButtonBox.StandardButton.Save).setText(_("Save"))
        buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(_("Cancel"))
        buttons.accepted.connect(self.save)
        buttons.rejected.connect(self.reject)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(theme.S4, theme.S4, theme.S4, theme.S4)
        layout.setSpacing(theme.S3)
        layout.addLayout(form)
        layout.addWidget(note)
        layout.addLayout(test_row)
        layout.addWidget(self.status)
        layout.addWidget(buttons)

    def _security_changed(self) -> None:
        default = {"starttls": 587, "ssl": 465}
        if self.port.value() in default.values():
            self.port.setValue(default[str(self.security.currentData())])

    def _browse(self) -> None:
        path, _filter = QFileDialog.getOpenFileName(
            self, _("Trusted certificate"), "", "PEM (*.pem *.crt *.cer)"
        )
        if path:
            self.cafile.setText(path)

    def values(self) -> MailSettings:
        cfg = load_mail_settings(self.ctx.settings)
        return replace(
            cfg,
            host=self.host.text().strip(),
            port=self.port.value(),
            security=str(self.security.currentData()),
            user=self.user.text().strip(),
            cafile=self.cafile.text().strip() or None,
            from_addr=self.from_addr.text().strip() or self.user.text().strip(),
            from_name=self.from_name.text().strip(),
            signature=self.signature.text().strip(),
            rate_per_minute=self.rate.value(),
            retention_years=self.retention.value(),
            allow_insecure_keyring=self.insecure.isChecked(),
        )

    def _problem(self, cfg: MailSettings) -> str | None:
        if not cfg.host or not cfg.user:
            return _("Enter the server and the user name.")
        if cfg.cafile and path_kind(cfg.cafile) != "file":
            return _("{path} is not a certificate file").format(path=clip(cfg.cafile))
        return None

    def _show(self, text: str, ok: bool) -> None:
        self.status.setText(text)
        self.status.setStyleSheet(f"color: {theme.SUCCESS if ok else theme.colors().danger}")

    def send_test(self) -> None:
        cfg = self.values()
        problem = self._problem(cfg) or (
            None if self.test_to.text().strip() else _("Enter an address for the test.")
        )
        if problem:
            self._show(problem, False)
            return
        self.test_button.setEnabled(False)
        self._show(_("Sending…"), True)
        self.tasks.run_task(
            jobs.send_test,
            self.ctx.settings,
            cfg,
            self.test_to.text().strip(),
            self.password.text(),
            on_done=self._test_done,
            on_error=self._test_failed,
            pool="compute",
            owner=self,
        )

    def _test_done(self, reply: str) -> None:
        self.test_button.setEnabled(True)
        self._show(_("Test message accepted by the server: {reply}").format(reply=reply), True)

    def _test_failed(self, error: BaseException) -> None:
        self.test_button.setEnabled(True)
        self._show(user_message(error), False)

    def save(self) -> None:
        cfg = self.values()
        problem = self._problem(cfg)
        if problem:
            self._show(problem, False)
            return
        warning = retention_warning(cfg.retention_years)
        if warning:
            answer = QMessageBox.warning(
                self,
                _("Keep sent mail"),
                warning,
                QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
                QMessageBox.StandardButton.No,
            )
            if answer != QMessageBox.StandardButton.Yes:
                self.retention.setValue(max(cfg.retention_years, MIN_RETENTION_YEARS))
                return
            cfg.retention_below_minimum_confirmed = True
        try:
            if self.password.text():
                store_password(cfg.user, self.password.text(), allow_insecure=cfg.allow_insecure_keyring)
        except MailConfigError as exc:
            self._show(user_message(exc), False)
            return
        save_mail_settings(self.ctx.settings, cfg)
        self.ctx.signals.data_changed.emit(Topic.SETTINGS)
        self.accept()
