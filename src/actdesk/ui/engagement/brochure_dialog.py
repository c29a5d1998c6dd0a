"""Brochures waiting for the advisor's approval: nothing is sent until the advisor says so."""

from __future__ import annotations

from PySide6.QtCore import QUrl
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from actdesk.domain.enums import life_event_label
from actdesk.i18n import N_, _, format_date, ngettext, user_message
from actdesk.services.engagement import jobs
from actdesk.services.engagement.config import brochures_dir
from actdesk.storage.repositories.engagement import BrochureSuggestion
from actdesk.ui import theme
from actdesk.ui.card.models import RecordsModel
from actdesk.ui.context import AppContext
from actdesk.ui.topics import Topic


def suggestions_model(parent: QWidget | None = None) -> RecordsModel[BrochureSuggestion]:
    return RecordsModel(
        [
            (N_("Household"), lambda b: b.household, False),
            (N_("Life event"), lambda b: life_event_label(b.kind), False),
            (N_("Date"), lambda b: format_date(b.date), True),
            (N_("Brochure"), lambda b: b.brochure_title, False),
        ],
        parent,
    )


class BrochureApprovalDialog(QDialog):
    def __init__(
        self, ctx: AppContext, suggestions: list[BrochureSuggestion], parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setObjectName("BrochureApprovalDialog")
        self.setWindowTitle(_("Brochures to approve"))
        self.resize(720, 380)
        self.ctx = ctx
        self.tasks = ctx.tasks  # results for a closed widget are dropped
        intro = QLabel(
            _(
                "Each life event suggests a brochure from your library. Select the ones to send and press "
                "Send: they go to the outbox like any other message. Nothing is sent without your approval."
            ),
            self,
        )
        intro.setWordWrap(True)
        intro.setObjectName("Muted")
        self.model = suggestions_model(self)
        self.model.set_rows(suggestions)
        self.view = QTableView(self)
        self.view.setModel(self.model)
        self.view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.view.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.view.verticalHeader().hide()
        self.view.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.view.horizontalHeader().setStretchLastSection(True)
        self.view.setAlternatingRowColors(True)
        self.view.doubleClicked.connect(lambda _i: self.preview())
        self.status = QLabel(self)
        self.status.setWordWrap(True)
        self.send_button = QPushButton(_("Send selected"), self)
        self.send_button.setObjectName("Primary")
        self.send_button.clicked.connect(lambda: self.decide(approve=True))
        self.decline_button = QPushButton(_("Don't send"), self)
        self.decline_button.clicked.connect(lambda: self.decide(approve=False))
        self.preview_button = QPushButton(_("Open brochure"), self)
        self.preview_button.clicked.connect(self.preview)
        buttons = QDialogButtonBox(self)
        buttons.addButton(self.preview_button, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.addButton(self.decline_button, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.addButton(self.send_button, QDialogButtonBox.ButtonRole.AcceptRole)
        buttons.addButton(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(theme.S4, theme.S4, theme.S4, theme.S4)
        layout.setSpacing(theme.S3)
        layout.addWidget(intro)
        layout.addWidget(self.view, 1)
        layout.addWidget(self.status)
        layout.addWidget(buttons)
        if suggestions:
            self.view.selectRow(0)
        self._update()

    def selected(self) -> list[BrochureSuggestion]:
        rows = sorted({i.row() for i in self.view.selectionModel().selectedRows()})
        return [self.model.row_item(r) for r in rows]

    def _update(self) -> None:
        has = self.model.rowCount() > 0
        for b in (self.send_button, self.decline_button, self.preview_button):
            b.setEnabled(has and not self.ctx.read_only)
        if not has:
            self.status.setText(_("No brochure is waiting for your approval."))

    def preview(self) -> None:
        chosen = self.selected()
        if chosen:
            path = brochures_dir(jobs.engagement_settings(self.ctx.settings)) / chosen[0].file_name
            QDesktopServices.openUrl(QUrl.fromLocalFile(str(path)))

    def decide(self, *, approve: bool) -> None:
        chosen = [b.life_event_id for b in self.selected()]
        if not chosen:
            return
        self.send_button.setEnabled(False)
        self.decline_button.setEnabled(False)
        self.tasks.run_task(
            jobs.decide_brochures,
            self.ctx.book,
            self.ctx.settings,
            chosen if approve else [],
            [] if approve else chosen,
            self.ctx.now(),
            on_done=self._decided,
            on_error=lambda e: self.status.setText(user_message(e)),
            owner=self,
        )

    def _decided(self, outcome: jobs.BrochureOutcome) -> None:
        parts = []
        if outcome.queued:
            parts.append(
                ngettext(
                    "{n} brochure queued in the outbox.",
                    "{n} brochures queued in the outbox.",
                    len(outcome.queued),
                ).format(n=len(outcome.queued))
            )
            self.ctx.signals.data_changed.emit(Topic.MAIL)
        if outcome.declined:
            parts.append(
                ngettext("{n} declined.", "{n} declined.", len(outcome.declined)).format(
                    n=len(outcome.declined)
                )
            )
        parts += outcome.problems
        self.tasks.run_task(jobs.pending_brochures, self.ctx.book, on_done=self._reloaded, owner=self)
        self.status.setText(" ".join(parts))

    def _reloaded(self, suggestions: list[BrochureSuggestion]) -> None:
        text = self.status.text()
        self.model.set_rows(suggestions)
        self._update()
        if suggestions:
            self.status.setText(text)
            self.view.selectRow(0)


def review_brochures(ctx: AppContext, parent: QWidget | None = None) -> None:
    """Load the pending suggestions in the background, then show the approval dialog."""

    def show(suggestions: list[BrochureSuggestion]) -> None:
        BrochureApprovalDialog(ctx, suggestions, parent).open()

    ctx.tasks.run_task(jobs.pending_brochures, ctx.book, on_done=show)
