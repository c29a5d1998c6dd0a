"""The Campaigns panel (controller): outbox, campaign builder and template editor.

The send loop (due mail every minute, automations, the command line's hand-over, replies) runs behind the
window in ``MailService`` (``service.py``) whether or not this panel was ever opened; the window builds the
panel when the advisor first opens Campaigns, and the panel shows what the service reports. All work goes
through the task runner; the panel only shows results.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QMessageBox,
    QPushButton,
    QStackedWidget,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from actdesk.i18n import _, ngettext, user_message
from actdesk.services.mail import jobs
from actdesk.services.mail.config import load_mail_settings
from actdesk.services.mail.outbox import SendReport
from actdesk.ui import icons, theme
from actdesk.ui.context import AppContext
from actdesk.ui.mail.account_dialog import AccountDialog
from actdesk.ui.mail.campaign_builder import CampaignBuilder
from actdesk.ui.mail.outbox_view import OutboxView
from actdesk.ui.mail.reply_watch import ReplyWatchService
from actdesk.ui.mail.send_requests import SendRequests
from actdesk.ui.mail.service import mail_service
from actdesk.ui.mail.template_editor import TemplateEditor
from actdesk.ui.qt_locale import literal
from actdesk.ui.tasks import TaskHandle
from actdesk.ui.topics import Topic
from actdesk.ui.widgets import EmptyState


class CampaignsPanel(QWidget):
    sig_badge_changed = Signal(int)  # messages needing attention (failed + uncertain)
    sig_send_finished = Signal(object)  # SendReport

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("CampaignsPanel")
        self.ctx = ctx
        self.tasks = ctx.tasks
        self.service = mail_service(ctx, self)
        self.account_dialog: AccountDialog | None = None

        title = QLabel(_("Campaigns"), self)
        title.setObjectName("CardTitle")
        self.summary = QLabel(self)
        self.summary.setObjectName("Muted")
        self.account_button = QPushButton(icons.icon("user", theme.colors().text), _("Account…"), self)
        self.account_button.clicked.connect(self.open_account)
        self.rules_button = QPushButton(_("Run automations"), self)
        self.rules_button.setToolTip(
            _("Queue birthday notes, review reminders, anniversaries and event reminders")
        )
        self.rules_button.clicked.connect(self.run_automations)
        self.send_button = QPushButton(
            icons.icon("mail", theme.colors().accent_text), _("Send due mail"), self
        )
        self.send_button.setObjectName("Primary")
        self.send_button.clicked.connect(self.send_now)
        top = QHBoxLayout()
        top.setSpacing(theme.S2)
        top.addWidget(title)
        top.addSpacing(theme.S2)
        top.addWidget(self.summary, 0, Qt.AlignmentFlag.AlignBottom)
        top.addStretch(1)
        top.addWidget(self.account_button)
        top.addWidget(self.rules_button)
        top.addWidget(self.send_button)

        self.banner = QLabel(self)
        self.banner.setObjectName("uncertain_banner")
        self.banner.setWordWrap(True)
        self.banner.setStyleSheet(
            f"background: {theme.colors().surface}; border: 1px solid {theme.WARNING}; border-radius: 6px;"
            f" padding: {theme.S2}px {theme.S3}px; color: {theme.colors().text};"
        )
        self.banner.hide()
        self.status = QLabel(self)
        self.status.setObjectName("Muted")
        self.status.setWordWrap(True)

        self.outbox = OutboxView(self)
        self.outbox.sig_retry_requested.connect(self.retry)
        self.outbox.sig_cancel_requested.connect(self.cancel)
        self.outbox.sig_opt_out_requested.connect(self.record_opt_out)
        self.empty = EmptyState(
            "mail",
            _("No mail account yet"),
            _(
                "Set up the account you send from (Microsoft 365, Gmail or your provider) to send birthday notes, "
                "review reminders and campaigns. Messages you queue now wait in the outbox until then."
            ),
            [("account", _("Set up the mail account"))],
            self,
        )
        self.empty.sig_action_triggered.connect(lambda _k: self.open_account())
        self.outbox_stack = QStackedWidget(self)
        self.outbox_stack.addWidget(self.empty)
        self.outbox_stack.addWidget(self.outbox)
        self.builder = CampaignBuilder(ctx, self)
        self.builder.sig_queue_requested.connect(self.queue_campaign)
        self.editor = TemplateEditor(ctx, self)
        self.editor.sig_template_saved.connect(self._template_saved)
        self.tabs = QTabWidget(self)
        self.tabs.setDocumentMode(True)
        self.tabs.addTab(self.outbox_stack, _("Outbox"))
        self.tabs.addTab(self.builder, _("New campaign"))
        self.tabs.addTab(self.editor, _("Templates"))
        from actdesk.ui.engagement.referrals_view import ReferralsEventsView  # life events and referrals

        self.referrals = ReferralsEventsView(ctx, self)
        self.tabs.addTab(self.referrals, literal(_("Referrals & events")))

        layout = QVBoxLayout(self)
        layout.setContentsMargins(theme.S6, theme.S4, theme.S6, theme.S4)
        layout.setSpacing(theme.S3)
        layout.addLayout(top)
        layout.addWidget(self.banner)
        layout.addWidget(self.tabs, 1)
        layout.addWidget(self.status)

        self.service.sig_send_started.connect(lambda: self.send_button.setEnabled(False))
        self.service.sig_send_ended.connect(lambda: self.send_button.setEnabled(self.configured()))
        self.service.sig_send_finished.connect(self._sent)
        self.service.sig_status.connect(self.status.setText)
        self.service.sig_badge_changed.connect(self.sig_badge_changed)
        ctx.signals.data_changed.connect(self._data_changed)
        self._update_account_state()
        self.reload()
        self.service.start()  # already running when the window started it; a panel alone starts it
        # The audience count and the preview's recipients read every household: on a large book that is a
        # second and 30 MB each, so they load when their tab is first shown, not when the panel is built.
        self._opened_tabs: set[int] = set()
        self.tabs.currentChanged.connect(self._tab_shown)
        self._load_templates()

    def _tab_shown(self, index: int) -> None:
        if index in self._opened_tabs:
            return
        widget = self.tabs.widget(index)
        if widget is self.builder:
            self._opened_tabs.add(index)
            self.builder.refresh_count()
        elif widget is self.editor:
            self._opened_tabs.add(index)
            self.editor.load(self.ctx.now())

    # -- state ----------------------------------------------------------------------------------------------
    def configured(self) -> bool:
        return load_mail_settings(self.ctx.settings).configured

    def _update_account_state(self) -> None:
        ok = self.configured()
        self.outbox_stack.setCurrentIndex(1 if ok else 0)
        self.send_button.setVisible(ok)
        self.rules_button.setVisible(ok)
        self.send_button.setEnabled(ok and not self.ctx.read_only and not self.service.sending)

    def activate(self) -> None:
        self.reload()

    # The send loop lives in the service; these are the panel's (and its tests') handles on it.
    @property
    def timer(self) -> QTimer:
        return self.service.timer

    @property
    def requests(self) -> SendRequests | None:
        return self.service.requests

    @property
    def reply_watch(self) -> ReplyWatchService | None:
        return self.service.reply_watch

    @property
    def _sending(self) -> TaskHandle | None:
        return self.service._sending

    @property
    def _send_again(self) -> bool:
        return self.service._send_again

    def _data_changed(self, topic: str) -> None:
        if topic == Topic.SETTINGS:
            self._update_account_state()
        if topic in (Topic.MAIL, Topic.CONTACTS, Topic.HOUSEHOLDS, Topic.SETTINGS):
            self.reload()

    # -- loading --------------------------------------------------------------------------------------------
    def reload(self) -> None:
        self.tasks.run_task(
            jobs.load_outbox, self.ctx.book, on_done=self._loaded, on_error=self._failed, owner=self
        )

    def _loaded(self, snap: jobs.OutboxSnapshot) -> None:
        self.outbox.set_rows(snap.entries)
        self.builder.set_campaigns(snap.campaigns)
        counts: dict[str, int] = {}
        for e in snap.entries:
            counts[e.state] = counts.get(e.state, 0) + 1
        parts = [
            ngettext("{n} queued", "{n} queued", counts.get("queued", 0)).format(n=counts.get("queued", 0))
        ]
        if counts.get("failed"):
            parts.append(ngettext("{n} failed", "{n} failed", counts["failed"]).format(n=counts["failed"]))
        parts.append(ngettext("{n} sent", "{n} sent", counts.get("sent", 0)).format(n=counts.get("sent", 0)))
        self.summary.setText(" · ".join(parts))
        uncertain = counts.get("uncertain", 0)
        self.banner.setVisible(uncertain > 0)
        self.banner.setText(
            ngettext(
                "{n} message was interrupted while sending and may or may not have arrived. It will not be "
                "sent again unless you retry it: check with the recipient first.",
                "{n} messages were interrupted while sending and may or may not have arrived. They will not "
                "be sent again unless you retry them: check with the recipients first.",
                uncertain,
            ).format(n=uncertain)
        )
        self.sig_badge_changed.emit(uncertain + counts.get("failed", 0))

    def _load_templates(self) -> None:
        language = load_mail_settings(self.ctx.settings).language
        self.tasks.run_task(
            jobs.template_names, self.ctx.book, language, on_done=self._templates_loaded, owner=self
        )

    def _templates_loaded(self, names: list[str]) -> None:
        self.builder.set_templates(names)
        self.editor.set_templates(names)

    def _template_saved(self, name: str) -> None:
        self.status.setText(_("Template {name} saved.").format(name=name))
        self._load_templates()
        self.editor.open_template(name)

    def _failed(self, error: BaseException) -> None:
        self.status.setText(user_message(error))

    # -- actions ------------------------------------------------------------------------------------------------
    def send_now(self) -> None:
        self.service.send_now()

    def _sent(self, report: SendReport) -> None:
        self.sig_send_finished.emit(report)
        if not (report.handled or report.recovered):  # nothing announced a change: refetch all the same
            self.reload()

    def run_automations(self) -> None:
        self.service.run_automations()

    def queue_campaign(self, template: str, audience: str, when: datetime | None, name: str) -> None:
        cfg = load_mail_settings(self.ctx.settings)

        def done(result: Any) -> None:
            self.builder.show_result(
                ngettext(
                    "Campaign queued: {n} message.", "Campaign queued: {n} messages.", result.queued
                ).format(n=result.queued)
            )
            self.ctx.signals.data_changed.emit(Topic.MAIL)
            self.send_now()

        self.tasks.run_task(
            jobs.queue_campaign,
            self.ctx.book,
            self.ctx.settings,
            cfg,
            template,
            audience,
            when,
            name,
            self.ctx.now(),
            on_done=done,
            on_error=lambda e: self.builder.show_result(user_message(e), ok=False),
            owner=self,
        )

    def retry(self, message_pk: int) -> None:
        entry = self.outbox.selected()
        if entry is not None and entry.state == "uncertain":
            answer = QMessageBox.question(
                self,
                _("Send again?"),
                _("This message may already have arrived. Send it again to {to}?").format(to=entry.to),
            )
            if answer != QMessageBox.StandardButton.Yes:
                return
        self.tasks.run_task(
            jobs.retry,
            self.ctx.book,
            message_pk,
            self.ctx.now(),
            on_done=lambda _r: self.ctx.signals.data_changed.emit(Topic.MAIL),
            on_error=self._failed,
            owner=self,
        )

    def cancel(self, message_pk: int) -> None:
        self.tasks.run_task(
            jobs.cancel,
            self.ctx.book,
            message_pk,
            on_done=lambda _r: self.ctx.signals.data_changed.emit(Topic.MAIL),
            on_error=self._failed,
            owner=self,
        )

    def record_opt_out(self, address: str) -> None:
        def done(ids: list[int]) -> None:
            self.status.setText(_("Opt-out recorded for {address}.").format(address=address))
            self.ctx.signals.data_changed.emit(Topic.CONTACTS)

        self.tasks.run_task(
            jobs.opt_out,
            self.ctx.book,
            address,
            self.ctx.now(),
            _("cancelled: the recipient opted out"),
            on_done=done,
            on_error=self._failed,
            owner=self,
        )

    def open_account(self) -> None:
        """The account screen: Microsoft 365, Google, or another provider (its server dialog from there)."""
        from actdesk.ui.mail.account_screen import MailAccountScreen

        self.account_screen = MailAccountScreen(self.ctx, self)
        self.account_screen.open()

    def shutdown(self) -> object:
        return self.service.shutdown()
