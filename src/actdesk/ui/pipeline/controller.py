"""What the board does: load, move a card (lost asks for a reason first), create from a growth idea.

Every database call is a unit of work run through ``ctx.tasks``; results come back on the GUI thread.
``ask_reason`` is the hook the board uses to ask why an opportunity was lost (a dialog by default).
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import datetime
from typing import TypeVar

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QDialog, QWidget
from shiboken6 import isValid

from actdesk.domain.pipeline.board import PipelineError, PipelineItem
from actdesk.domain.pipeline.config import PipelineConfig, stage_label
from actdesk.domain.pipeline.similar import Suggestion
from actdesk.i18n import _, user_message
from actdesk.services import pipeline as service
from actdesk.storage.engine import Book
from actdesk.ui.context import AppContext
from actdesk.ui.pipeline.dialogs import LostReasonDialog
from actdesk.ui.pipeline.models import OpportunityModel
from actdesk.ui.topics import Topic

log = logging.getLogger(__name__)
T = TypeVar("T")


def alive(owner: QObject, fn: Callable[[T], None]) -> Callable[[T], None]:
    """``fn`` for a task's result, dropped if ``owner`` was deleted meanwhile (the panel or dialog closed)."""

    def deliver(value: T) -> None:
        if isValid(owner):
            fn(value)

    return deliver


def _load(_state: object, book: Book, now: datetime, config: PipelineConfig) -> service.Board:
    return service.board(book, now, config)


def _move(
    _state: object,
    book: Book,
    opp_id: int,
    stage: str,
    reason: str | None,
    now: datetime,
    config: PipelineConfig,
) -> PipelineItem:
    return service.move(book, opp_id, stage, reason, now, config)


def _create(
    _state: object, book: Book, suggestion: Suggestion, now: datetime, config: PipelineConfig
) -> PipelineItem:
    return service.create(
        book,
        suggestion.household_id,
        suggestion.opportunity_kind,
        now,
        config,
        expected_aum=suggestion.typical_amount,
        source=_("Existing client"),
    )


class BoardController(QObject):
    sig_loaded = Signal(object)  # Board
    sig_moved = Signal(object)  # PipelineItem
    sig_created = Signal(object)  # PipelineItem
    sig_failed = Signal(str)  # one line for the advisor

    def __init__(
        self, ctx: AppContext, config: PipelineConfig, model: OpportunityModel, parent: QWidget
    ) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.config = config
        self.model = model
        self.board: service.Board | None = None
        self.ask_reason: Callable[[PipelineItem], str | None] = self._dialog_reason

    def load(self) -> None:
        self.ctx.tasks.run_task(
            _load,
            self.ctx.book,
            self.ctx.now(),
            self.config,
            on_done=alive(self, self._loaded),
            on_error=alive(self, self._error),
        )

    def _loaded(self, board: service.Board) -> None:
        self.board = board
        self.model.set_rows(board.rows)
        self.sig_loaded.emit(board)

    def item(self, opportunity_id: int) -> PipelineItem | None:
        n = self.model.row_of(opportunity_id)
        return None if n < 0 else self.model.rows[n].item

    def move(self, opportunity_id: int, stage: str, reason: str | None = None) -> bool:
        """Ask for the move; False when refused here (read-only book, same stage, no reason for lost)."""
        item = self.item(opportunity_id)
        if item is None or item.stage == stage:
            return False
        if self.ctx.read_only:
            self.sig_failed.emit(_("This book is open read-only: the pipeline cannot change."))
            return False
        if stage == self.config.lost_stage and not (reason or "").strip():
            reason = self.ask_reason(item)
            if not (reason or "").strip():
                return False
        self.ctx.tasks.run_task(
            _move,
            self.ctx.book,
            opportunity_id,
            stage,
            reason,
            self.ctx.now(),
            self.config,
            on_done=alive(self, self._moved),
            on_error=alive(self, self._error),
        )
        return True

    def _moved(self, item: PipelineItem) -> None:
        self.ctx.signals.status_message.emit(
            _("{household} moved to {stage}").format(household=item.household, stage=stage_label(item.stage))
        )
        self.ctx.signals.data_changed.emit(Topic.PIPELINE)
        self.sig_moved.emit(item)  # the panel reloads on data_changed("pipeline")

    def create_from(self, suggestion: Suggestion) -> None:
        if self.ctx.read_only:
            self.sig_failed.emit(_("This book is open read-only: the pipeline cannot change."))
            return
        self.ctx.tasks.run_task(
            _create,
            self.ctx.book,
            suggestion,
            self.ctx.now(),
            self.config,
            on_done=alive(self, self._created),
            on_error=alive(self, self._error),
        )

    def _created(self, item: PipelineItem) -> None:
        self.ctx.signals.status_message.emit(
            _("Opportunity created for {household}: {stage}").format(
                household=item.household, stage=stage_label(item.stage)
            )
        )
        self.ctx.signals.data_changed.emit(Topic.PIPELINE)
        self.sig_created.emit(item)

    def _error(self, exc: BaseException) -> None:
        from actdesk.storage.errors import BookError

        if isinstance(exc, PipelineError | BookError):
            message = user_message(exc)
        else:
            log.error("pipeline task failed", exc_info=exc)
            message = _("The pipeline could not be updated: {error}").format(error=user_message(exc))
        self.ctx.signals.status_message.emit(message)
        self.sig_failed.emit(message)

    def _dialog_reason(self, item: PipelineItem) -> str | None:
        parent = self.parent()
        dialog = LostReasonDialog(item.household, parent if isinstance(parent, QWidget) else None)
        return dialog.value() if dialog.exec() == QDialog.DialogCode.Accepted else None
