"""Retention backtest benchmark: quality and speed of the retention probability (issue 20's targets).

For each book: the out-of-time backtest the product runs (``actdesk probabilities --backtest``), at yearly
origins before 30 November 2026 with data up to each origin only and the outcome "left within 12 months":
model AUC against the best simple baseline, Brier scores, the largest calibration gap of a decile, the
method the product chose. Books: the demo at three seeds (1,000 households), the tests' second generator
(different causes, 3,000 households) and its random-departure variant. Speed: the backtest and the
window's probabilities on a 2,000-household demo book (cold: load + fit; warm: the cache).

    python bench/bench_retention.py            # prints the table and the timings
"""

from __future__ import annotations

import sys
import time
from datetime import date
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from actdesk.domain.analytics.config import AnalyticsConfig
from actdesk.domain.analytics.survival import Assessment, assess
from cached_demo import demo_book

AS_OF = date(2026, 11, 30)
TARGET_AUC = 0.75
MARGIN = 0.03


def row(name: str, a: Assessment) -> dict[str, Any]:
    bt = a.backtest
    assert bt is not None
    model, best = bt.scores["landmark"], bt.best_baseline or "base_rate"
    return {
        "book": name,
        "origins": len(bt.origins),
        "departures": bt.departures,
        "model_auc": model.auc,
        "best_baseline": best,
        "best_auc": bt.scores[best].auc,
        "recency_auc": bt.scores["contact_recency"].auc,
        "flows_auc": bt.scores["net_flows_6m"].auc,
        "model_brier": model.brier,
        "base_brier": bt.scores["base_rate"].brier,
        "max_decile_gap": model.max_decile_gap,
        "predicted": model.mean_predicted_retention,
        "observed": model.observed_retention,
        "method": a.method,
        "reason": bt.reason,
    }


def demo_assessment(seed: int, households: int) -> tuple[Assessment, float, float]:
    from actdesk.storage.engine import book_url, connect
    from actdesk.storage.retention_history import load_history

    path = demo_book("retention-v2", households, seed, AS_OF)
    book = connect(book_url(str(path)), read_only=True)
    try:
        start = time.perf_counter()
        with book.reader() as s:
            history = load_history(s, AS_OF)
        loaded = time.perf_counter()
        a = assess(history, AS_OF, AnalyticsConfig())
        done = time.perf_counter()
    finally:
        book.dispose()
    return a, loaded - start, done - loaded


def window_probabilities(households: int) -> tuple[float, float]:
    """Cold (first call: load + backtest + fit) and warm (cached per book state) seconds of the service
    call the window's child process makes."""
    from actdesk.services.analytics import probabilities_for
    from actdesk.storage.engine import book_url, connect

    path = demo_book("retention-v2", households, 1, AS_OF)
    book = connect(book_url(str(path)), read_only=True)
    try:
        start = time.perf_counter()
        probabilities_for(book, AS_OF, AnalyticsConfig())
        cold = time.perf_counter() - start
        start = time.perf_counter()
        probabilities_for(book, AS_OF, AnalyticsConfig())
        warm = time.perf_counter() - start
    finally:
        book.dispose()
    return cold, warm


def main() -> int:
    from tests.analytics.history_books import generated_history

    rows = []
    for seed in (11, 23, 5):
        a, _load, _fit = demo_assessment(seed, 1000)
        rows.append(row(f"demo seed {seed}, 1,000 households", a))
    history, _ = generated_history(3000, 3)
    rows.append(
        row("test generator, 3,000 households", assess(history, history.months[-1], AnalyticsConfig()))
    )
    history, _ = generated_history(3000, 3, random_departures=True)
    rows.append(row("random departures, 3,000", assess(history, history.months[-1], AnalyticsConfig())))
    print(
        "| book | origins | departures | model AUC | contact recency | 6-month net flows | model Brier | "
        "base-rate Brier | worst decile gap | predicted vs observed | method |"
    )
    print("|---|---|---|---|---|---|---|---|---|---|---|")
    for r in rows:
        print(
            f"| {r['book']} | {r['origins']} | {r['departures']} | {r['model_auc']:.3f} | {r['recency_auc']:.3f} | "
            f"{r['flows_auc']:.3f} | {r['model_brier']:.4f} | {r['base_brier']:.4f} | "
            f"{r['max_decile_gap'] * 100:.1f} pt | {r['predicted']:.3f} vs {r['observed']:.3f} | "
            f"{r['method']} ({r['reason']}) |"
        )
    for r in rows[:4]:
        ok = r["model_auc"] >= TARGET_AUC and r["model_auc"] >= r["best_auc"] + MARGIN
        print(
            f"target AUC >= {TARGET_AUC} and >= best baseline + {MARGIN}: {r['book']}: {'met' if ok else 'MISSED'}"
        )
    print(f"random book falls back: {'met' if rows[4]['method'] == 'base_rate' else 'MISSED'}")
    a, load, fit = demo_assessment(1, 2000)
    cpu = time.process_time()
    print(
        f"2,000-household demo backtest: load {load:.2f} s + backtest and fit {fit:.2f} s = {load + fit:.2f} s"
    )
    cold, warm = window_probabilities(2000)
    print(f"window probabilities, 2,000 households: first call {cold:.2f} s, cached {warm * 1000:.0f} ms")
    print(f"(process CPU so far {cpu:.1f} s)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
