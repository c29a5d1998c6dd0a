"""Benchmark of the alert evaluation (issue 4): a full evaluation of a large demo book, and the GUI
event loop's longest stall while the evaluation runs on the alert engine's thread.

Usage: ``python bench/bench_alerts.py [--households 10000] [--seed 1] [--book PATH]``. The book is built once
with the demo generator (``actdesk demo``) and cached in the temp folder, or ``--book`` names one (only read:
every run works on a fresh copy). The stall is measured twice: with the heavy half of the evaluation in the
window's child process (what the app does) and, for comparison, all of it on the engine's thread. Functions return numbers for the bench runner.
Targets (issue 4): full evaluation of 10,000 households < 2 s; no event-loop stall > 50 ms while it runs.
"""

from __future__ import annotations

import argparse
import gc
import itertools
import json
import os
import shutil
import tempfile
import time
from datetime import UTC, date, datetime
from pathlib import Path

AS_OF = date(2026, 10, 31)


def demo_book(households: int = 10_000, seed: int = 1) -> Path:
    """The cached demo book for (households, seed), built on first use."""
    from cached_demo import demo_book as cached

    return cached("alerts", households, seed, AS_OF)


def _fresh_copy(path: Path) -> Path:
    """A private copy (with its write-ahead log, if any) so that a benchmark never writes the source."""
    target = Path(tempfile.mkdtemp(prefix="actdesk-bench-")) / "book.db"
    shutil.copy(path, target)
    wal = path.with_name(path.name + "-wal")
    if wal.exists() and wal.stat().st_size > 0:
        shutil.copy(wal, target.with_name(target.name + "-wal"))
    return target


def bench_evaluation(
    households: int = 10_000, seed: int = 1, repeat: int = 3, source: Path | None = None
) -> dict[str, float]:
    """Seconds for a full evaluation (facts, rules, merge and write in one transaction).

    The first run creates every alert (the heaviest write) and loads the statistics libraries; the
    following runs are the periodic case. Reports the first and the best of the following runs.
    """
    from actdesk.services.alerts.evaluation import evaluate_book
    from actdesk.storage.open import open_book

    book = open_book(_fresh_copy(source or demo_book(households, seed)))
    try:
        runs = []
        for i in range(repeat):
            start = time.perf_counter()
            outcome = evaluate_book(book, AS_OF, datetime(2026, 10, 31, 18, i, tzinfo=UTC))
            runs.append((time.perf_counter() - start, outcome))
        first_s = runs[0][0]
        best_s, best = min(runs[1:], key=lambda r: r[0]) if len(runs) > 1 else runs[0]
        return {
            "households": float(best.households),
            "alerts": float(len(best.alerts)),
            "first_run_s": first_s,
            "evaluation_s": best_s,
            "facts_s": best.timings["facts"],
            "rules_s": best.timings["rules"],
            "write_s": best.timings["write"],
        }
    finally:
        book.dispose()


def bench_event_loop_stall(
    households: int = 10_000, seed: int = 1, mode: str = "process", source: Path | None = None
) -> dict[str, float]:
    """Longest gap (ms) between ticks of a 5 ms QTimer on the GUI thread while the AlertEngine evaluates
    the book: the first evaluation of a fresh copy (creates every alert; in ``process`` mode it also starts
    the child and pays its imports), then a periodic one. ``mode``: ``process`` runs the heavy half in the
    engine's child process as the window does; ``thread`` runs everything on the engine's thread."""
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtCore import QCoreApplication, QEventLoop, QTimer

    from actdesk.domain.alerts import AlertSettings
    from actdesk.services.alerts import engine as engine_module
    from actdesk.services.alerts.child import ChildProcess
    from actdesk.services.alerts.engine import AlertEngine, freeze_startup_heap
    from actdesk.services.alerts.evaluation import evaluate_book, evaluate_with_child
    from actdesk.storage.open import open_book

    app = QCoreApplication.instance() or QCoreApplication([])
    book = open_book(_fresh_copy(source or demo_book(households, seed)))
    child = ChildProcess() if mode == "process" else None
    if child is not None:
        freeze_startup_heap()  # as the window's watcher does when it starts

    def work(stop):
        if child is None:
            return evaluate_book(book, AS_OF, datetime.now(UTC), should_stop=stop)
        return evaluate_with_child(book, AS_OF, datetime.now(UTC), AlertSettings(), child, should_stop=stop)

    result: dict[str, float] = {}
    outcomes: list[object] = []
    try:
        for label in ("first", "periodic"):
            ticks: list[float] = []
            loop = QEventLoop()
            timer = QTimer()
            timer.setInterval(5)
            timer.timeout.connect(lambda t=ticks: t.append(time.perf_counter()))
            finished = QTimer()
            finished.setInterval(1)
            engine = AlertEngine(work, on_result=outcomes.append)
            finished.timeout.connect(lambda e=engine, q=loop: q.quit() if e.runs else None)
            timer.start()
            finished.start()
            start = time.perf_counter()
            engine.start(run_now=True)
            loop.exec()
            elapsed = time.perf_counter() - start
            timer.stop()
            finished.stop()
            engine.stop()  # the engine does not own the child here: it lives across both runs
            gaps = [b - a for a, b in itertools.pairwise(ticks)]
            result[f"{label}_evaluation_s"] = elapsed
            result[f"{label}_max_gap_ms"] = max(gaps) * 1000 if gaps else float("nan")
            result[f"{label}_ticks"] = float(len(ticks))
            result[f"{label}_in_child"] = float(bool(getattr(outcomes[-1], "in_child", False)))
    finally:
        if child is not None:
            child.shutdown()
            gc.unfreeze()  # so that a "thread" measurement after this one sees the old behaviour
            engine_module._heap_frozen = False
        book.dispose()
    del app
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--households", type=int, default=10_000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--book", type=Path, help="an existing book to measure (copied, never written)")
    args = parser.parse_args()
    start = time.perf_counter()
    source = args.book or demo_book(args.households, args.seed)
    print(f"book ready in {time.perf_counter() - start:.1f} s", flush=True)
    out = {
        "evaluation": bench_evaluation(args.households, args.seed, source=source),
        "event_loop_process": bench_event_loop_stall(args.households, args.seed, "process", source),
        "event_loop_thread": bench_event_loop_stall(args.households, args.seed, "thread", source),
        "load_average": os.getloadavg()[0],
    }
    print(json.dumps(out, indent=2))


if __name__ == "__main__":
    main()
