"""Privacy & security (lock after inactivity, the lock passphrase, encryption of the book) and E-mail."""

from __future__ import annotations

from PySide6.QtWidgets import QComboBox, QDialog, QHBoxLayout, QMessageBox, QPushButton, QWidget

from actdesk.i18n import N_, _
from actdesk.services.mail.config import load_mail_settings
from actdesk.services.privacy import (
    KeyringUnavailable,
    PrivacySettings,
    Unlocker,
    has_lock_passphrase,
    set_lock_passphrase,
)
from actdesk.ui.context import AppContext
from actdesk.ui.topics import Topic

from .encryption import PassphraseDialog, describe_state, start_conversion
from .form import FIELD_WIDTH, Page, WrappedLabel, spin

UNLOCK_CHOICES = (
    ("auto", N_("The best available")),
    ("passphrase", N_("A passphrase")),
    ("os", N_("My computer account's password")),
)
METHOD_TEXT = {
    "book": N_("Unlocking asks for the book's passphrase."),
    "passphrase": N_("Unlocking asks for your lock passphrase."),
    "os": N_("Unlocking asks for your computer account's password."),
}


class PrivacyPage(Page):
    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(ctx, parent)
        p = ctx.settings.section(PrivacySettings)
        form = self.section(
            _("Lock screen"),
            _("Hides every client's data after a few idle minutes, for meetings and shared offices."),
        )
        self.lock_after = spin(self, 0, 240, p.lock_after_minutes, _("minutes idle"), "lock_after_minutes")
        self.lock_after.setSpecialValueText(_("Never"))
        self.lock_after.setMinimumWidth(180)
        form.addRow(_("Lock after"), self.lock_after)
        self.unlock_with = QComboBox(self)
        self.unlock_with.setObjectName("unlock_with")
        self.unlock_with.setMinimumWidth(FIELD_WIDTH)
        for key, label in UNLOCK_CHOICES:
            self.unlock_with.addItem(_(label), key)
        self.unlock_with.setCurrentIndex(max(0, self.unlock_with.findData(p.unlock_with)))
        form.addRow(_("Unlock with"), self.unlock_with)
        self.passphrase_button = QPushButton(self)
        self.passphrase_button.setObjectName("lock_passphrase")
        self.passphrase_button.clicked.connect(self.change_lock_passphrase)
        form.addRow("", self.passphrase_button)
        self.method_note = WrappedLabel(FIELD_WIDTH + 120, self, muted=True)
        form.addRow("", self.method_note)
        self.unlock_with.currentIndexChanged.connect(self._update_lock_state)

        form = self.section(_("Encryption"))
        self.encryption_state = WrappedLabel(FIELD_WIDTH + 120, self)
        form.addRow(_("This book"), self.encryption_state)
        self.encrypt_button = QPushButton(self)
        self.encrypt_button.setObjectName("encrypt_book")
        self.encrypt_button.clicked.connect(self.toggle_encryption)
        form.addRow("", self.encrypt_button)
        self.finish()
        self._update_lock_state()
        self._update_encryption_state()

    # -- lock --------------------------------------------------------------------------------------------------
    def current_settings(self) -> PrivacySettings:
        return PrivacySettings(
            lock_after_minutes=self.lock_after.value(), unlock_with=str(self.unlock_with.currentData())
        )

    def _update_lock_state(self) -> None:
        try:
            has = has_lock_passphrase()
        except KeyringUnavailable:
            has = False  # the Unlocker below logs it and says why
        self.passphrase_button.setText(_("Change lock passphrase…") if has else _("Set a lock passphrase…"))
        unlocker = Unlocker(self.ctx.book.key, self.current_settings())
        method = unlocker.method
        self.method_note.setText(
            _(METHOD_TEXT[method])
            if method
            else unlocker.problem
            or _(
                "Set a lock passphrase: nothing on this computer can unlock the window yet, so it never locks."
            )
        )

    def change_lock_passphrase(self) -> None:
        dialog = PassphraseDialog(
            _("Lock passphrase"),
            _(
                "The passphrase that unlocks the window after it locked itself. It is stored only as a secure hash."
            ),
            self,
        )
        self.passphrase_dialog = dialog
        if dialog.exec() == QDialog.DialogCode.Accepted:
            set_lock_passphrase(dialog.passphrase())
            self._update_lock_state()

    # -- encryption --------------------------------------------------------------------------------------------
    def _update_encryption_state(self) -> None:
        book = self.ctx.book
        self.encryption_state.setText(describe_state(book.path, book.key))
        self.encrypt_button.setText(_("Decrypt…") if book.key else _("Encrypt…"))
        self.encrypt_button.setEnabled(book.path is not None and not self.ctx.read_only)

    def toggle_encryption(self) -> None:
        encrypt = self.ctx.book.key is None
        question = (
            _(
                "actdesk will write an encrypted copy of the book, check it table by table and put it in place of "
                "the original. This takes a moment; keep actdesk open until it is done."
            )
            if encrypt
            else _(
                "actdesk will write a plain copy of the book and put it in place of the encrypted one. Anyone "
                "with the file will then be able to read it."
            )
        )
        answer = QMessageBox.question(
            self,
            _("Encrypt this book?") if encrypt else _("Decrypt this book?"),
            question,
            QMessageBox.StandardButton.Ok | QMessageBox.StandardButton.Cancel,
            QMessageBox.StandardButton.Ok,
        )
        if answer == QMessageBox.StandardButton.Ok:
            self.run_conversion(encrypt)

    def run_conversion(self, encrypt: bool) -> None:
        self.encrypt_button.setEnabled(False)
        start_conversion(self.ctx, self, encrypt=encrypt, on_finished=lambda _ok: self._converted())

    def _converted(self) -> None:
        self._update_encryption_state()
        self._update_lock_state()

    def apply(self) -> None:
        self.ctx.settings.set_section(self.current_settings())


