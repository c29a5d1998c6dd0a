"""Shared helpers of the import tests: table dumps to compare a book before and after."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from sqlalchemy import select

from actdesk.storage.tables import metadata

SAMPLES = Path(__file__).parent / "samples"
# Tables that record history by design (batches themselves, the audit trail of another feature).
EXCLUDED = {"import_batches", "import_batch_items", "audit_log"}


def dump(book: Any) -> dict[str, list[tuple[Any, ...]]]:
    """Every row of every book table, sorted, so two dumps compare equal exactly when the book is the same."""
    result: dict[str, list[tuple[Any, ...]]] = {}
    with book.reader() as s:
        for table in metadata.sorted_tables:
            if table.name in EXCLUDED or table.name.startswith("audit"):
                continue
            rows = s.execute(select(table)).all()
            result[table.name] = sorted((tuple(r) for r in rows), key=repr)
    return result
