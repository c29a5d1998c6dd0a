"""Benchmark books of three sizes, built once with the demo generator and cached under ``bench/out/``.

The cache key is (households, activities per household, seed, as-of, schema revision, demo generator): a new
migration makes a new file instead of benchmarking a book the app would first have to migrate, and a changed
generator (new departures, returning households) a new book instead of last week's. A book is built into a
``.partial`` file and renamed only when complete, so an interrupted build is never mistaken for a book.
Benchmarks that write (alerts, imports) work on a copy (:func:`scratch_copy`), never on the cached file.
"""

from __future__ import annotations

import os
import shutil
import tempfile
import time
from dataclasses import dataclass
from datetime import date
from pathlib import Path

OUT = Path(__file__).resolve().parent / "out"
AS_OF = date(2026, 10, 31)


@dataclass(frozen=True)
class BookSize:
    name: str
    households: int
    activities_per_household: float


SIZES: dict[str, BookSize] = {
    # the test suite's book: the runner end to end in seconds, no meaning as a benchmark
    "tiny": BookSize("tiny", 12, 10.0),
    "solo": BookSize("solo", 150, 30.0),
    "practice": BookSize("practice", 2_000, 30.0),
    # ~25,000 contacts, ~30,000 accounts with ten years of monthly balances, ~500,000 activities
    "stress": BookSize("stress", 10_000, 50.0),
}


def schema_revision() -> str:
    """The head revision plus a digest of the migration files: a migration edited in place (same revision
    id, new column) must not leave a stale cached book behind."""
    import hashlib

    from actdesk.storage.migrate import MIGRATIONS, head_revision

    digest = hashlib.sha256()
    for path in sorted((MIGRATIONS / "versions").glob("*.py")):
        digest.update(path.name.encode() + path.read_bytes())
    return f"{head_revision()}-{digest.hexdigest()[:8]}"


def generator_digest() -> str:
    """A digest of the demo generator's source: the same seed makes another book when the generator changes."""
    import hashlib

    import actdesk.services.demo as demo

    digest = hashlib.sha256()
    for path in sorted(Path(demo.__file__).parent.glob("*.py")):
        digest.update(path.name.encode() + path.read_bytes())
    return digest.hexdigest()[:8]


def book_path(size: BookSize, seed: int = 1, folder: Path = OUT) -> Path:
    activities = f"{size.activities_per_household:g}".replace(".", "_")
    key = f"{AS_OF:%Y%m%d}-r{schema_revision()}-g{generator_digest()}"
    return folder / f"book-{size.households}h-{activities}a-s{seed}-{key}.db"


def ensure_book(size: BookSize, seed: int = 1, folder: Path = OUT, log: bool = True) -> Path:
    """The cached book for ``size``, built (tens of seconds for the stress book) when missing."""
    from actdesk.services.demo import DemoOptions, generate_demo
    from actdesk.storage.open import open_book

    path = book_path(size, seed, folder)
    if path.exists():
        return path
    folder.mkdir(parents=True, exist_ok=True)
    partial = path.with_name(path.name + ".partial")
    _remove(partial)
    if log:
        print(f"building the {size.name} book ({size.households:,} households) -> {path.name}", flush=True)
    start = time.perf_counter()
    book = open_book(partial)
    try:
        summary = generate_demo(
            book,
            DemoOptions(
                households=size.households,
                seed=seed,
                as_of=AS_OF,
                activities_per_household=size.activities_per_household,
            ),
        )
        with book.engine.connect() as conn:
            conn.exec_driver_sql("ANALYZE")
            conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
    finally:
        book.dispose()
    os.replace(partial, path)
    _remove(partial)
    if log:
        rows = ", ".join(f"{k} {v:,}" for k, v in summary.rows.items() if v)
        print(f"  built in {time.perf_counter() - start:.0f} s: {rows}", flush=True)
    return path


def _remove(path: Path) -> None:
    for suffix in ("", "-wal", "-shm", ".lock"):
        Path(str(path) + suffix).unlink(missing_ok=True)


def scratch_copy(path: Path) -> Path:
    """A private copy of a cached book for benchmarks that write (the caller deletes its folder)."""
    target = Path(tempfile.mkdtemp(prefix="actdesk-bench-")) / "book.db"
    shutil.copyfile(path, target)
    return target


def drop_scratch(path: Path) -> None:
    shutil.rmtree(path.parent, ignore_errors=True)


def row_counts(path: Path) -> dict[str, int]:
    import sqlite3

    con = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        return {
            t: int(con.execute(f"SELECT count(*) FROM {t}").fetchone()[0])
            for t in ("households", "contacts", "accounts", "balances", "activities")
        }
    finally:
        con.close()


if __name__ == "__main__":
    import sys

    for name in sys.argv[1:] or ["solo", "practice", "stress"]:
        built = ensure_book(SIZES[name])
        print(name, built, row_counts(built))
