"""Read a folder of the open book format into a book: validate everything, then write in one transaction.

Nothing is written unless every file is valid. A new or empty book keeps the files' ids; a book that already
holds records is refused unless the caller chooses to replace its contents or to append (new ids).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from enum import StrEnum
from pathlib import Path
from typing import Any

from sqlalchemy import Connection

from actdesk.services.book_format.clearing import book_counts, clear_book, reset_sequences
from actdesk.services.book_format.codec import parser
from actdesk.services.book_format.safety import check_replace, pre_import_backup, record_import
from actdesk.services.book_format.schema import FILES, REQUIRED_FILES, Kind
from actdesk.services.book_format.validation import (
    Collector,
    FileScan,
    Issue,
    Row,
    TooManyIssues,
    check_periods,
    open_rows,
    scan_file,
)
from actdesk.settings import Settings
from actdesk.storage.bulk import bulk_insert
from actdesk.storage.engine import Book
from actdesk.storage.errors import BookError
from actdesk.storage.repositories import book_tables
from actdesk.storage.repositories.client_periods import sync_periods


class ImportMode(StrEnum):
    EMPTY_ONLY = "empty_only"  # refuse a book that already holds records
    REPLACE = "replace"  # delete the book's records first, keep the files' ids
    APPEND = "append"  # add the records under new ids after the book's own


class BookFormatError(BookError):
    """The files are not a valid book; nothing was written."""

    def __init__(self, issues: list[Issue], truncated: bool) -> None:
        self.issues = issues
        self.truncated = truncated
        more = " (and more; only the first ones are listed)" if truncated else ""
        super().__init__(f"{len(issues)} problem(s) in the book files{more}; nothing was imported")


class BookNotEmptyError(BookError):
    def __init__(self, counts: dict[str, int]) -> None:
        self.counts = counts
        held = ", ".join(f"{n} {table}" for table, n in counts.items() if n)
        super().__init__(
            f"this book already holds records ({held}); nothing was imported. Import into a new or empty "
            "book, or say how: --replace deletes the book's records first, --append adds the files' records "
            "under new ids"
        )


@dataclass(frozen=True)
class ImportSummary:
    mode: ImportMode
    rows: dict[str, int]  # file -> rows imported
    notices: list[str] = field(default_factory=list)
    replaced: dict[str, int] = field(default_factory=dict)  # table -> rows deleted first (replace mode)
    backup_id: str | None = None  # the verified backup taken before a non-empty book was changed
    id_offsets: dict[str, int] = field(default_factory=dict)  # file -> amount added to its ids (append mode)


def validate_folder(folder: Path, max_errors: int = 100) -> tuple[dict[str, FileScan], list[str]]:
    """Check every file; raises BookFormatError listing the problems."""
    if not folder.is_dir():
        raise BookFormatError([Issue(str(folder), 0, "", "not a folder")], truncated=False)
    out = Collector(max_errors)
    scans: dict[str, FileScan] = {}
    try:
        for spec in FILES:
            path = folder / spec.filename
            if not path.is_file():
                if spec.name in REQUIRED_FILES:
                    out.add(spec.filename, 0, "", "file missing (a book needs at least households.csv)")
                scans[spec.name] = FileScan(spec, None)
                continue
            scans[spec.name] = scan_file(spec, path, scans, out)
        check_periods(scans, out)
    except TooManyIssues:
        raise BookFormatError(out.issues, truncated=True) from None
    if out.issues:
        raise BookFormatError(out.issues, truncated=False)
    return scans, out.notices


def import_book(
    book: Book,
    folder: Path,
    mode: ImportMode = ImportMode.EMPTY_ONLY,
    *,
    max_errors: int = 100,
    progress: Callable[[str, int], None] | None = None,
    confirmed: bool = False,
    settings: Settings | None = None,
) -> ImportSummary:
    """``confirmed`` allows a replace that deletes more records than the files add (see ``safety``);
    ``settings`` say where the backup taken first goes (the defaults when not given)."""
    scans, notices = validate_folder(folder, max_errors)
    now = datetime.now(UTC)
    backup_id = None
    with book.engine.connect() as conn:
        counts = book_counts(conn)
    if any(counts.values()):
        if mode is ImportMode.EMPTY_ONLY:
            raise BookNotEmptyError(counts)
        if mode is ImportMode.REPLACE:
            check_replace(counts, sum(scan.rows for scan in scans.values()), confirmed=confirmed)
        reason = "pre-replace" if mode is ImportMode.REPLACE else "pre-import"
        backup_id = pre_import_backup(book, reason, settings)
    with book.engine.begin() as conn:
        counts = book_counts(conn)
        replaced: dict[str, int] = {}
        if any(counts.values()):
            if mode is ImportMode.EMPTY_ONLY:
                raise BookNotEmptyError(counts)
            if mode is ImportMode.REPLACE:
                replaced = clear_book(conn)
        offsets = _offsets(conn) if mode is ImportMode.APPEND else {}
        rows: dict[str, int] = {}
        for spec in FILES:
            scan = scans[spec.name]
            if scan.path is None:
                continue
            rows[spec.filename] = _write(conn, scan, offsets, now)
            if progress is not None:
                progress(spec.filename, rows[spec.filename])
        sync_periods(
            conn
        )  # the households' own dates are their latest period; a book without the file: one each
        reset_sequences(conn)
        record_import(
            conn, mode=mode.value, folder=folder, replaced=replaced, added=rows, backup_id=backup_id
        )
    return ImportSummary(
        mode=mode,
        rows=rows,
        notices=notices,
        replaced=replaced,
        backup_id=backup_id,
        id_offsets={k: v for k, v in offsets.items() if v},
    )


def _offsets(conn: Connection) -> dict[str, int]:
    offsets: dict[str, int] = {}
    for spec in FILES:
        if spec.has_id:
            offsets[spec.name] = book_tables.max_id(conn, spec.table)
    return offsets


def _rows(scan: FileScan) -> Iterator[Row]:
    """The file's parsed rows: kept from validation, or read again for large files (already known valid)."""
    if scan.kept is not None:
        for _number, kept in scan.kept:
            yield kept
        return
    assert scan.path is not None
    header, records, _lines = open_rows(scan.path)
    known = {c.name: c for c in scan.spec.columns}
    parsers = [(i, known[name], parser(known[name])) for i, name in enumerate(header) if name in known]
    fields = [(i, col.name, p, col.kind is Kind.TEXT, col.default) for i, col, p in parsers]
    width = len(header)
    for record in records:
        if len(record) != width:
            continue  # blank lines (validation refused every other short row)
        row: Row = {}
        for index, column, parse, is_text, default in fields:
            cell = record[index] if is_text else record[index].strip()
            row[column] = parse(cell) if cell else default
        yield row


