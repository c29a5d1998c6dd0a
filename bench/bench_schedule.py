"""Schedule benchmarks: opening the month view of a book with 500,000 activities (target: under 200 ms).

``run()`` returns the numbers (milliseconds); ``python bench/bench_schedule.py`` prints them. The book is
built once with Core inserts in a temporary folder (about half a minute on the reference 2-core machine).
"""

from __future__ import annotations

import os
import random
import statistics
import sys
import tempfile
import time as clock
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

HOUSEHOLDS = 500
ACTIVITIES = 500_000
SERIES = 1_000  # recurring series among them (reviews and monthly calls)
KINDS = ("call", "meeting", "review", "task", "email", "event")
AS_OF = datetime(2026, 3, 11, 14, tzinfo=UTC)


def build_book(path: Path, activities: int = ACTIVITIES, seed: int = 7) -> Path:
    """A migrated book with ``activities`` rows spread over ten years, 1,000 of them recurring series."""
    from sqlalchemy import insert

    from actdesk.domain.schedule import recurrence
    from actdesk.storage.open import open_book
    from actdesk.storage.tables.book import ActivityRow, HouseholdRow

    rng = random.Random(seed)
    book = open_book(path)
    start = datetime(2016, 6, 1, tzinfo=UTC)
    span = int((AS_OF + timedelta(days=365) - start).total_seconds() // 900)  # 15-minute slots
    with book.session() as s:
        s.execute(
            insert(HouseholdRow),
            [
                {
                    "name": f"Household {i:03d}",
                    "status": "client",
                    "client_since": date(2010 + i % 12, 1 + i % 12, 1 + i % 28),
                }
                for i in range(HOUSEHOLDS)
            ],
        )
        rows = []
        for i in range(activities - SERIES):
            when = start + timedelta(minutes=15 * rng.randrange(span))
            past = when < AS_OF
            rows.append(
                {
                    "household_id": 1 + rng.randrange(HOUSEHOLDS),
                    "kind": rng.choice(KINDS),
                    "subject": f"Activity {i}",
                    "start": when,
                    "duration_minutes": rng.choice((15, 30, 60, 90)),
                    "completed_at": when + timedelta(hours=1) if past and rng.random() < 0.95 else None,
                    "uid": f"bench-{i}@actdesk",
                }
            )
        rows.sort(key=lambda row: row["start"])  # a real book grows roughly in time order
        for chunk in range(0, len(rows), 50_000):
            s.execute(insert(ActivityRow), rows[chunk : chunk + 50_000])
        rows = []
        for j in range(SERIES):
            first = datetime(2020 + j % 6, 1 + j % 12, 1 + j % 28, 15, tzinfo=UTC)
            rule = "FREQ=MONTHLY;INTERVAL=6" if j % 2 else "FREQ=MONTHLY"
            rows.append(
                {
                    "household_id": 1 + j % HOUSEHOLDS,
                    "kind": "review" if j % 2 else "call",
                    "subject": f"Series {j}",
                    "start": first,
                    "duration_minutes": 60,
                    "rrule": rule,
                    "series_end": recurrence.ENDLESS,
                    "uid": f"bench-series-{j}@actdesk",
                }
            )
        s.execute(insert(ActivityRow), rows)
    with book.engine.connect() as conn:
        conn.exec_driver_sql("ANALYZE")
    book.dispose()
    return path


def month_view_open_ms(path: Path, repeats: int = 7) -> dict[str, float]:
    """Median ms to open the month view: the window query alone, and query + models + painting the panel.
    The overdue side list loads in its own task after the calendar is shown; its time is reported apart."""
    from PySide6.QtWidgets import QApplication

    from actdesk.settings import Settings
    from actdesk.storage.open import open_book
    from actdesk.ui import theme
    from actdesk.ui.context import AppContext
    from actdesk.ui.schedule.controller import load_overdue, load_window, window_bounds
    from actdesk.ui.schedule.panel import SchedulePanel
    from actdesk.ui.tasks import TaskRunner

    app = QApplication.instance() or QApplication(sys.argv[:1])
    theme.apply_theme(app, "light")  # type: ignore[arg-type]
    book = open_book(path)
    settings = Settings(raw={"schedule": {"time_zone": "America/New_York", "reminders_enabled": False}})
    ctx = AppContext(book=book, settings=settings, tasks=TaskRunner(inline=True), now=lambda: AS_OF)
    panel = SchedulePanel(ctx)
    panel.resize(1280, 800)
    panel.show()
    tz = panel.controller.tz
    query, total, side, cpu, entries = [], [], [], [], 0
    known_today = None  # as in the panel: kept from the previous load while the book is unchanged
    for k in range(repeats):
        anchor = date(2025 + (k % 2), 1 + k, 15)
        first, last = window_bounds("month", anchor, tz)
        panel.controller.view, panel.controller.anchor = "month", anchor
        t0, c0 = clock.perf_counter(), clock.process_time()
        data = load_window(None, book, first, last, AS_OF, tz, known_today)
        known_today = data.today
        query.append((clock.perf_counter() - t0) * 1000)
        panel.controller.data = data
        panel._loaded(data)
        panel.repaint()
        total.append((clock.perf_counter() - t0) * 1000)
        cpu.append((clock.process_time() - c0) * 1000)
        entries = len(data.occurrences)
        t0 = clock.perf_counter()
        load_overdue(None, book, AS_OF, tz, 365)
        side.append((clock.perf_counter() - t0) * 1000)
    panel.close()
    book.dispose()
    return {
        "month_window_query_ms": round(statistics.median(query), 1),
        "month_view_open_ms": round(statistics.median(total), 1),
        # CPU time of the same, meaningful when the machine is shared and wall time includes waiting
        "month_view_open_cpu_ms": round(statistics.median(cpu), 1),
        "month_entries": float(entries),
        "overdue_side_list_ms": round(statistics.median(side), 1),
    }


def run(activities: int = ACTIVITIES) -> dict[str, float]:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "bench.db"
        t0 = clock.perf_counter()
        build_book(path, activities)
        built = clock.perf_counter() - t0
        result = month_view_open_ms(path)
        result["build_book_s"] = round(built, 1)
        result["activities"] = float(activities)
        return result


if __name__ == "__main__":
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
    for key, value in run(int(sys.argv[1]) if len(sys.argv) > 1 else ACTIVITIES).items():
        print(f"{key}: {value}")
