"""Encrypt or decrypt the open book from the window: a passphrase when there is no safe keyring, a task with
progress, and the window carried over to the converted file without a restart.

The conversion itself is ``services.crypto`` (export to a verified copy, atomic swap). The open book's
connections are closed first so that nothing writes to the file being replaced; the writer lock is held
throughout (it is counted per process), and the freshly opened book replaces ``ctx.book`` for every panel.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QProgressDialog,
    QVBoxLayout,
    QWidget,
)

from actdesk.i18n import _, user_message
from actdesk.services import crypto
from actdesk.storage.engine import Book
from actdesk.storage.open import open_book
from actdesk.ui import theme
from actdesk.ui.context import AppContext
from actdesk.ui.tasks import TaskHandle, TaskState
from actdesk.ui.topics import Topic
from actdesk.ui.widgets import FieldWithError

log = logging.getLogger(__name__)
# Topics whose views refetch once the book was swapped for its converted copy.
RELOAD_TOPICS = (
    Topic.BOOK,
    Topic.HOUSEHOLDS,
    Topic.CONTACTS,
    Topic.ACCOUNTS,
    Topic.BALANCES,
    Topic.ACTIVITIES,
    Topic.ALERTS,
    Topic.MAIL,
)


class PassphraseDialog(QDialog):
    """Asks for a passphrase twice; refuses a short one or a mismatch at the field."""

    def __init__(
        self, title: str, intro: str, parent: QWidget | None = None, *, confirm: bool = True
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        self.setMinimumWidth(460)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(theme.S6, theme.S4, theme.S6, theme.S4)
        layout.setSpacing(theme.S3)
        text = QLabel(intro, self)
        text.setWordWrap(True)
        layout.addWidget(text)
        form = QFormLayout()
        form.setSpacing(theme.S2)
        self.first = FieldWithError(QLineEdit(self), self)
        self.second = FieldWithError(QLineEdit(self), self)
        for field in (self.first, self.second):
            field.editor.setEchoMode(QLineEdit.EchoMode.Password)  # type: ignore[union-attr]
        self.first.editor.setObjectName("passphrase")
        self.second.editor.setObjectName("passphrase_again")
        form.addRow(_("Passphrase"), self.first)
        if confirm:
            form.addRow(_("Repeat it"), self.second)
        else:
            self.second.hide()
        self.confirm = confirm
        layout.addLayout(form)
        hint = QLabel(
            _(
                "At least {n} characters. Write it down somewhere safe: without it the book cannot be opened."
            ).format(n=crypto.MIN_PASSPHRASE),
            self,
        )
        hint.setObjectName("Muted")
        hint.setWordWrap(True)
        layout.addWidget(hint)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self
        )
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        layout.addWidget(self.buttons)

    def passphrase(self) -> str:
        return self.first.text()

    def validate(self) -> bool:
        self.first.clear_error()
        self.second.clear_error()
        ok = True
        if len(self.first.text()) < crypto.MIN_PASSPHRASE:
            self.first.set_error(_("Use at least {n} characters.").format(n=crypto.MIN_PASSPHRASE))
            ok = False
        elif self.confirm and self.second.text() != self.first.text():
            self.second.set_error(_("The two passphrases differ."))
            ok = False
        return ok

    def accept(self) -> None:
        if self.validate():
            super().accept()


def ask_passphrase(parent: QWidget | None) -> str | None:
    dialog = PassphraseDialog(
        _("Passphrase for the book"),
        _(
            "This computer has no safe keyring to keep the book's key, so the book is protected with a "
            "passphrase instead. You will type it each time actdesk opens the book."
        ),
        parent,
    )
    return dialog.passphrase() if dialog.exec() == QDialog.DialogCode.Accepted else None


def convert(book: Book, encrypt: bool, passphrase: str | None, state: TaskState | None = None) -> Book:
    """Encrypt (or decrypt) the file of ``book`` and return it opened again; ``book`` is closed on success.

    On failure the original file is untouched and ``book`` stays usable (its pool reconnects on demand).
    """
    path = book.path
    if path is None:
        raise crypto.EncryptionError(_("Only a book kept in a file can be encrypted."))
    if state is not None:
        state.progress(0.1, _("Closing the book's connections…"))
    book.engine.dispose()
    if state is not None:
        state.progress(0.3, _("Writing a verified copy…"))
    if encrypt:
        crypto.encrypt_book(path, passphrase)
    else:
        crypto.decrypt_book(path, book.key)
    if state is not None:
        state.progress(0.9, _("Opening the converted book…"))
    reopened = open_book(path, key=passphrase if encrypt else None)
    book.dispose()  # the engine, and one reference to the writer lock the reopened book also holds
    return reopened


def _show_progress(progress: QProgressDialog, fraction: float, message: str) -> None:
    progress.setValue(int(fraction * 100))
    progress.setLabelText(message)


def start_conversion(
    ctx: AppContext,
    parent: QWidget,
    *,
    encrypt: bool,
    on_finished: Callable[[bool], None] | None = None,
) -> TaskHandle | None:
    """Ask what is needed (a passphrase without a keyring), then convert with a progress dialog.

    ``on_finished(True)`` once ``ctx.book`` is the converted book; ``on_finished(False)`` if the advisor
    cancelled or it failed (the failure was shown; nothing was changed).
    """
    passphrase: str | None = None
    if encrypt and not crypto.keyring_available():
        passphrase = ask_passphrase(parent)
        if passphrase is None:
            if on_finished is not None:
                on_finished(False)
            return None
    progress = QProgressDialog(
        _("Encrypting the book…") if encrypt else _("Decrypting the book…"), "", 0, 100, parent
    )
    progress.setWindowTitle(_("Encryption"))
    progress.setCancelButton(None)  # the swap is atomic but not interruptible half way
    progress.setWindowModality(Qt.WindowModality.WindowModal)
    progress.setMinimumDuration(0)
    progress.setValue(0)
    book = ctx.book

    def done(new_book: Book) -> None:
        progress.close()
        ctx.book = new_book
        for topic in RELOAD_TOPICS:
            ctx.signals.data_changed.emit(topic)
        ctx.signals.data_changed.emit(Topic.SETTINGS)  # the privacy lock re-reads which secret unlocks
        ctx.signals.status_message.emit(
            _("The book is now encrypted.") if encrypt else _("The book is no longer encrypted.")
        )
        if on_finished is not None:
            on_finished(True)

    def failed(error: BaseException) -> None:
        progress.close()
        log.warning("book conversion failed: %s", error)
        from PySide6.QtWidgets import QMessageBox

        QMessageBox.warning(
            parent,
            _("Encryption"),
            user_message(error) + "\n\n" + _("The book was left as it was."),
        )
        if on_finished is not None:
            on_finished(False)

    return ctx.tasks.run_task(
        lambda state: convert(book, encrypt, passphrase, state),
        on_done=done,
        on_error=failed,
        on_progress=lambda fraction, message: _show_progress(progress, fraction, message),
    )


def describe_state(path: Path | None, key: str | None) -> str:
    """One sentence for the Privacy tab: is the book encrypted, and where its key lives."""
    if path is None:
        return _("This book is on a server; encryption at rest is the server's.")
    if key is None:
        return _("This book is not encrypted. Anyone with the file can read it.")
    from actdesk.storage.cipher import is_raw_key

    if is_raw_key(key):
        return _("This book is encrypted. Its key is kept in this computer's keyring.")
    return _("This book is encrypted with a passphrase.")
