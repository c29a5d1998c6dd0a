"""Benchmarks of the demo generator and the open book format (export and import) on books of three sizes.

Each function returns plain numbers (seconds and rows) for the benchmark runner. Run by hand:
``python bench/bench_demo.py 150 2000`` (add 10000 for the stress book; it takes minutes, not for CI).
"""

from __future__ import annotations

import sys
import tempfile
import time
from datetime import date
from pathlib import Path

from actdesk.services.book_format import export_book, import_book
from actdesk.services.demo import DemoOptions, generate_demo
from actdesk.storage.open import open_book

AS_OF = date(2026, 6, 30)
SIZES = {150: 30.0, 2_000: 30.0, 10_000: 50.0}  # households -> activities per household (stress: 500,000)


def bench_generate(households: int, folder: Path, activities: float | None = None) -> dict[str, float]:
    """Build a demo book into ``folder/demo.db``; seconds and row counts."""
    book = open_book(folder / "demo.db")
    try:
        start, cpu = time.perf_counter(), time.process_time()
        summary = generate_demo(
            book,
            DemoOptions(
                households=households,
                seed=1,
                as_of=AS_OF,
                activities_per_household=activities or SIZES.get(households, 30.0),
            ),
        )
        seconds, cpu = time.perf_counter() - start, time.process_time() - cpu
    finally:
        book.dispose()
    result: dict[str, float] = {
        "seconds": round(seconds, 2),
        "cpu_seconds": round(cpu, 2),
        "rows": float(sum(summary.rows.values())),
    }
    result.update({f"rows_{k}": float(v) for k, v in summary.rows.items()})
    result.update({f"phase_{k}": v for k, v in summary.seconds.items()})
    return result


def bench_round_trip(folder: Path) -> dict[str, float]:
    """Export the book built by bench_generate, then import it into a new book."""
    book = open_book(folder / "demo.db")
    try:
        start, cpu = time.perf_counter(), time.process_time()
        exported = export_book(book, folder / "csv")
        export_seconds, export_cpu = time.perf_counter() - start, time.process_time() - cpu
    finally:
        book.dispose()
    target = open_book(folder / "copy.db")
    try:
        start, cpu = time.perf_counter(), time.process_time()
        import_book(target, folder / "csv")
        import_seconds, import_cpu = time.perf_counter() - start, time.process_time() - cpu
    finally:
        target.dispose()
    return {
        "export_seconds": round(export_seconds, 2),
        "import_seconds": round(import_seconds, 2),
        "export_cpu_seconds": round(export_cpu, 2),
        "import_cpu_seconds": round(import_cpu, 2),
        "rows": float(sum(exported.rows.values())),
    }


def main(argv: list[str]) -> None:
    for size in [int(a) for a in argv] or [150, 2_000]:
        with tempfile.TemporaryDirectory() as tmp:
            folder = Path(tmp)
            built = bench_generate(size, folder)
            trip = bench_round_trip(folder)
            print(f"{size} households: {built}")
            print(f"{size} households: {trip}")


if __name__ == "__main__":
    main(sys.argv[1:])