class MailPage(Page):
    """The account lives in its own dialog (it tests the connection); this tab says what is set up."""

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(ctx, parent)
        form = self.section(
            _("Sending e-mail"),
            _("Campaigns, reminders and questionnaires go out through your own mail account."),
        )
        self.account = WrappedLabel(FIELD_WIDTH + 120, self)
        form.addRow(_("Account"), self.account)
        self.account_button = QPushButton(_("Set up the mail account…"), self)
        self.account_button.setObjectName("mail_account_button")
        self.account_button.clicked.connect(self.open_account)
        row = QWidget(self)
        line = QHBoxLayout(row)
        line.setContentsMargins(0, 0, 0, 0)
        line.addWidget(self.account_button)
        line.addStretch(1)
        form.addRow("", row)
        self.finish()
        self.refresh()
        ctx.signals.data_changed.connect(self._data_changed)

    def _data_changed(self, topic: str) -> None:
        if topic == Topic.SETTINGS:
            self.refresh()

    def refresh(self) -> None:
        cfg = load_mail_settings(self.ctx.settings)
        if cfg.configured and cfg.uses_oauth:
            from actdesk.services.mail.oauth_errors import provider_name

            self.account.setText(
                _("Signed in with {provider} as {account}.").format(
                    provider=provider_name(cfg.provider), account=cfg.oauth_account
                )
            )
        elif cfg.configured:
            self.account.setText(
                _("Sending as {sender} through {host}.").format(
                    sender=cfg.from_addr or cfg.user, host=cfg.host
                )
            )
        else:
            self.account.setText(_("No mail account yet: campaigns wait in the outbox until one is set up."))

    def open_account(self) -> None:
        """The same account screen as the Campaigns panel's: Microsoft 365, Google, or another provider."""
        from actdesk.ui.mail.account_screen import MailAccountScreen

        self.account_dialog = MailAccountScreen(self.ctx, self)
        self.account_dialog.finished.connect(lambda _code: self.refresh())
        self.account_dialog.open()
