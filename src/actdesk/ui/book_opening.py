"""The book, opened behind the painted window (issue 21).

``app.run`` shows the window first (its rail, status bar and the first panel's "Opening your book…" state)
and starts :class:`BookOpener` at the first paint. On the database worker it imports SQLAlchemy, takes the
writer lock, checks the file (``quick_check``, or ``integrity_check`` after an unclean exit) and brings the
schema up to date, exactly as ``storage.open.open_book`` always did; only then is the book handed to the
context (``AppContext.attach_book``), so nothing reads or writes it before those checks passed. A refusal is
shown over the window, as before the window existed: a damaged book is offered its latest good backup, and
every refusal offers to retry, open read-only (locked books), open another book or quit.
"""

from __future__ import annotations

import importlib
import logging
import re
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QFileDialog, QWidget

from actdesk.i18n import _
from actdesk.settings import Settings
from actdesk.storage.errors import BookError, BookLockedError, CorruptBookError
from actdesk.ui.context import AppContext

if TYPE_CHECKING:
    from actdesk.services.integrity import OpenOutcome

log = logging.getLogger(__name__)
_PASSWORD = re.compile(r"(//[^/:@]*):[^/@]*@")


def location_text(ctx: AppContext, location: str) -> str:
    """The book as the status bar names it: its path, or its URL without the password. Before the book is
    open this is read from what was asked for (SQLAlchemy, which renders URLs, is not loaded yet)."""
    if ctx.book_open:
        path = ctx.book.path
        return str(path) if path else ctx.book.url.render_as_string(hide_password=True)
    if "://" in location:
        return _PASSWORD.sub(r"\1:***@", location)
    return str(Path(location).expanduser()) if location else ""


def open_on_worker(target: str, read_only: bool, settings: Settings) -> OpenOutcome:
    """Runs on the database worker: the whole of ``open_book`` (lock, checks, migration), and for a damaged
    file book the latest good backup that could replace it."""
    from actdesk.services.integrity import OpenOutcome, open_or_recover

    if "://" in target:
        from actdesk.storage.open import open_book

        return OpenOutcome(book=open_book(target, read_only=read_only))
    return open_or_recover(Path(target).expanduser(), settings, read_only=read_only)


class BookOpener(QObject):
    """Opens ``target`` on the database worker and, when it refuses, asks the advisor what next.

    ``sig_opening`` with the path or URL each time it starts opening one (the first, or another the advisor
    chose after a refusal: the status bar names it at once); ``sig_opened`` once the context holds the book;
    ``sig_given_up`` when the advisor quit or, not interactive (``gui --smoke``), at the first refusal:
    ``error`` then holds it for the command line.
    ``then_import``: modules the book's wiring needs, imported on the worker once the book is open, so that
    the GUI thread only builds widgets."""

    sig_opening = Signal(str)
    sig_opened = Signal()
    sig_given_up = Signal()

    def __init__(
        self,
        window: QWidget,
        ctx: AppContext,
        target: str,
        *,
        interactive: bool,
        then_import: Sequence[str] = (),
    ) -> None:
        super().__init__(window)
        self.then_import = tuple(then_import)
        self.window = window
        self.ctx = ctx
        self.target = target
        self.interactive = interactive
        self.read_only = False
        self.error: BaseException | None = None
        self._outcome: OpenOutcome | None = None  # set on the worker: a book opened as the window closed

    def start(self) -> None:
        if self.ctx.book_open:
            return
        target, read_only, settings = self.target, self.read_only, self.ctx.settings
        self.sig_opening.emit(target)

        def work(_state: object) -> OpenOutcome:
            self._outcome = outcome = open_on_worker(target, read_only, settings)
            if outcome.book is not None:
                for name in self.then_import:
                    importlib.import_module(name)
                from actdesk.storage.open import configure_registered_tables

                configure_registered_tables()  # the first panel's first query would, beside its own work
            return outcome

        self.ctx.tasks.run_task(
            work,
            on_done=self._finished,
            on_error=self._refused,
            owner=self,
        )

    def release_unattached(self) -> None:
        """After the workers stopped: a book the window closed too early to receive is let go (its lock)."""
        outcome, self._outcome = self._outcome, None
        if outcome is not None and outcome.book is not None and not self.ctx.book_open:
            outcome.book.dispose()

    def _finished(self, outcome: OpenOutcome) -> None:
        if outcome.book is not None:
            self.ctx.attach_book(outcome.book, read_only=self.read_only)
            self.sig_opened.emit()
            return
        error: BaseException = outcome.error or CorruptBookError(_("The book could not be opened"))
        if self.interactive:
            from actdesk.ui.shell.recovery import RESTORED, offer_recovery

            path = Path(self.target).expanduser()
            if offer_recovery(self.window, path, outcome.latest_good, self.ctx.settings) == RESTORED:
                self.start()
                return
        self._refused(error)

    def _refused(self, error: BaseException) -> None:
        if not self.interactive or not isinstance(error, BookError):
            if not isinstance(error, BookError):
                log.error("opening the book failed", exc_info=error)
            self.error = error  # app.run raises it once the window is closed: the command line reports it
            self.sig_given_up.emit()
            return
        from actdesk.ui.dialogs.book_errors import OPEN_OTHER, READ_ONLY, RETRY, ask_after_book_error

        answer = ask_after_book_error(self.window, error, self.target)
        if answer == READ_ONLY and isinstance(error, BookLockedError):
            self.read_only = True
        elif answer == OPEN_OTHER:
            chosen, _filter = QFileDialog.getOpenFileName(
                self.window,
                _("Open a book"),
                str(Path(self.target).expanduser().parent),
                _("actdesk books (*.db)"),
            )
            if not chosen:
                self.sig_given_up.emit()
                return
            self.target, self.read_only = chosen, False
        elif answer != RETRY:
            self.sig_given_up.emit()
            return
        self.start()
