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

from sqlalchemy import Connection, Table, select

from actdesk.paths import atomic_path
from actdesk.services.book_format.codec import formatter
from actdesk.services.book_format.schema import FILES, TAG_SEPARATOR, Column, FileSpec, Kind
from actdesk.services.cell_guard import guard, guard_enabled
from actdesk.storage.engine import Book
from actdesk.storage.repositories.client_periods import client_periods
from actdesk.storage.tables.base import Base

BATCH = 20_000
NATIVE_SQLITE = True  # False forces the portable path (tests compare both)


@dataclass(frozen=True)
class ExportSummary:
    folder: Path
    rows: dict[str, int]  # file name -> data rows written


def export_book(
    book: Book, folder: Path, progress: Callable[[str, int], None] | None = None
) -> ExportSummary:
    """Write every file of the format into ``folder`` (created if missing; our files replaced atomically)."""
    folder.mkdir(parents=True, exist_ok=True)
    counts: dict[str, int] = {}
    with book.engine.connect() as conn, conn.begin():
        for spec in FILES:
            counts[spec.filename] = _export_file(conn, spec, folder)
            if progress is not None:
                progress(spec.filename, counts[spec.filename])
    return ExportSummary(folder=folder, rows=counts)


def _export_file(conn: Connection, spec: FileSpec, folder: Path) -> int:
    table = Base.metadata.tables[spec.table]
    plain = [c for c in spec.columns if c.kind is not Kind.TAGS]
    tags = _household_tags(conn) if any(c.kind is Kind.TAGS for c in spec.columns) else {}
    tag_position = next((i for i, c in enumerate(spec.columns) if c.kind is Kind.TAGS), None)
    target = folder / spec.filename
    # formula-like text gets a leading quote (cell_guard); actdesk's import takes it off again
    guarded = [i for i, c in enumerate(spec.columns) if c.kind is Kind.TEXT] if guard_enabled() else []
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


def _chunks(conn: Connection, table: Table, columns: list[Column]) -> Iterator[list[list[Any]]]:
    """Rows of cells ready for the csv writer (None writes as an empty cell)."""
    if table.name == "client_periods":
        # the periods as every reader sees them: a household written by a path that knows nothing of
        # periods still has its one period (storage/repositories/client_periods.py)
        formats = [formatter(c.kind) for c in columns]
        periods = [[p.household_id, p.start, p.end, p.reason] for p in client_periods(conn)]
        yield [[fmt(value) for fmt, value in zip(formats, row, strict=True)] for row in periods]
        return
    if NATIVE_SQLITE and conn.dialect.name == "sqlite":
        # SQLite formats every cell itself; rows come straight from the driver's cursor.
        order = ", ".join(f'"{c.name}"' for c in table.primary_key.columns)
        cells = ", ".join(_sqlite_cell(c) for c in columns)
        cursor = conn.connection.cursor()
        try:
            cursor.execute(f'SELECT {cells} FROM "{table.name}" ORDER BY {order}')
            while rows := cursor.fetchmany(BATCH):
                yield [list(row) for row in rows]
        finally:
            cursor.close()
        return
    query = select(*(table.c[c.db_column] for c in columns)).order_by(*table.primary_key.columns)
    formats = [formatter(c.kind) for c in columns]
    result = conn.execution_options(stream_results=True, yield_per=BATCH).execute(query)
    for part in result.partitions(BATCH):
        yield [[fmt(value) for fmt, value in zip(formats, row, strict=True)] for row in part]


def _sqlite_cell(column: Column) -> str:
    """The SQL that renders one column exactly as ``codec.format_value`` would."""
    name = f'"{column.db_column}"'
    if column.kind is Kind.MONEY:
        return (
            f"CASE WHEN {name} < 0 THEN '-' || (-{name} / 100) || '.' || substr('0' || (-{name} % 100), -2) "
            f"ELSE ({name} / 100) || '.' || substr('0' || ({name} % 100), -2) END"
        )
    if column.kind is Kind.BOOL:
        return f"CASE {name} WHEN 1 THEN 'true' WHEN 0 THEN 'false' END"
    if column.kind is Kind.DATETIME:
        # UTCDateTime stores 'YYYY-MM-DDTHH:MM:SS.ffffff+00:00'; isoformat() drops a zero fraction.
        return (
            f"CASE WHEN length({name}) = 32 AND substr({name}, 20, 7) = '.000000' "
            f"THEN substr({name}, 1, 19) || substr({name}, 27) ELSE {name} END"
        )
    if column.kind is Kind.FLOAT:
        return f"CAST({name} AS REAL)"
    return name


def _household_tags(conn: Connection) -> dict[str, list[str]]:
    table = Base.metadata.tables["household_tags"]
    tags: dict[str, list[str]] = {}
    for household_id, tag in conn.execute(select(table.c.household_id, table.c.tag).order_by(table.c.tag)):
        tags.setdefault(str(household_id), []).append(tag)
    return tags
