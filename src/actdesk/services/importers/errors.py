"""The one exception importers raise for a file they cannot read: a clear message, nothing written."""

from __future__ import annotations

from actdesk.storage.errors import BookError


class ImportFileError(BookError):
    """The file (or a saved mapping) cannot be used as given. The message says why and what to do next."""


class UndoRefusedError(BookError):
    """A batch cannot be undone safely (already undone, or its rows changed since); nothing was changed.

    ``forceable`` says the user may still choose to undo (losing the later changes the message names).
    """

    def __init__(self, message: str, forceable: bool = False) -> None:
        super().__init__(message)
        self.forceable = forceable


class MergeRefusedError(BookError):
    """Two contacts cannot be merged as asked (same contact, or one does not exist); nothing was changed."""
