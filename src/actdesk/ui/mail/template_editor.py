"""The template editor: subject, plain and HTML bodies, merge fields, and a live preview for a chosen contact.

The contact's data is fetched once through the task runner; rendering is pure and fast, so the preview
follows every keystroke (debounced) on the GUI thread.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime, timedelta, tzinfo
from typing import Any

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QFrame,
    QHBoxLayout,
    QInputDialog,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QSplitter,
    QTabWidget,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from actdesk.i18n import _, user_message
from actdesk.services.mail import anniversary, jobs
from actdesk.services.mail.config import load_mail_settings
from actdesk.services.mail.merge import activity_fields, merge_context, sample_recipient
from actdesk.services.mail.merge_fields import describe_unknown, unknown_fields
from actdesk.services.mail.templates import MailTemplate, TemplateProblem, field_names, render
from actdesk.services.schedule_zone import advisor_zone
from actdesk.storage.repositories.mail_audience import Recipient
from actdesk.ui import theme
from actdesk.ui.context import AppContext
from actdesk.ui.mail.field_picker import FieldPicker, email_html, template_label
from actdesk.ui.widgets.eliding_combo import ElidingComboBox


def sample_extra(language: str, now: datetime, tz: tzinfo) -> dict[str, dict[str, str]]:
    """Made-up review and event fields so that reminder and invitation templates preview in full."""
    when = (now + timedelta(days=30)).replace(hour=15, minute=0, second=0, microsecond=0)
    return {
        "review": activity_fields(_("Semi-annual review"), when, _("Office"), language, tz),
        "event": activity_fields(_("Wine tasting"), when, _("Harbor Club"), language, tz),
    }


class TemplateEditor(QWidget):
    sig_template_saved = Signal(str)

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.tasks = ctx.tasks
        self._opened: str | None = None  # the template asked for last, even while it is still loading
        self.language = load_mail_settings(ctx.settings).language
        self._recipients: list[Recipient] = []
        self._marketing = True
        self.chooser = QComboBox(self)
        self.chooser.setObjectName("template_chooser")
        self.chooser.activated.connect(lambda _i: self.open_template(self.current_name()))
        # "Name — Household" can be long: the box cuts it with "…" and shows it whole in its tooltip
        self.contact = ElidingComboBox(self)
        self.contact.setObjectName("preview_contact")
        self.contact.setMinimumWidth(220)
        self.contact.currentIndexChanged.connect(self._refresh_preview)
        self.save_button = QPushButton(_("Save template"), self)
        self.save_button.setObjectName("Primary")
        self.save_button.clicked.connect(lambda: self.save())
        self.save_as_button = QPushButton(_("Save as…"), self)
        self.save_as_button.setToolTip(_("Save a copy under a new name"))
        self.save_as_button.clicked.connect(self.save_as)
        top = QHBoxLayout()
        top.setSpacing(theme.S2)
        top.addWidget(QLabel(_("Template"), self))
        top.addWidget(self.chooser, 1)
        top.addSpacing(theme.S4)
        top.addWidget(QLabel(_("Preview for"), self))
        top.addWidget(self.contact, 1)
        top.addWidget(self.save_as_button)
        top.addWidget(self.save_button)

        self.subject = QLineEdit(self)
        self.subject.setObjectName("template_subject")
        self.body_text = QPlainTextEdit(self)
        self.body_text.setObjectName("template_text")
        self.body_html = QPlainTextEdit(self)
        self.body_html.setPlaceholderText(_("Optional HTML version; leave empty to send plain text only."))
        bodies = QTabWidget(self)
        bodies.addTab(self.body_text, _("Plain text"))
        bodies.addTab(self.body_html, _("HTML"))
        self.fields = FieldPicker(self)
        self.fields.sig_insert_requested.connect(self._insert)
        self._target: QLineEdit | QPlainTextEdit = self.body_text
        self.subject.cursorPositionChanged.connect(lambda *_a: self._aim(self.subject))
        self.body_text.cursorPositionChanged.connect(lambda: self._aim(self.body_text))
        self.body_html.cursorPositionChanged.connect(lambda: self._aim(self.body_html))
        fields_box = QVBoxLayout()
        fields_box.addWidget(self.fields, 1)
        edit_side = QWidget(self)
        el = QVBoxLayout(edit_side)
        el.setContentsMargins(0, 0, 0, 0)
        el.setSpacing(theme.S2)
        el.addWidget(QLabel(_("Subject"), self))
        el.addWidget(self.subject)
        row = QHBoxLayout()
        row.addWidget(bodies, 1)
        row.addLayout(fields_box)
        el.addLayout(row, 1)

        preview_card = QFrame(self)
        preview_card.setObjectName("Card")
        pl = QVBoxLayout(preview_card)
        pl.setContentsMargins(theme.S4, theme.S3, theme.S4, theme.S3)
        self.preview_subject = QLabel(preview_card)
        self.preview_subject.setTextFormat(Qt.TextFormat.PlainText)  # the book's own text, never markup
        self.preview_subject.setObjectName("SectionTitle")
        self.preview_subject.setWordWrap(True)
        self.preview = QTextBrowser(preview_card)
        self.preview.setObjectName("template_preview")
        self.preview.setOpenLinks(False)
        self.preview.setFrameShape(QFrame.Shape.NoFrame)
        self.problem = QLabel(preview_card)
        self.problem.setObjectName("FieldError")
        self.problem.setWordWrap(True)
        pl.addWidget(self.preview_subject)
        pl.addWidget(self.preview, 1)
        pl.addWidget(self.problem)

        split = QSplitter(Qt.Orientation.Horizontal, self)
        split.addWidget(edit_side)
        split.addWidget(preview_card)
        split.setSizes([620, 520])
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, theme.S2, 0, 0)
        layout.setSpacing(theme.S2)
        layout.addLayout(top)
        layout.addWidget(split, 1)

        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(150)
        self._timer.timeout.connect(self._refresh_preview)
        for editor in (self.body_text, self.body_html):
            editor.textChanged.connect(self._timer.start)
        self.subject.textChanged.connect(self._timer.start)

    # -- data -----------------------------------------------------------------------------------------------
    def load(self, now: datetime) -> None:
        self.tasks.run_task(jobs.recipients, self.ctx.book, now, on_done=self._recipients_loaded, owner=self)

    def set_templates(self, names: list[str]) -> None:
        """Refresh the list without replacing a template the advisor already opened (or is opening)."""
        current = self.current_name() or self._opened
        self.chooser.clear()
        for name in names:
            self.chooser.addItem(template_label(name), name)
        if current in names:
            self.chooser.setCurrentIndex(self.chooser.findData(current))
        elif names and self._opened is None:
            self.open_template(names[0])

    def open_template(self, name: str) -> None:
        self._opened = name
        self.tasks.run_task(
            jobs.load_template, self.ctx.book, name, self.language, on_done=self.show_template, owner=self
        )

    def show_template(self, template: MailTemplate) -> None:
        index = self.chooser.findData(template.name)
        if index < 0:
            self.chooser.addItem(template_label(template.name), template.name)
            index = self.chooser.count() - 1
        self.chooser.setCurrentIndex(index)
        self._marketing = template.marketing
        self.subject.setText(template.subject)
        self.body_text.setPlainText(template.body_text)
        self.body_html.setPlainText(template.body_html or "")
        self._refresh_preview()

    def _recipients_loaded(self, recipients: list[Recipient]) -> None:
        self._recipients = recipients
        self.contact.blockSignals(True)
        self.contact.clear()
        self.contact.addItem(_("Sample contact"), -1)
        for i, r in enumerate(recipients):
            hh = r.household.name if r.household else ""
            self.contact.addItem(f"{r.contact.full_name} — {hh}" if hh else r.contact.full_name, i)
        self.contact.blockSignals(False)
        if recipients:
            self.contact.setCurrentIndex(1)
        self.contact.refresh_tooltip()
        self._refresh_preview()

    def current_name(self) -> str:
        return str(self.chooser.currentData() or self.chooser.currentText() or "")

    def current_template(self) -> MailTemplate:
        html = self.body_html.toPlainText()
        return MailTemplate(
            self.current_name() or "untitled",
            self.subject.text(),
            self.body_text.toPlainText(),
            html if html.strip() else None,
            self.language,
            self._marketing,
        )

    def _recipient(self) -> Recipient:
        index = self.contact.currentData()
        if isinstance(index, int) and 0 <= index < len(self._recipients):
            return self._recipients[index]
        return sample_recipient()

    def _extra(self) -> dict[str, Any]:
        """Sample review and event fields; for the anniversary note, the years of the contact's next
        anniversary, as the automation will write them."""
        now, tz = self.ctx.now(), advisor_zone(self.ctx.settings)
        extra: dict[str, Any] = dict(sample_extra(self.language, now, tz))
        if self.current_name() == anniversary.TEMPLATE:
            due = anniversary.next_anniversary(self._recipient(), now.astimezone(tz).date())
            extra.update(due.fields() if due else {})
        return extra

    def _refresh_preview(self) -> None:
        cfg = load_mail_settings(self.ctx.settings)
        general = self.ctx.settings.general
        context = merge_context(
            self._recipient(),
            language=self.language,
            now=self.ctx.now(),
            tz=advisor_zone(self.ctx.settings),
            signature=cfg.signature,
            practice=general.practice(),
            advisor=general.advisor_name,
            currency=general.currency,
            extra=self._extra(),
        )
        template = self.current_template()
        unknown = unknown_fields(
            [template.subject, template.body_text, template.body_html or ""], field_names(context)
        )
        try:
            if unknown:  # named in words, before any rendering error text could be shown
                raise TemplateProblem(describe_unknown(unknown))
            out = render(template, context)
        except TemplateProblem as exc:
            self.problem.setText(user_message(exc))
            self.save_button.setEnabled(False)
            self.save_as_button.setEnabled(False)
            return
        self.problem.setText("")
        self.save_button.setEnabled(bool(self.subject.text().strip()))
        self.save_as_button.setEnabled(self.save_button.isEnabled())
        self.preview_subject.setText(out.subject)
        recipient = self._recipient().contact
        sender = cfg.from_name or general.advisor_name or general.practice()
        self.preview.setHtml(
            email_html(
                f"{sender} <{cfg.from_addr}>" if cfg.from_addr else sender,
                f"{recipient.full_name} <{recipient.email}>" if recipient.email else recipient.full_name,
                out.subject,
                out.html,
                out.text,
            )
        )

    def _aim(self, editor: QLineEdit | QPlainTextEdit) -> None:
        if editor.hasFocus():
            self._target = editor

    def _insert(self, text: str) -> None:
        """Write the placeholder where the advisor was typing (subject, text or HTML)."""
        target = self._target
        if isinstance(target, QLineEdit):
            target.insert(text)
        else:
            target.insertPlainText(text)
        target.setFocus()

    def save_as(self) -> None:
        name, ok = QInputDialog.getText(self, _("Save as…"), _("Name of the new template"))
        name = "_".join(name.strip().lower().split())
        if not ok or not name:
            return
        self.save(name)

    def save(self, name: str | None = None) -> None:
        template = self.current_template()
        if name:
            template = replace(template, name=name)
        self.tasks.run_task(
            jobs.save_template,
            self.ctx.book,
            template,
            on_done=lambda _r: self.sig_template_saved.emit(template.name),
            owner=self,
        )
