"""The one exception importers raise for a file they cannot read: a clear message, nothing written."""

from __future__ import annotations

from actdesk.storage.errors import BookError, UndoRefusedError

__all__ = ["ImportFileError", "MergeRefusedError", "UndoRefusedError"]


class ImportFileError(BookError):
    """The file (or a saved mapping) cannot be used as given. The message says why and what to do next."""


class MergeRefusedError(BookError):
    """Two contacts cannot be merged as asked (same contact, or one does not exist); nothing was changed."""
