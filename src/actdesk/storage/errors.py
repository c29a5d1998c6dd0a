"""Errors the storage layer raises for conditions a user can cause or fix. Each carries a readable message."""

from __future__ import annotations


class BookError(Exception):
    """A problem with the book (database) that the user should be told about in plain words."""


class NotABookError(BookError):
    pass


class EncryptedBookError(NotABookError):
    """An encrypted book opened without its key (or with a wrong one); the file is left untouched."""


class NewerBookError(BookError):
    pass


class BookLockedError(BookError):
    def __init__(self, message: str, holder: str | None = None) -> None:
        super().__init__(message)
        self.holder = holder


class CorruptBookError(BookError):
    pass


class DiskFullError(BookError):
    """The disk (or the book's size limit) is full; the unit of work was rolled back, nothing half-written."""


class BookNotWritableError(BookError):
    """The book or its folder is read-only or not ours to write (permissions, read-only medium)."""


class ValidationError(BookError):
    """Bad input refused before anything was written. ``errors`` maps a field (or file:line:column) to a reason."""

    def __init__(self, errors: dict[str, str] | list[tuple[str, str]]) -> None:
        self.errors: list[tuple[str, str]] = (
            list(errors.items()) if isinstance(errors, dict) else list(errors)
        )
        super().__init__("; ".join(f"{where}: {why}" for where, why in self.errors))


class ConflictError(BookError):
    """Someone else changed the record since it was read (optimistic version check)."""


class NotFoundError(BookError):
    pass


class UndoRefusedError(BookError):
    """A batch cannot be undone safely (already undone, or its rows changed since); nothing was changed.

    ``forceable`` says the user may still choose to undo (losing the later changes the message names).
    """

    def __init__(self, message: str, forceable: bool = False) -> None:
        super().__init__(message)
        self.forceable = forceable
