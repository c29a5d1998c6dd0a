"""Benchmark: 50,000 contacts from a CSV previewed and imported, against a raw executemany floor.

Run: ``python bench/bench_import.py [rows]``. Each function returns seconds (the runner collects them).
The book already holds 500 households and 1,000 contacts, some of which the file matches, so the preview
does real matching work.
"""

from __future__ import annotations

import csv
import sqlite3
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

from actdesk.services.importers import jobs
from actdesk.storage.open import open_book
from actdesk.storage.tables.book import ContactRow, HouseholdRow

NOW = datetime(2026, 3, 1, tzinfo=UTC)
HEADERS = [
    "First Name",
    "Last Name",
    "E-mail Address",
    "E-mail Display Name",
    "Mobile Phone",
    "Birthday",
    "Home Street",
    "Home City",
    "Home State",
    "Home Postal Code",
    "Home Country/Region",
    "Job Title",
]


def write_file(path: Path, rows: int) -> None:
    with path.open("w", newline="", encoding="utf-8") as fh:
        writer = csv.writer(fh)
        writer.writerow(HEADERS)
        for n in range(rows):
            writer.writerow(
                [
                    f"First{n}",
                    f"Last{n % 5000}",
                    f"person{n}@example.com",
                    f"First{n} Last{n % 5000}",
                    f"+1 {200 + n // 10000:03d} 555 {n % 10000:04d}",
                    f"{1 + n % 12}/{1 + n % 28}/{1940 + n % 60}",
                    f"{n} Main St",
                    "Springfield",
                    "IL",
                    f"{60000 + n % 999}",
                    "United States",
                    "Engineer",
                ]
            )


def seed(book) -> None:
    with book.session() as s:
        for h in range(500):
            row = HouseholdRow(name=f"Household {h}", status="client")
            s.add(row)
            s.flush()
            for c in range(2):
                n = h * 2 + c
                s.add(
                    ContactRow(
                        household_id=row.id,
                        role="primary",
                        first_name=f"Existing{n}",
                        last_name="X",
                        email=f"person{n * 40}@example.com" if n % 2 == 0 else None,
                    )
                )


def bench_preview_and_import(rows: int = 50_000) -> dict[str, float]:
    folder = Path(tempfile.mkdtemp())
    path = folder / "contacts.csv"
    write_file(path, rows)
    book = open_book(folder / "book.db")
    seed(book)
    start = time.perf_counter()
    preview = jobs.preview_contacts(book, path)
    previewed = time.perf_counter()
    result = jobs.import_contacts(book, preview, NOW)
    imported = time.perf_counter()
    jobs.undo_batch(book, result.batch_id, NOW)
    undone = time.perf_counter()
    book.dispose()
    return {
        "rows": rows,
        "added": result.added,
        "merged": result.merged,
        "preview_s": previewed - start,
        "import_s": imported - previewed,
        "preview_and_import_s": imported - start,
        "undo_s": undone - imported,
    }


def bench_executemany_floor(rows: int = 50_000) -> float:
    """The same number of contact rows inserted with sqlite3 executemany in one transaction (no checks)."""
    folder = Path(tempfile.mkdtemp())
    book = open_book(folder / "book.db")
    book.dispose()
    conn = sqlite3.connect(folder / "book.db")
    conn.execute("PRAGMA synchronous=FULL")
    data = [
        (
            "primary",
            f"First{n}",
            f"Last{n}",
            f"person{n}@example.com",
            "+1 555 000 0000",
            "1970-01-01",
            f"{n} Main St",
            "Springfield",
            "IL",
            "60000",
            "United States",
            "Engineer",
            0,
            "2026-03-01",
            "2026-03-01",
        )
        for n in range(rows)
    ]
    start = time.perf_counter()
    with conn:
        conn.executemany(
            "INSERT INTO contacts (role, first_name, last_name, email, phone, birth_date, address, city, region,"
            " postal_code, country, occupation, do_not_email, created_at, updated_at)"
            " VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
            data,
        )
    elapsed = time.perf_counter() - start
    conn.close()
    return elapsed


if __name__ == "__main__":
    count = int(sys.argv[1]) if len(sys.argv) > 1 else 50_000
    result = bench_preview_and_import(count)
    floor = bench_executemany_floor(count)
    for key, value in result.items():
        print(f"{key:>22}: {value:.2f}" if isinstance(value, float) else f"{key:>22}: {value}")
    print(f"{'executemany floor s':>22}: {floor:.2f}")
