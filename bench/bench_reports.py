"""Reports benchmark: seconds to build each report of the catalogue and to write it as PDF, Excel and CSV.

Functions return numbers for a runner; ``python bench/bench_reports.py BOOK.db [AS_OF]`` prints them.
Build a book with ``actdesk demo --households 500``.
"""

from __future__ import annotations

import sys
import tempfile
import time
from datetime import date
from pathlib import Path

from actdesk.domain.analytics.config import AnalyticsConfig
from actdesk.domain.analytics.dates import last_month_end
from actdesk.domain.schedule.config import ScheduleSettings
from actdesk.services.reports.base import ReportContext
from actdesk.services.reports.catalogue import REPORTS, get
from actdesk.services.reports.render import PageSetup, export_report
from actdesk.storage.open import open_book


def build_seconds(db: Path, as_of: date) -> dict[str, float]:
    """Seconds to build each report (one fresh context each, as the CLI does)."""
    book = open_book(db)
    out = {}
    try:
        for spec in REPORTS:
            start = time.perf_counter()
            spec.build(ReportContext(book, as_of, analytics=AnalyticsConfig(), schedule=ScheduleSettings()))
            out[spec.key] = round(time.perf_counter() - start, 3)
    finally:
        book.dispose()
    return out


def export_seconds(db: Path, as_of: date, key: str = "stack-ranking") -> dict[str, float]:
    """Seconds to write one built report in each format, and the PDF's page count."""
    book = open_book(db)
    try:
        report = get(key).build(
            ReportContext(book, as_of, analytics=AnalyticsConfig(), schedule=ScheduleSettings())
        )
    finally:
        book.dispose()
    out: dict[str, float] = {}
    with tempfile.TemporaryDirectory() as folder:
        for fmt in ("pdf", "xlsx", "csv"):
            start = time.perf_counter()
            path = export_report(report, fmt, Path(folder) / f"r.{fmt}", PageSetup("Bench"))
            out[fmt] = round(time.perf_counter() - start, 3)
            if fmt == "pdf":
                from pypdf import PdfReader

                out["pdf_pages"] = len(PdfReader(path).pages)
    return out


if __name__ == "__main__":
    db = Path(sys.argv[1])
    day = date.fromisoformat(sys.argv[2]) if len(sys.argv) > 2 else last_month_end(date.today())
    print("build", build_seconds(db, day))
    print("export", export_seconds(db, day))
