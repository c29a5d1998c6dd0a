"""Costs of the reliability guarantees on a book of ``n`` households (each with two contacts).

Each function returns numbers (seconds or ratios) for the benchmark runner.
"""

from __future__ import annotations

import tempfile
import time
from pathlib import Path

from sqlalchemy import insert

from actdesk.services.backup import write_backup
from actdesk.storage.open import open_book
from actdesk.storage.tables.book import ContactRow, HouseholdRow


def _book(folder: Path, n: int):
    book = open_book(folder / "bench.db")
    with book.session() as s:
        s.execute(
            insert(HouseholdRow),
            [{"id": i + 1, "name": f"Household {i}", "status": "client"} for i in range(n)],
        )
        s.execute(
            insert(ContactRow),
            [
                {"household_id": i // 2 + 1, "first_name": "A", "last_name": str(i), "role": "primary"}
                for i in range(2 * n)
            ],
        )
    return book


def bench_backup(n: int = 5000) -> dict[str, float]:
    """Seconds for a verified backup (VACUUM INTO + integrity_check + checksum) and for a checked open."""
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        book = _book(folder, n)
        assert book.path is not None
        start = time.perf_counter()
        write_backup(book.path, None, folder / "backups", "bench")
        backup = time.perf_counter() - start
        book.dispose()
        start = time.perf_counter()
        open_book(folder / "bench.db").dispose()
        opened = time.perf_counter() - start
        return {
            "backup_s": backup,
            "open_with_quick_check_s": opened,
            "size_mb": (folder / "bench.db").stat().st_size / 1e6,
        }


def bench_audit_overhead(n: int = 2000) -> dict[str, float]:
    """ORM inserts per second with the audit trail, one unit of work per household (as the window saves)."""
    with tempfile.TemporaryDirectory() as tmp:
        book = open_book(Path(tmp) / "audit.db")
        start = time.perf_counter()
        for i in range(n):
            with book.session() as s:
                s.add(HouseholdRow(name=f"Household {i}", status="client"))
        elapsed = time.perf_counter() - start
        book.dispose()
        return {"audited_commits_per_s": n / elapsed}


if __name__ == "__main__":
    print(bench_backup())
    print(bench_audit_overhead())
