"""Retention model benchmark: every target figure of issue 20, book by book.

For each book: the out-of-time backtest the product runs (``actdesk probabilities --backtest``), fitted
at yearly origins before the as-of date with data up to each origin only and scored at every month-end
of the following year (outcome "left within 12 months" of that month-end, known by the as-of date): the
landmarks, rows, households and departures scored, model AUC, its margin over the best simple baseline,
Brier score against the base rate's, the worst calibration gap of a tenth of predicted risk (and the gap
chance alone explains, 95th percentile of a household bootstrap) with every tenth's gap, the method the
product chose; then the time of the probabilities: the first fit (load + backtest + fit + score), a
reopen (a kept model scores the last 25 months), the in-memory cache; and the process's peak memory.
Each book runs in its own process, so that its peak is its own.

Books: the demo at seeds 11, 23 and 5 (1,000 households), the tests' second generator (3,000 households,
other causes; and the tests' own 2,000-household book) and its random-departure variant, the
2,000-household demo (the speed targets) and, with
``--stress``, the 10,000-household stress book of bench/books.py (built on first use, minutes).

    python bench/bench_retention.py [--stress]
"""

from __future__ import annotations

import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from datetime import date
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
sys.path.insert(0, str(Path(__file__).resolve().parent))

AS_OF = date(2026, 11, 30)
TARGET_AUC = 0.75
MARGIN = 0.03
BOOKS = [
    "demo:11:1000",
    "demo:23:1000",
    "demo:5:1000",
    "generator:3000",
    "generator:2000",
    "random:3000",
    "demo:1:2000",
]


def _figures(a: Any) -> dict[str, Any]:
    bt = a.backtest
    model, best = bt.scores["landmark"], bt.best_baseline or "base_rate"
    return {
        "origins": len(bt.origins),
        "landmarks": bt.landmarks,
        "rows": bt.observations,
        "households": bt.households,
        "departures": bt.departures,
        "departing_rows": bt.departing_rows,
        "model_auc": model.auc,
        "best_baseline": best,
        "best_auc": bt.scores[best].auc,
        "model_brier": model.brier,
        "base_brier": bt.scores["base_rate"].brier,
        "max_decile_gap": model.max_decile_gap,
        "chance_gap": model.chance_gap,
        "decile_gaps": [d.predicted_retention - d.observed_retention for d in model.deciles],
        "predicted": model.mean_predicted_retention,
        "observed": model.observed_retention,
        "method": a.method,
        "reason": bt.reason,
    }


def _book_row(path: Path, as_of: date) -> dict[str, Any]:
    """First fit, reopen with the kept model, in-memory cache: the service calls the window makes."""
    from actdesk.domain.analytics.config import AnalyticsConfig
    from actdesk.services import analytics
    from actdesk.storage.engine import book_url, connect

    book = connect(book_url(str(path)), read_only=True)
    try:
        start = time.perf_counter()
        a = analytics.assessment_for(book, as_of, AnalyticsConfig())
        fit = time.perf_counter() - start
        analytics._cache.clear()  # a reopened book: nothing in memory, the kept model on disk
        start = time.perf_counter()
        again = analytics.assessment_for(book, as_of, AnalyticsConfig(), allow_stale=True)
        reopen = time.perf_counter() - start
        start = time.perf_counter()
        analytics.assessment_for(book, as_of, AnalyticsConfig(), allow_stale=True)
        warm = time.perf_counter() - start
    finally:
        book.dispose()
    assert again.fitted_on is not None and not again.stale, "the reopen must score with the kept model"
    return {**_figures(a), "clients": len(a.probabilities), "fit_s": fit, "reopen_s": reopen, "warm_s": warm}


def _generated_row(households: int, random_departures: bool) -> dict[str, Any]:
    from tests.analytics.history_books import generated_history, last_months

    from actdesk.domain.analytics.config import AnalyticsConfig
    from actdesk.domain.analytics.landmarks import HISTORY_NEEDED
    from actdesk.domain.analytics.survival import fit_retention, score_retention

    history, _ = generated_history(households, 3, random_departures=random_departures)
    config = AnalyticsConfig()
    start = time.perf_counter()
    fitted = fit_retention(history, history.months[-1], config)
    a = score_retention(history, fitted, config)
    fit = time.perf_counter() - start
    window = last_months(history, HISTORY_NEEDED)
    start = time.perf_counter()
    score_retention(window, fitted, config)
    reopen = time.perf_counter() - start
    return {**_figures(a), "clients": len(a.probabilities), "fit_s": fit, "reopen_s": reopen, "warm_s": None}


