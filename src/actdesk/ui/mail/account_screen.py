"""The mail account screen: three choices (Microsoft 365, Google, another provider with a password), the
sign-in in the browser, how mail is sent, and whether replies are read back by themselves.

Layout and wiring only: the sign-in, the status and the autodiscovery are services, run on worker threads.
"""

from __future__ import annotations

from PySide6.QtWidgets import (
    QButtonGroup,
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QFrame,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from actdesk.i18n import _, format_datetime, user_message
from actdesk.services.mail import oauth
from actdesk.services.mail.config import MailSettings, load_mail_settings, save_mail_settings
from actdesk.services.mail.status import MailStatus, mail_status
from actdesk.ui import theme
from actdesk.ui.context import AppContext
from actdesk.ui.mail.account_choices import ChoiceCard, OtherPage, ProviderPage
from actdesk.ui.topics import Topic

CHOICES = ("microsoft", "google", "password")


class MailAccountScreen(QDialog):
    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.tasks = ctx.tasks
        self.sign_in_task: object | None = None
        self.setWindowTitle(_("Mail account"))
        self.setMinimumWidth(640)
        cfg = load_mail_settings(ctx.settings)

        heading = QLabel(_("How do you send e-mail?"), self)
        heading.setObjectName("CardTitle")
        intro = QLabel(_("Sign in with your provider: actdesk keeps no password, only a sign-in it can renew "
                         "in the system keyring."), self)  # fmt: skip
        intro.setObjectName("Muted")
        intro.setWordWrap(True)
        self.cards = [
            ChoiceCard(_("Microsoft 365"), _("Work or school account (Outlook, Exchange Online)"), self),
            ChoiceCard(_("Google"), _("Google Workspace or Gmail"), self),
            ChoiceCard(_("Another provider"), _("Any server, with a user name and password"), self),
        ]
        self.group = QButtonGroup(self)
        row = QHBoxLayout()
        row.setSpacing(theme.S3)
        for i, card in enumerate(self.cards):
            self.group.addButton(card, i)
            row.addWidget(card, 1)
        self.pages = QStackedWidget(self)
        self.microsoft = ProviderPage("microsoft", cfg, self)
        self.google = ProviderPage("google", cfg, self)
        self.other = OtherPage(ctx, cfg, self)
        for page in (self.microsoft, self.google, self.other):
            self.pages.addWidget(page)
            if isinstance(page, ProviderPage):
                page.sign_in_button.clicked.connect(lambda _c=False, p=page: self.sign_in(p))
                page.cancel_button.clicked.connect(self.cancel_sign_in)

        replies = QFrame(self)
        replies.setObjectName("Card")
        form = QFormLayout(replies)
        form.setContentsMargins(theme.S4, theme.S3, theme.S4, theme.S3)
        self.read_replies = QCheckBox(_("Read replies by themselves (questionnaires, invitations)"), replies)
        self.read_replies.setChecked(cfg.imap_enabled)
        self.folder = QLineEdit(cfg.imap_folder or "INBOX", replies)
        self.folder.setToolTip(_("The folder replies arrive in; INBOX unless a rule moves them."))
        self.check_button = QPushButton(_("Check now"), replies)
        self.check_button.clicked.connect(self.check_now)
        self.sync_label = QLabel("", replies)
        self.sync_label.setObjectName("Muted")
        self.sync_label.setWordWrap(True)
        folder_row = QHBoxLayout()
        folder_row.addWidget(self.folder, 1)
        folder_row.addWidget(self.check_button)
        title = QLabel(_("Replies"), replies)
        title.setObjectName("SectionTitle")
        form.addRow(title)
        form.addRow(self.read_replies)
        form.addRow(_("Folder"), folder_row)
        form.addRow(self.sync_label)

        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Close, self
        )
        buttons.accepted.connect(self.save)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(theme.S6, theme.S4, theme.S6, theme.S4)
        layout.setSpacing(theme.S3)
        layout.addWidget(heading)
        layout.addWidget(intro)
        layout.addLayout(row)
        layout.addWidget(self.pages)
        layout.addWidget(replies)
        layout.addStretch(1)
        layout.addWidget(buttons)
        self.group.idToggled.connect(self._chosen)
        self.cards[CHOICES.index(cfg.provider if cfg.provider in CHOICES else "password")].setChecked(True)
        self.refresh_status()

    # -- state ------------------------------------------------------------------------------------------------
    @property
    def choice(self) -> str:
        return CHOICES[max(0, self.group.checkedId())]

    def _chosen(self, index: int, checked: bool) -> None:
        if checked:
            self.pages.setCurrentIndex(index)

    def values(self) -> MailSettings:
        cfg = load_mail_settings(self.ctx.settings)
        if self.choice in ("microsoft", "google"):
            page = self.microsoft if self.choice == "microsoft" else self.google
            page.apply(cfg)
            oauth.apply_provider(cfg, self.choice)
        else:
            cfg = self.other.apply(cfg)
        cfg.imap_enabled = self.read_replies.isChecked() and bool(cfg.imap_host)
        cfg.imap_folder = self.folder.text().strip() or "INBOX"
        return cfg

    def refresh_status(self) -> None:
        cfg = load_mail_settings(self.ctx.settings)
        self.tasks.run_task(lambda _s: mail_status(self.ctx.book, cfg), on_done=self._status, owner=self)

    def _status(self, status: MailStatus) -> None:
        for page in (self.microsoft, self.google):
            page.show_status(status)
        if status.last_error:
            self.sync_label.setText(_("Last problem: {error}").format(error=status.last_error))
        elif status.last_sync:
            self.sync_label.setText(
                _("Last checked {when}.").format(when=format_datetime(status.last_sync, "short"))
            )
        else:
            self.sync_label.setText(_("Replies have not been checked yet."))

    # -- actions ----------------------------------------------------------------------------------------------
    def sign_in(self, page: ProviderPage) -> None:
        cfg = load_mail_settings(self.ctx.settings)
        page.apply(cfg)
        provider = page.provider
        page.waiting(True)

        def work(state: object) -> MailSettings:
            return oauth.sign_in(cfg, provider, should_stop=lambda: bool(getattr(state, "cancelled", False)))

        self.sign_in_task = self.tasks.run_task(
            work,
            on_done=lambda c: self._signed_in(page, c),
            on_error=lambda e: self._sign_in_failed(page, e),
            pool="compute",  # waits for the browser for minutes: never on the database worker
            owner=self,
        )

    def cancel_sign_in(self) -> None:
        cancel = getattr(self.sign_in_task, "cancel", None)
        if callable(cancel):
            cancel()

    def _signed_in(self, page: ProviderPage, cfg: MailSettings) -> None:
        page.waiting(False)
        save_mail_settings(self.ctx.settings, cfg)
        self.ctx.signals.data_changed.emit(Topic.SETTINGS)
        page.message(_("Signed in as {account}.").format(account=cfg.oauth_account), ok=True)
        self.refresh_status()

    def _sign_in_failed(self, page: ProviderPage, error: BaseException) -> None:
        page.waiting(False)
        page.message(user_message(error), ok=False)

    def check_now(self) -> None:
        self.save(close=False)
        watch = getattr(self.parent(), "reply_watch", None)
        if watch is not None:
            watch.check_now()
        self.sync_label.setText(_("Checking…"))

    def save(self, close: bool = True) -> None:
        cfg = self.values()
        save_mail_settings(self.ctx.settings, cfg)
        self.ctx.signals.data_changed.emit(Topic.SETTINGS)
        if close:
            self.accept()
