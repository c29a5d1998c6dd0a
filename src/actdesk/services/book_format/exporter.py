"""Write a book to a folder of CSV files, streaming rows so that millions of balances never sit in memory.

All files are read inside one transaction, so they describe one consistent moment of the book. Rows are
ordered by their key, which makes two exports of the same data byte-identical.
"""

from __future__ import annotations

import csv
import os
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, select

from actdesk.services.book_format.codec import formatter
from actdesk.services.book_format.schema import FILES, TAG_SEPARATOR, FileSpec, Kind
from actdesk.storage.engine import Book
from actdesk.storage.tables.base import Base

BATCH = 20_000


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
    query = select(*(table.c[c.db_column] for c in plain)).order_by(*table.primary_key.columns)
    formats = [formatter(c.kind) for c in plain]
    tag_position = next((i for i, c in enumerate(spec.columns) if c.kind is Kind.TAGS), None)
    target = folder / spec.filename
    partial = target.with_suffix(".csv.partial")
    count = 0
    with partial.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow([c.name for c in spec.columns])
        result = conn.execution_options(stream_results=True, yield_per=BATCH).execute(query)
        for chunk in result.partitions(BATCH):
            lines: list[list[str]] = []
            for row in chunk:
                cells = [fmt(value) for fmt, value in zip(formats, row, strict=True)]
                if tag_position is not None:
                    cells.insert(tag_position, TAG_SEPARATOR.join(tags.get(row[0], ())))
                lines.append(cells)
            writer.writerows(lines)
            count += len(lines)
    os.replace(partial, target)
    return count


def _household_tags(conn: Connection) -> dict[Any, list[str]]:
    table = Base.metadata.tables["household_tags"]
    tags: dict[Any, list[str]] = {}
    for household_id, tag in conn.execute(select(table.c.household_id, table.c.tag).order_by(table.c.tag)):
        tags.setdefault(household_id, []).append(tag)
    return tags
