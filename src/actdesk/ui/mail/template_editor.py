"""The template editor: subject, plain and HTML bodies, merge fields, and a live preview for a chosen contact.

The contact's data is fetched once through the task runner; rendering is pure and fast, so the preview
follows every keystroke (debounced) on the GUI thread.
"""

from __future__ import annotations

import html as html_lib
from dataclasses import replace
from datetime import datetime, timedelta, tzinfo

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QFrame,
    QHBoxLayout,
    QInputDialog,
    QLabel,
    QLineEdit,
    QListWidget,
    QPlainTextEdit,
    QPushButton,
    QSplitter,
    QTabWidget,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from actdesk.i18n import _
from actdesk.services.mail.config import load_mail_settings
from actdesk.services.mail.merge import activity_fields, field_catalog, merge_context, sample_recipient
from actdesk.services.mail.templates import MailTemplate, TemplateProblem, render
from actdesk.services.schedule_zone import advisor_zone
from actdesk.storage.repositories.mail_audience import Recipient
from actdesk.ui import theme
from actdesk.ui.context import AppContext
from actdesk.ui.mail import jobs


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
        self.tasks = jobs.OwnedTasks(ctx.tasks, self)
        self._opened: str | None = None  # the template asked for last, even while it is still loading
        self.language = load_mail_settings(ctx.settings).language
        self._recipients: list[Recipient] = []
        self._marketing = True
        self.chooser = QComboBox(self)
        self.chooser.setObjectName("template_chooser")
        self.chooser.activated.connect(lambda _i: self.open_template(self.chooser.currentText()))
        self.contact = QComboBox(self)
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
        self.fields = QListWidget(self)
        self.fields.addItems(["{{ " + name + " }}" for name in field_catalog()])
        self.fields.setToolTip(_("Double-click to insert a merge field"))
        self.fields.itemDoubleClicked.connect(lambda item: self._insert(item.text()))
        self.fields.setMaximumWidth(230)
        fields_title = QLabel(_("Merge fields"), self)
        fields_title.setObjectName("Muted")
        fields_box = QVBoxLayout()
        fields_box.addWidget(fields_title)
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
        self.tasks.run(jobs.recipients, self.ctx.book, now, on_done=self._recipients_loaded)

    def set_templates(self, names: list[str]) -> None:
        """Refresh the list without replacing a template the advisor already opened (or is opening)."""
        current = self.chooser.currentText() or self._opened
        self.chooser.clear()
        self.chooser.addItems(names)
        if current in names:
            self.chooser.setCurrentText(current)
        elif names and self._opened is None:
            self.open_template(names[0])

    def open_template(self, name: str) -> None:
        self._opened = name
        self.tasks.run(jobs.load_template, self.ctx.book, name, self.language, on_done=self.show_template)

    def show_template(self, template: MailTemplate) -> None:
        self.chooser.setCurrentText(template.name)
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
        self._refresh_preview()

    def current_template(self) -> MailTemplate:
        html = self.body_html.toPlainText()
        return MailTemplate(
            self.chooser.currentText() or "untitled",
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

    def _refresh_preview(self) -> None:
        cfg = load_mail_settings(self.ctx.settings)
        general = self.ctx.settings.general
        context = merge_context(
            self._recipient(),
            language=self.language,
            now=self.ctx.now(),
            tz=advisor_zone(self.ctx.settings),
            signature=cfg.signature,
            practice=general.practice_name,
            advisor=general.advisor_name,
            currency=general.currency,
            extra=sample_extra(self.language, self.ctx.now(), advisor_zone(self.ctx.settings)),
        )
        try:
            out = render(self.current_template(), context)
        except TemplateProblem as exc:
            self.problem.setText(str(exc))
            self.save_button.setEnabled(False)
            self.save_as_button.setEnabled(False)
            return
        self.problem.setText("")
        self.save_button.setEnabled(bool(self.subject.text().strip()))
        self.save_as_button.setEnabled(self.save_button.isEnabled())
        self.preview_subject.setText(out.subject)
        if out.html:
            self.preview.setHtml(out.html)
        else:
            self.preview.setHtml(
                f"<pre style='font-family:inherit;white-space:pre-wrap'>{html_lib.escape(out.text)}</pre>"
            )

    def _insert(self, text: str) -> None:
        target = self.body_html if self.body_html.hasFocus() else self.body_text
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
        self.tasks.run(
            jobs.save_template,
            self.ctx.book,
            template,
            on_done=lambda _r: self.sig_template_saved.emit(template.name),
        )