def one(spec: str) -> dict[str, Any]:
    """One book in this process: its figures, times and peak memory."""
    from cached_demo import demo_book

    os.environ["ACTDESK_DATA_DIR"] = tempfile.mkdtemp(prefix="actdesk-bench-retention-")
    kind, *rest = spec.split(":")
    if kind == "demo":
        seed, households = int(rest[0]), int(rest[1])
        name = f"demo seed {seed}, {households:,} households"
        row = _book_row(demo_book("retention-v3", households, seed, AS_OF), AS_OF)
    elif kind == "stress":
        from books import AS_OF as STRESS_AS_OF
        from books import SIZES, ensure_book

        name = "stress book, 10,000 households"
        row = _book_row(ensure_book(SIZES["stress"]), STRESS_AS_OF)
    else:
        households = int(rest[0])
        what = "tests' generator" if kind == "generator" else "random departures"
        name = f"{what}, {households:,} households"
        row = _generated_row(households, kind == "random")
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # kilobytes on Linux
    return {"book": name, **row, "peak_mb": peak}


def _seconds(v: float | None) -> str:
    return "-" if v is None else (f"{v:.2f} s" if v >= 0.1 else f"{v * 1000:.0f} ms")


def main() -> int:
    if len(sys.argv) > 2 and sys.argv[1] == "--one":
        print(json.dumps(one(sys.argv[2])))
        return 0
    books = [*BOOKS, "stress"] if "--stress" in sys.argv else BOOKS
    rows = []
    for spec in books:
        done = subprocess.run(
            [sys.executable, __file__, "--one", spec], capture_output=True, text=True, check=True
        )
        rows.append(json.loads(done.stdout.strip().splitlines()[-1]))
    print(f"load average {os.getloadavg()[0]:.1f} / {os.getloadavg()[1]:.1f} / {os.getloadavg()[2]:.1f}")
    print(
        "| book | origins | landmarks | rows (households) | departures (rows before one) | model AUC | "
        "best baseline | margin | Brier model / base rate | worst decile gap (chance 95%) | "
        "predicted vs observed | method | first fit | reopen | cached | peak memory |"
    )
    print("|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|")
    for r in rows:
        print(
            f"| {r['book']} | {r['origins']} | {r['landmarks']} | {r['rows']:,} ({r['households']:,}) | "
            f"{r['departures']:,} ({r['departing_rows']:,}) | {r['model_auc']:.3f} | "
            f"{r['best_baseline']} {r['best_auc']:.3f} | {r['model_auc'] - r['best_auc']:+.3f} | "
            f"{r['model_brier']:.4f} / {r['base_brier']:.4f} | "
            f"{r['max_decile_gap'] * 100:.1f} pt ({r['chance_gap'] * 100:.1f} pt) | "
            f"{r['predicted']:.3f} vs {r['observed']:.3f} | {r['method']} ({r['reason']}) | "
            f"{_seconds(r['fit_s'])} | {_seconds(r['reopen_s'])} | {_seconds(r['warm_s'])} | {r['peak_mb']:.0f} MB |"
        )
    print("Predicted minus observed retention per tenth of predicted risk (points, safest first):")
    for r in rows:
        print(f"  {r['book']}: " + " ".join(f"{g * 100:+.1f}" for g in r["decile_gaps"]))
    signal = [r for r in rows if not r["book"].startswith("random") and r["departures"] >= 100]
    for r in signal:
        ok = r["model_auc"] >= TARGET_AUC and r["model_auc"] >= r["best_auc"] + MARGIN
        print(
            f"AUC >= {TARGET_AUC} and >= best baseline + {MARGIN}: {r['book']}: {'met' if ok else 'MISSED'}"
        )
        ok = r["max_decile_gap"] <= 0.01
        within = r["max_decile_gap"] <= r["chance_gap"]
        print(
            f"every decile within 1 point: {r['book']}: {'met' if ok else 'MISSED'}"
            f" (worst {r['max_decile_gap'] * 100:.2f} pt, {'within' if within else 'OUTSIDE'} the"
            f" chance band of {r['chance_gap'] * 100:.2f} pt)"
        )
    random = next(r for r in rows if r["book"].startswith("random"))
    print(f"random book falls back: {'met' if random['method'] == 'base_rate' else 'MISSED'}")
    for r in rows:
        if "2,000" in r["book"] and r["book"].startswith("demo"):
            print(
                f"{r['book']}: backtest and fit {_seconds(r['fit_s'])} (target < 10 s), window probabilities "
                f"on reopen {_seconds(r['reopen_s'])} (target < 1 s)"
            )
        if "10,000" in r["book"]:
            print(f"{r['book']}: peak memory {r['peak_mb']:.0f} MB (target < 400 MB)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
