"""Book dashboard benchmark: gathering its data, rendering it, and the retention model that follows.

The issue's goal: the book dashboard of a 10,000-household book renders in under 1 second. The window
paints the dashboard from ``gather_book`` (every KPI, trend and table but the book value client by
client) and fills that one figure in when the retention model arrives from the child process.
``first_paint_s`` = ``gather_s`` (the background task: load and compute) + ``render_s`` (GUI-thread
time from the gathered data to every chart drawn: ``BookView.set_data`` plus each figure's one draw;
``*_cpu_s`` is the process CPU time, which a shared machine does not inflate). ``model_cold_s`` is the
retention model in a fresh child process (spawn, imports, history load, fit); ``model_warm_s`` the same
child asked again (its cache, as after the alert evaluation that runs at start). ``python
bench/bench_dashboard.py [solo|practice|stress]`` prints them.
"""

from __future__ import annotations

import os
import sys
import time
from typing import Any

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from books import AS_OF, SIZES, ensure_book


def measure(size: str = "stress", repeats: int = 3) -> dict[str, float]:
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtWidgets import QApplication

    from actdesk.domain.analytics.config import AnalyticsConfig
    from actdesk.services.alerts.child import ChildProcess
    from actdesk.services.analytics_child import model_probabilities
    from actdesk.services.dashboard.book import gather_book
    from actdesk.storage.open import open_book

    app = QApplication.instance() or QApplication([])
    path = ensure_book(SIZES[size])
    book = open_book(path, read_only=True)
    config = AnalyticsConfig()
    result: dict[str, Any] = {"households": SIZES[size].households}
    gather_best = float("inf")
    for _ in range(repeats):
        start, cpu = time.perf_counter(), time.process_time()
        data = gather_book(book, AS_OF, config)
        elapsed = time.perf_counter() - start
        if elapsed < gather_best:
            gather_best, result["gather_cpu_s"] = elapsed, time.process_time() - cpu
    result["gather_s"] = gather_best
    child = ChildProcess()
    try:
        start = time.perf_counter()
        model_probabilities(book, AS_OF, config, child)
        result["model_cold_s"] = time.perf_counter() - start
        start = time.perf_counter()
        model_probabilities(book, AS_OF, config, child)
        result["model_warm_s"] = time.perf_counter() - start
    finally:
        child.shutdown()

    from actdesk.ui.dashboard.book_view import BookView

    best = float("inf")
    for _ in range(repeats):
        view = BookView()
        view.resize(1280, 800)
        view.show()
        app.processEvents()
        start, cpu = time.perf_counter(), time.process_time()
        view.set_data(data)
        app.processEvents()  # every chart's draw_idle: one full draw each
        elapsed = time.perf_counter() - start
        if elapsed < best:
            best, result["render_cpu_s"] = elapsed, time.process_time() - cpu
        view.close()
        view.deleteLater()
    result["render_s"] = best
    result["first_paint_s"] = result["gather_s"] + best
    result["first_paint_cpu_s"] = result["gather_cpu_s"] + result["render_cpu_s"]
    result["client_points"] = len(data.households)
    book.dispose()
    return result


if __name__ == "__main__":
    for key, value in measure(sys.argv[1] if len(sys.argv) > 1 else "stress").items():
        print(f"{key:>16}: {value:.3f}" if isinstance(value, float) else f"{key:>16}: {value}")
