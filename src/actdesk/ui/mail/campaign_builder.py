"""The campaign builder: template, audience with a live count, send time; and the report of past campaigns."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import cast

from PySide6.QtCore import QDateTime, QSortFilterProxyModel, Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDateTimeEdit,
    QFormLayout,
    QFrame,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from actdesk.i18n import _, ngettext, user_message
from actdesk.services.mail import jobs
from actdesk.services.mail.campaigns import SKIP_REASONS, AudiencePlan
from actdesk.storage.repositories.mail import CampaignSummary
from actdesk.ui import theme
from actdesk.ui.context import AppContext
from actdesk.ui.mail.audience import AudienceControls
from actdesk.ui.mail.field_picker import template_label
from actdesk.ui.mail.models import SORT_ROLE, CampaignReportModel
from actdesk.ui.qt_locale import localize_edit
from actdesk.ui.tasks import TaskHandle


class CampaignBuilder(QWidget):
    sig_queue_requested = Signal(str, str, object, str)  # template, audience, when (datetime or None), name

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.tasks = ctx.tasks
        self._count_task: TaskHandle | None = None
        self.name = QLineEdit(self)
        self.name.setPlaceholderText(_("e.g. Spring newsletter"))
        self.template = QComboBox(self)
        self.template.setObjectName("campaign_template")
        self.audience = AudienceControls(self)
        self.audience.setObjectName("campaign_audience")
        self.audience.sig_changed.connect(self._schedule_count)
        self.count_label = QLabel(self)
        self.count_label.setObjectName("audience_count")
        self.count_label.setWordWrap(True)
        self.sample = QLabel(self)
        self.sample.setObjectName("audience_sample")
        self.sample.setWordWrap(True)
        self.sample.setTextFormat(Qt.TextFormat.PlainText)
        self._choices_loaded = False
        self.when = QComboBox(self)
        self.when.addItem(_("Send now"), "now")
        self.when.addItem(_("Send at…"), "at")
        self.at = QDateTimeEdit(QDateTime.currentDateTime().addSecs(3600), self)
        self.at.setCalendarPopup(True)
        localize_edit(self.at)
        self.at.setEnabled(False)
        self.when.currentIndexChanged.connect(lambda: self.at.setEnabled(self.when.currentData() == "at"))
        when_row = QHBoxLayout()
        when_row.addWidget(self.when)
        when_row.addWidget(self.at)
        when_row.addStretch(1)
        self.queue_button = QPushButton(_("Queue campaign"), self)
        self.queue_button.setObjectName("Primary")
        self.queue_button.clicked.connect(self._queue)
        self.result = QLabel(self)
        self.result.setWordWrap(True)

        card = QFrame(self)
        card.setObjectName("Card")
        form = QFormLayout(card)
        form.setContentsMargins(theme.S4, theme.S4, theme.S4, theme.S4)
        form.setSpacing(theme.S2)
        form.addRow(_("Name"), self.name)
        form.addRow(_("Template"), self.template)
        form.addRow(_("Audience"), self.audience)
        form.addRow("", self.count_label)
        form.addRow("", self.sample)
        form.addRow(_("When"), when_row)
        buttons = QHBoxLayout()
        buttons.addWidget(self.result, 1)
        buttons.addWidget(self.queue_button, 0, Qt.AlignmentFlag.AlignTop)
        form.addRow(buttons)

        self.report_model = CampaignReportModel(self)
        proxy = QSortFilterProxyModel(self)
        proxy.setSourceModel(self.report_model)
        proxy.setSortRole(SORT_ROLE)
        self.report = QTableView(self)
        self.report.setObjectName("campaign_report")
        self.report.setModel(proxy)
        self.report.setSortingEnabled(True)
        self.report.sortByColumn(1, Qt.SortOrder.DescendingOrder)
        self.report.verticalHeader().hide()
        self.report.setShowGrid(False)
        self.report.setAlternatingRowColors(True)
        self.report.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.report.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        header = self.report.horizontalHeader()
        header.setHighlightSections(False)
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        self.report.verticalHeader().setDefaultSectionSize(30)
        reports_title = QLabel(_("Campaigns"), self)
        reports_title.setObjectName("SectionTitle")

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, theme.S2, 0, 0)
        layout.setSpacing(theme.S3)
        layout.addWidget(card)
        self.no_campaigns = QLabel(
            _(
                "No campaigns yet: choose a template and an audience above, then queue it. Sent, failed and "
                "uncertain messages and opt-outs will be counted here."
            ),
            self,
        )
        self.no_campaigns.setObjectName("Muted")
        self.no_campaigns.setWordWrap(True)
        layout.addWidget(reports_title)
        layout.addWidget(self.no_campaigns)
        layout.addWidget(self.report, 1)
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(250)
        self._timer.timeout.connect(self.refresh_count)

    def set_templates(self, names: list[str]) -> None:
        current = self.template_name()
        self.template.clear()
        for name in names:
            self.template.addItem(template_label(name), name)
        chosen = current if current in names else "newsletter"
        self.template.setCurrentIndex(max(0, self.template.findData(chosen)))

    def template_name(self) -> str:
        return str(self.template.currentData() or "")

    def set_campaigns(self, rows: list[CampaignSummary]) -> None:
        self.report_model.set_rows(rows)
        self.no_campaigns.setVisible(not rows)

    def _schedule_count(self) -> None:
        self._timer.start()

    def audience_text(self) -> str:
        return self.audience.filter_text()

    def refresh_count(self) -> None:
        if not self._choices_loaded:
            self._choices_loaded = True
            self.tasks.run_task(
                jobs.audience_choices, self.ctx.book, on_done=self.audience.set_choices, owner=self
            )
        if self._count_task is not None:
            self._count_task.cancel()
        self._count_task = self.tasks.run_task(
            jobs.count,
            self.ctx.book,
            self.audience_text(),
            self.ctx.now(),
            on_done=self._count_done,
            on_error=self._count_failed,
            owner=self,
        )

    def _count_done(self, plan: AudiencePlan) -> None:
        n = len(plan.recipients)
        text = ngettext("{n} recipient", "{n} recipients", n).format(n=n)
        if plan.skipped:
            reasons = ", ".join(f"{_(SKIP_REASONS.get(k, k))}: {v}" for k, v in sorted(plan.skipped.items()))
            text += " · " + _("skipped: {reasons}").format(reasons=reasons)
        self.count_label.setStyleSheet(f"color: {theme.colors().muted}")
        self.count_label.setText(text)
        self.sample.setText(sample_text(plan))
        self.queue_button.setEnabled(n > 0)

    def _count_failed(self, error: BaseException) -> None:
        self.count_label.setStyleSheet(f"color: {theme.colors().danger}")
        self.count_label.setText(user_message(error))
        self.sample.clear()
        self.queue_button.setEnabled(False)

    def _queue(self) -> None:
        when = None
        if self.when.currentData() == "at":
            when = cast(datetime, self.at.dateTime().toPython()).astimezone().astimezone(UTC)
            if when < self.ctx.now() - timedelta(minutes=1):
                self.show_result(_("The send time is in the past."), ok=False)
                return
        self.sig_queue_requested.emit(self.template_name(), self.audience_text(), when, self.name.text())

    def show_result(self, text: str, ok: bool = True) -> None:
        self.result.setStyleSheet(f"color: {theme.SUCCESS if ok else theme.colors().danger}")
        self.result.setText(text)


SAMPLE_SIZE = 5


def sample_text(plan: AudiencePlan) -> str:
    """A few of the people who would receive it, by name and address: the advisor sees whom they reach."""
    if not plan.recipients:
        return ""
    shown = [
        f"{r.contact.first_name} {r.contact.last_name} <{r.contact.email}>".strip()
        for r in plan.recipients[:SAMPLE_SIZE]
    ]
    more = len(plan.recipients) - len(shown)
    text = _("For example: {names}").format(names=", ".join(shown))
    if more > 0:
        text += " " + _("and {n} more").format(n=more)
    return text
