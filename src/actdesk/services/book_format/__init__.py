"""The open book format: a folder of CSV files, one per table, that other tools can read and write.

See docs/book-format.md; ``schema.FILES`` is the authoritative list of files and columns.
"""

from __future__ import annotations

from actdesk.services.book_format.clearing import book_counts, clear_book, reset_sequences
from actdesk.services.book_format.exporter import ExportSummary, export_book
from actdesk.services.book_format.importer import (
    BookFormatError,
    BookNotEmptyError,
    ImportMode,
    ImportSummary,
    import_book,
    validate_folder,
)
from actdesk.services.book_format.validation import Issue

__all__ = [
    "BookFormatError",
    "BookNotEmptyError",
    "ExportSummary",
    "ImportMode",
    "ImportSummary",
    "Issue",
    "book_counts",
    "clear_book",
    "export_book",
    "import_book",
    "reset_sequences",
    "validate_folder",
]
