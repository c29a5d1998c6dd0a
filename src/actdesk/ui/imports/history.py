"""Import history: every import, merge and household confirmation, each undoable as a whole."""

from __future__ import annotations

from typing import Any

from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QMessageBox,
    QPushButton,
    QStackedWidget,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from actdesk.i18n import _, user_message
from actdesk.services.importers import jobs
from actdesk.services.importers.errors import UndoRefusedError
from actdesk.storage.repositories.imports import BatchSummary
from actdesk.ui import theme
from actdesk.ui.context import AppContext
from actdesk.ui.imports import models
from actdesk.ui.tasks import TaskState
from actdesk.ui.topics import Topic
from actdesk.ui.widgets.empty_state import EmptyState


def load_task(_state: TaskState, book: Any) -> list[BatchSummary]:
    return jobs.list_batches(book)


def undo_task(_state: TaskState, book: Any, batch_id: int, now: Any, force: bool) -> dict[str, int]:
    return jobs.undo_batch(book, batch_id, now, force)


class ImportHistoryDialog(QDialog):
    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.setWindowTitle(_("Import history"))
        self.resize(900, 480)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(theme.S6, theme.S6, theme.S6, theme.S4)
        layout.setSpacing(theme.S3)
        title = QLabel(_("Import history"), self)
        title.setObjectName("CardTitle")
        hint = QLabel(
            _("Undo puts the book back exactly as it was before that import, merge or grouping."), self
        )
        hint.setObjectName("Muted")
        layout.addWidget(title)
        layout.addWidget(hint)
        self.model = models.batches_model(self)
        self.view = QTableView(self)
        self.view.setModel(self.model)
        self.view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.view.setAlternatingRowColors(True)
        self.view.verticalHeader().hide()
        self.view.horizontalHeader().setStretchLastSection(True)
        self.view.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        self.empty = EmptyState(
            "import",
            _("No imports yet"),
            _("Imports, merges of duplicates and households you confirm appear here."),
            parent=self,
        )
        self.stack = QStackedWidget(self)
        self.stack.addWidget(self.view)
        self.stack.addWidget(self.empty)
        layout.addWidget(self.stack, 1)
        row = QHBoxLayout()
        self.undo_button = QPushButton(_("Undo this batch…"), self)
        self.undo_button.setEnabled(False)
        self.undo_button.setAutoDefault(False)
        close = QPushButton(_("Close"), self)
        close.setDefault(True)
        close.clicked.connect(self.accept)
        row.addWidget(self.undo_button)
        row.addStretch(1)
        row.addWidget(close)
        layout.addLayout(row)
        self.undo_button.clicked.connect(self.undo_selected)
        self.view.selectionModel().selectionChanged.connect(self._selection_changed)
        self.refresh()

    def refresh(self) -> None:
        self.ctx.tasks.run_task(load_task, self.ctx.book, on_done=self._loaded, on_error=self._failed)

    def _loaded(self, batches: list[BatchSummary]) -> None:
        self.model.set_rows(batches)
        self.stack.setCurrentWidget(self.view if batches else self.empty)
        self.view.resizeColumnsToContents()
        self._selection_changed()

    def selected(self) -> BatchSummary | None:
        rows = self.view.selectionModel().selectedRows()
        return self.model.row_at(rows[0].row()) if rows else None

    def _selection_changed(self, *_args: Any) -> None:
        batch = self.selected()
        enabled = batch is not None and batch.state == "applied"
        self.undo_button.setEnabled(enabled)
        # The theme colours "Danger" buttons red even when disabled; only an active undo looks dangerous.
        self.undo_button.setObjectName("Danger" if enabled else "")
        self.undo_button.style().unpolish(self.undo_button)
        self.undo_button.style().polish(self.undo_button)

    def undo_selected(self, force: bool = False) -> None:
        batch = self.selected()
        if batch is None:
            return
        if not force:
            answer = QMessageBox.question(
                self,
                _("Undo this batch?"),
                _("Everything batch {id} added will be removed and everything it changed put back.").format(
                    id=batch.id
                ),
            )
            if answer != QMessageBox.StandardButton.Yes:
                return
        self.run_undo(batch.id, force)

    def run_undo(self, batch_id: int, force: bool = False) -> None:
        def failed(error: BaseException) -> None:
            if isinstance(error, UndoRefusedError) and error.forceable and not force:
                answer = QMessageBox.warning(
                    self,
                    _("Records changed since"),
                    user_message(error) + "\n\n" + _("Undo anyway?"),
                    QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
                )
                if answer == QMessageBox.StandardButton.Yes:
                    self.run_undo(batch_id, force=True)
                return
            self._failed(error)

        def done(_counts: dict[str, int]) -> None:
            for topic in (Topic.CONTACTS, Topic.HOUSEHOLDS, Topic.ACCOUNTS, Topic.BALANCES, Topic.IMPORTS):
                self.ctx.signals.data_changed.emit(topic)
            self.ctx.signals.status_message.emit(_("Batch {id} undone.").format(id=batch_id))
            self.refresh()

        self.ctx.tasks.run_task(
            undo_task, self.ctx.book, batch_id, self.ctx.now(), force, on_done=done, on_error=failed
        )

    def _failed(self, error: BaseException) -> None:
        QMessageBox.warning(self, _("Undo failed"), user_message(error))
