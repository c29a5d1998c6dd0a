"""Counting and emptying the core tables of a book (used by import --replace and the demo's --replace)."""

from __future__ import annotations

from sqlalchemy import Connection

from actdesk.services.book_format.schema import FILES
from actdesk.storage.repositories import book_tables

# Children before parents, so that deleting never trips a foreign key.
DELETE_ORDER: tuple[str, ...] = ("household_tags", *reversed([spec.table for spec in FILES]))


def book_counts(conn: Connection) -> dict[str, int]:
    """Rows per core table, parents first; a book is empty when every count is zero."""
    return book_tables.count_rows(conn, [spec.table for spec in FILES])


def clear_book(conn: Connection) -> dict[str, int]:
    """Delete every record of the core tables inside the caller's transaction; returns what was deleted."""
    counts = book_counts(conn)
    book_tables.delete_all(conn, DELETE_ORDER)
    return {table: n for table, n in counts.items() if n}


def reset_sequences(conn: Connection) -> None:
    """Explicit ids leave PostgreSQL's sequences behind; move each past the largest id (no-op elsewhere)."""
    book_tables.reset_id_sequences(conn, [spec.table for spec in FILES if spec.has_id])