def _write(conn: Connection, scan: FileScan, offsets: dict[str, int], now: datetime) -> int:
    spec = scan.spec
    table = spec.table
    columns = [c for c in spec.columns if c.kind is not Kind.TAGS]
    present = {c.name for c in scan.columns}
    plan: list[tuple[str, bool, Any, int]] = []
    for col in columns:
        fallback = col.default
        if fallback is None and col.kind is Kind.DATETIME and not book_tables.nullable(table, col.db_column):
            fallback = now  # e.g. created_at left out by another tool: the moment of the import
        shift = offsets.get(col.references, 0) if col.references else 0
        plan.append((col.name, col.name in present, fallback, shift))
    id_position = next((i for i, col in enumerate(columns) if col.name == "id"), None)
    own_shift = offsets.get(spec.name, 0)
    tags: list[tuple[int, str]] = []
    last_id = scan.max_id

    def tuples() -> Iterator[list[Any]]:
        nonlocal last_id
        for row in _rows(scan):
            values: list[Any] = []
            for name, given, fallback, shift in plan:
                value = row.get(name) if given else None
                if value is None:
                    value = fallback
                elif shift:
                    value += shift
                values.append(value)
            if id_position is not None:
                if values[id_position] is None:
                    last_id += 1
                    values[id_position] = last_id
                values[id_position] += own_shift
                tags.extend((values[id_position], tag) for tag in row.get("tags") or ())
            yield values

    written = bulk_insert(conn, table, [c.db_column for c in columns], tuples())
    if tags:
        bulk_insert(conn, "household_tags", ("household_id", "tag"), tags)
    return written
