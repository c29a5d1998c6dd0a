"""Write a book to a folder of CSV files, streaming rows so that millions of balances never sit in memory.

All files are read inside one transaction, so they describe one consistent moment of the book. Rows are
ordered by their key, which makes two exports of the same data byte-identical.
"""

from __future__ import annotations

import csv
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import Connection

from actdesk.paths import atomic_path
from actdesk.services.book_format.codec import formatter
from actdesk.services.book_format.schema import FILES, TAG_SEPARATOR, Column, FileSpec, Kind
from actdesk.services.cell_guard import guard
from actdesk.storage.engine import Book
from actdesk.storage.repositories import book_tables
from actdesk.storage.repositories.client_periods import client_periods

BATCH = 20_000
NATIVE_SQLITE = True  # False forces the portable path (tests compare both)


@dataclass(frozen=True)
class ExportSummary:
    folder: Path
    rows: dict[str, int]  # file name -> data rows written


def export_book(
    book: Book, folder: Path, progress: Callable[[str, int], None] | None = None, *, guard: bool = True
) -> ExportSummary:
    """Write every file of the format into ``folder`` (created if missing; our files replaced atomically).

    ``guard``: formula-like text gets a leading quote (the user's ``export.csv_formula_guard``)."""
    folder.mkdir(parents=True, exist_ok=True)
    counts: dict[str, int] = {}
    with book.engine.connect() as conn, conn.begin():
        for spec in FILES:
            counts[spec.filename] = _export_file(conn, spec, folder, guard)
            if progress is not None:
                progress(spec.filename, counts[spec.filename])
    return ExportSummary(folder=folder, rows=counts)


def _export_file(conn: Connection, spec: FileSpec, folder: Path, guard_text: bool) -> int:
    table = spec.table
    plain = [c for c in spec.columns if c.kind is not Kind.TAGS]
    tags = book_tables.household_tags(conn) if any(c.kind is Kind.TAGS for c in spec.columns) else {}
    tag_position = next((i for i, c in enumerate(spec.columns) if c.kind is Kind.TAGS), None)
    target = folder / spec.filename
    # formula-like text gets a leading quote (cell_guard); actdesk's import takes it off again
    guarded = [i for i, c in enumerate(spec.columns) if c.kind is Kind.TEXT] if guard_text else []
    count = 0
    with (
        atomic_path(target, suffix=".partial") as partial,
        partial.open("w", encoding="utf-8", newline="") as fh,
    ):
        writer = csv.writer(fh)
        writer.writerow([c.name for c in spec.columns])
        for chunk in _chunks(conn, table, plain):
            if tag_position is not None:
                for row in chunk:
                    row.insert(tag_position, TAG_SEPARATOR.join(tags.get(str(row[0]), ())))
            if guarded:
                for row in chunk:
                    for i in guarded:
                        if isinstance(row[i], str):
                            row[i] = guard(row[i])
            writer.writerows(chunk)
            count += len(chunk)
    return count


def _chunks(conn: Connection, table: str, columns: list[Column]) -> Iterator[list[list[Any]]]:
    """Rows of cells ready for the csv writer (None writes as an empty cell)."""
    if table == "client_periods":
        # the periods as every reader sees them: a household written by a path that knows nothing of
        # periods still has its one period (storage/repositories/client_periods.py)
        formats = [formatter(c.kind) for c in columns]
        periods = [[p.household_id, p.start, p.end, p.reason] for p in client_periods(conn)]
        yield [[fmt(value) for fmt, value in zip(formats, row, strict=True)] for row in periods]
        return
    yield from book_tables.stream_cells(
        conn,
        table,
        [(c.db_column, c.kind) for c in columns],
        [formatter(c.kind) for c in columns],
        batch=BATCH,
        native=NATIVE_SQLITE,
    )
