"""Benchmark of the main window on a large book: the household list query, the contact card's detail, and
the time from process start to the first paint of the window (and to the list being filled).

Usage: ``python bench/bench_households.py [--households 10000] [--seed 2]``. The book is built once with the
demo generator and cached in the temp folder. Functions return numbers (seconds) for the bench runner.
Targets: first paint < 1.5 s warm on a 10,000-household book (issue 12); list query well under a second, and
it runs in the background after the paint.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import time
from datetime import date
from pathlib import Path

AS_OF = date(2026, 10, 31)

PAINT_PROBE = """
import time; T0 = time.perf_counter()
import json, sys
from pathlib import Path
from actdesk.app import build_window, create_application
from actdesk.settings import load_settings
from actdesk.storage.open import open_book
settings = load_settings(); app = create_application(settings)
book = open_book(Path(sys.argv[1])); window, ctx = build_window(book, settings, welcome=False)
marks = {}
def painted():
    marks["paint"] = time.perf_counter() - T0
def shown(key):
    panel = window.panels[key]
    panel.sig_loaded.connect(lambda _n: (marks.__setitem__("list", time.perf_counter() - T0), app.quit()))
window.sig_first_painted.connect(painted)
window.sig_panel_shown.connect(shown)
window.show(); app.exec()
ctx.tasks.shutdown(); window.close(); book.dispose()
print(json.dumps(marks))
"""


def demo_book(households: int = 10_000, seed: int = 2) -> Path:
    """The cached demo book for (households, seed), built on first use."""
    from cached_demo import demo_book as cached

    return cached("households", households, seed, AS_OF)


def list_query_seconds(db: Path, repeats: int = 5) -> float:
    """Median seconds of ``list_households`` (every household with AUM, primary contact, city)."""
    from actdesk.storage.open import open_book
    from actdesk.storage.repositories.households import list_households

    book = open_book(db)
    try:
        times = []
        for _ in range(repeats):
            start = time.perf_counter()
            with book.reader() as s:
                list_households(s)
            times.append(time.perf_counter() - start)
        return statistics.median(times)
    finally:
        book.dispose()


def detail_seconds(db: Path, repeats: int = 20) -> float:
    """Median seconds to read one household's card (members, accounts with balances, activity, notes)."""
    from actdesk.storage.open import open_book
    from actdesk.storage.repositories.households import get_detail, list_households

    book = open_book(db)
    try:
        with book.reader() as s:
            ids = [r.id for r in list_households(s, limit=repeats)]
        times = []
        for hid in ids:
            start = time.perf_counter()
            with book.reader() as s:
                get_detail(s, hid)
            times.append(time.perf_counter() - start)
        return statistics.median(times)
    finally:
        book.dispose()


def startup_seconds(db: Path, runs: int = 3) -> dict[str, float]:
    """Best of ``runs`` fresh processes: seconds from start to first paint, and to the list being filled."""
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    best: dict[str, float] = {}
    for _ in range(runs):
        done = subprocess.run(
            [sys.executable, "-c", PAINT_PROBE, str(db)], env=env, capture_output=True, text=True, check=True
        )
        marks = json.loads(done.stdout.strip().splitlines()[-1])
        for key, value in marks.items():
            best[key] = min(best.get(key, float("inf")), float(value))
    return best


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--households", type=int, default=10_000)
    parser.add_argument("--seed", type=int, default=2)
    args = parser.parse_args()
    db = demo_book(args.households, args.seed)
    result = {
        "households": args.households,
        "list_query_s": round(list_query_seconds(db), 3),
        "card_detail_s": round(detail_seconds(db), 4),
        **{f"{k}_s": round(v, 3) for k, v in startup_seconds(db).items()},
    }
    print(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
