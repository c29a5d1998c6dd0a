"""Drop a reply (.eml, Outlook .msg) or a mailbox (.mbox) anywhere on the main window to read questionnaire answers.

``install_reply_drop(window, ctx)`` is the one call the main window makes. Reading happens in the background;
the advisor sees what was found (and every doubt) and files it with one button; then the notification says
what was filed and offers the brochures waiting for approval.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QEvent, QObject
from PySide6.QtGui import QDragEnterEvent, QDropEvent
from PySide6.QtWidgets import QWidget

from actdesk.i18n import _, ngettext, user_message
from actdesk.services.engagement import jobs
from actdesk.services.engagement.replies import ReplyResult
from actdesk.ui.context import AppContext
from actdesk.ui.engagement.reply_dialog import ReplyReviewDialog
from actdesk.ui.topics import Topic

SUFFIXES = (".eml", ".mbox", ".msg")  # .msg: dragged out of Outlook


def reply_paths(event: QDragEnterEvent | QDropEvent) -> list[Path]:
    mime = event.mimeData()
    if mime is None or not mime.hasUrls():
        return []
    paths = [Path(u.toLocalFile()) for u in mime.urls() if u.isLocalFile()]
    return [p for p in paths if p.suffix.lower() in SUFFIXES]


class ReplyDropHandler(QObject):
    def __init__(self, window: QWidget, ctx: AppContext) -> None:
        super().__init__(window)
        self.window = window
        self.ctx = ctx
        self.dialog: ReplyReviewDialog | None = None
        self.tasks = ctx.tasks  # results for a closed widget are dropped

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        kind = event.type()
        if kind in (QEvent.Type.DragEnter, QEvent.Type.DragMove) and isinstance(
            event, QDragEnterEvent | QDropEvent
        ):
            if reply_paths(event):
                event.acceptProposedAction()
                return True
        elif kind == QEvent.Type.Drop and isinstance(event, QDropEvent):
            paths = reply_paths(event)
            if paths:
                event.acceptProposedAction()
                self.read(paths)
                return True
        return False

    def read(self, paths: list[Path]) -> None:
        self.ctx.signals.status_message.emit(_("Reading questionnaire replies…"))
        self.tasks.run_task(
            jobs.read_replies,
            self.ctx.book,
            self.ctx.settings,
            paths,
            self.ctx.now(),
            on_done=self._read,
            on_error=self._failed,
            owner=self,
        )

    def _read(self, results: list[ReplyResult]) -> None:
        dialog = ReplyReviewDialog(results, self.window)
        dialog.sig_file_requested.connect(lambda: self._file(dialog))
        dialog.sig_brochures_requested.connect(self._brochures)
        self.dialog = dialog
        dialog.open()

    def _file(self, dialog: ReplyReviewDialog) -> None:
        if self.ctx.read_only:
            dialog.summary.setText(_("This book is open read-only."))
            return
        self.tasks.run_task(
            jobs.file_replies,
            self.ctx.book,
            self.ctx.settings,
            dialog.results,
            self.ctx.now(),
            on_done=lambda results: self._filed(dialog, results),
            on_error=self._failed,
            owner=self,
        )

    def _filed(self, dialog: ReplyReviewDialog, results: list[ReplyResult]) -> None:
        filed = [f for r in results for f in r.filed]
        brochures = sum(1 for f in filed if f.brochure_id is not None)
        dialog.show_filed(results, brochures)
        for topic in (Topic.LIFE_EVENTS, Topic.ACTIVITIES, Topic.ALERTS):
            self.ctx.signals.data_changed.emit(topic)
        households = sorted({r.household for r in results if r.filed})
        if filed and not self.ctx.in_meeting:
            self.ctx.signals.status_message.emit(
                ngettext(
                    "{n} life event filed from questionnaire replies ({households}).",
                    "{n} life events filed from questionnaire replies ({households}).",
                    len(filed),
                ).format(n=len(filed), households=", ".join(households))
            )

    def _brochures(self) -> None:
        from actdesk.ui.engagement.brochure_dialog import review_brochures

        review_brochures(self.ctx, self.window)

    def _failed(self, error: BaseException) -> None:
        self.ctx.signals.status_message.emit(
            _("The replies could not be read: {error}").format(error=user_message(error))
        )


def install_reply_drop(window: QWidget, ctx: AppContext) -> ReplyDropHandler:
    """Let questionnaire replies be dropped on ``window``."""
    handler = ReplyDropHandler(window, ctx)
    window.setAcceptDrops(True)
    window.installEventFilter(handler)
    return handler
