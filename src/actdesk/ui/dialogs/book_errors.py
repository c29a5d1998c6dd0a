"""A book that cannot be opened gets a dialog that says what happened, that nothing was changed, and what next."""

from __future__ import annotations

import html
from dataclasses import dataclass

from PySide6.QtWidgets import QMessageBox, QWidget

from actdesk.i18n import _, user_message
from actdesk.storage.errors import BookError, BookLockedError, CorruptBookError, NewerBookError, NotABookError

OPEN_OTHER = "open_other"
QUIT = "quit"
RETRY = "retry"
READ_ONLY = "read_only"


@dataclass(frozen=True)
class BookErrorText:
    title: str
    message: str
    next_step: str
    can_retry: bool = False


def describe(error: BookError, location: str) -> BookErrorText:
    """Plain words for each way a book can refuse to open. The file is never modified in any of them."""
    untouched = _("The file was not changed.")
    if isinstance(error, BookLockedError):
        holder = error.holder or _("another actdesk window")
        return BookErrorText(
            _("This book is already open"),
            _("{path} is in use by {holder}.").format(path=location, holder=holder) + " " + untouched,
            _(
                "Close actdesk there and try again, open it read-only to look without changing anything, "
                "or open another book."
            ),
            can_retry=True,
        )
    if isinstance(error, NewerBookError):
        return BookErrorText(
            _("This book needs a newer actdesk"),
            _("{path} was saved by a newer version of actdesk.").format(path=location) + " " + untouched,
            _("Install the latest actdesk to open it; or open another book."),
        )
    if isinstance(error, CorruptBookError):
        return BookErrorText(
            _("This book is damaged"),
            _("{path} could not be read: parts of it are damaged.").format(path=location) + " " + untouched,
            _("Restore it from a backup (Preferences, Backups), or open another book."),
        )
    if isinstance(error, NotABookError):
        return BookErrorText(
            _("This is not an actdesk book"),
            _("{path} is not an actdesk database, or it is encrypted.").format(path=location)
            + " "
            + untouched,
            _("Choose the right file, or start a new book."),
        )
    return BookErrorText(
        _("The book could not be opened"),
        user_message(error) + " " + untouched,
        _("Try again, or open another book."),
        can_retry=True,
    )


def informative_html(text: BookErrorText) -> str:
    """The box's second paragraph: the message names the file, and a folder called "Smith & <Jones>" is
    text, not markup."""
    return f"{html.escape(text.message)}<br><br>{html.escape(text.next_step)}"


def ask_after_book_error(parent: QWidget | None, error: BookError, location: str) -> str:
    """Show the dialog; returns OPEN_OTHER, RETRY, READ_ONLY (locked books only) or QUIT."""
    text = describe(error, location)
    box = QMessageBox(parent)
    box.setIcon(QMessageBox.Icon.Warning)
    box.setWindowTitle(text.title)
    box.setText(f"<b>{html.escape(text.title)}</b>")
    box.setInformativeText(informative_html(text))
    other = box.addButton(_("Open another book…"), QMessageBox.ButtonRole.AcceptRole)
    retry = box.addButton(_("Try again"), QMessageBox.ButtonRole.ActionRole) if text.can_retry else None
    read_only = (
        box.addButton(_("Open read-only"), QMessageBox.ButtonRole.ActionRole)
        if isinstance(error, BookLockedError)
        else None
    )
    box.addButton(_("Quit"), QMessageBox.ButtonRole.RejectRole)
    box.setDefaultButton(other)
    box.exec()
    clicked = box.clickedButton()
    if clicked is other:
        return OPEN_OTHER
    if retry is not None and clicked is retry:
        return RETRY
    if read_only is not None and clicked is read_only:
        return READ_ONLY
    return QUIT
