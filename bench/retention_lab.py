"""Retention model laboratory (a diagnostic, not the product): the backtest of every book of
bench_retention.py from cached histories, with candidate feature sets, in one process.

    python bench/retention_lab.py [variant ...] [book=SPEC ...] [BLOCK_SHARE=x] [MIN_EVENTS=n]

Histories are loaded once per book and kept under bench/out/ (pickles); the demo books are those of
bench_retention.py (``cached_demo.demo_book``). A variant is a function adding columns to the product's
landmark features; the product's own features are variant ``base``.
"""

from __future__ import annotations

import pickle
import sys
import time
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from actdesk.domain.analytics.backtest import LandmarkTable, run_backtest
from actdesk.domain.analytics.config import AnalyticsConfig
from actdesk.domain.analytics.history import HouseholdHistory
from actdesk.domain.analytics.landmarks import FEATURES, FeatureBuilder, Landmarks

AS_OF = date(2026, 11, 30)
OUT = Path(__file__).resolve().parent / "out"
BOOKS = [
    "demo:11:1000",
    "demo:23:1000",
    "demo:5:1000",
    "demo:1:2000",
    "generator:2000",
    "generator:3000",
    "random:3000",
]


def history_of(spec: str) -> HouseholdHistory:
    """The book's history up to AS_OF, cached under bench/out/."""
    OUT.mkdir(exist_ok=True)
    path = OUT / f"history-{spec.replace(':', '-')}.pickle"
    if path.exists():
        with path.open("rb") as f:
            loaded: HouseholdHistory = pickle.load(f)
        return loaded
    kind, *rest = spec.split(":")
    if kind == "demo":
        from actdesk.storage.engine import book_url, connect
        from actdesk.storage.retention_history import load_history
        from cached_demo import demo_book

        book = connect(
            book_url(str(demo_book("retention-v3", int(rest[1]), int(rest[0]), AS_OF))), read_only=True
        )
        try:
            with book.reader() as s:
                history = load_history(s, AS_OF)
        finally:
            book.dispose()
    else:
        from tests.analytics.history_books import generated_history

        history, _ = generated_history(int(rest[0]), 3, random_departures=kind == "random")
    with path.open("wb") as f:
        pickle.dump(history, f)
    return history


Extra = Callable[[FeatureBuilder, int, Landmarks], np.ndarray]


class Builder(FeatureBuilder):
    """The product's features plus the columns of ``extra`` (a variant)."""

    def __init__(self, history: HouseholdHistory, extra: Extra | None) -> None:
        super().__init__(history)
        self.extra = extra

    def at(self, t: int, horizon: int | None = None) -> Landmarks:
        lm = super().at(t, horizon)
        if self.extra is None:
            return lm
        more = np.asarray(self.extra(self, t, lm), dtype=np.float32).reshape(len(lm), -1)
        return Landmarks(lm.rows, lm.month, np.hstack([lm.x, more]), lm.y, lm.weight)


def run(spec: str, extra: Extra | None = None, config: AnalyticsConfig | None = None) -> dict[str, Any]:
    history = history_of(spec)
    cfg = config or AnalyticsConfig()
    start = time.perf_counter()
    table = LandmarkTable(Builder(history, extra), cfg.horizon_months)
    bt = run_backtest(table, history.index_of(AS_OF), cfg)
    model, best = bt.scores["landmark"], bt.best_baseline or "base_rate"
    return {
        "book": spec,
        "auc": model.auc,
        "best": best,
        "best_auc": bt.scores[best].auc,
        "brier": model.brier,
        "base_brier": bt.scores["base_rate"].brier,
        "gap": model.max_decile_gap,
        "chance": model.chance_gap,
        "method": bt.method,
        "seconds": time.perf_counter() - start,
    }


def line(r: dict[str, Any]) -> str:
    return (
        f"{r['book']:>15} AUC {r['auc']:.4f} best {r['best']} {r['best_auc']:.4f} margin "
        f"{r['auc'] - r['best_auc']:+.4f} Brier {r['brier']:.5f} / {r['base_brier']:.5f} gap "
        f"{r['gap'] * 100:.2f} ({r['chance'] * 100:.2f}) {r['method']} {r['seconds']:.1f}s"
    )


def main() -> int:
    from actdesk.domain.analytics import calibration

    for arg in [a for a in sys.argv[1:] if a.split("=")[0] in ("BLOCK_SHARE", "MIN_EVENTS")]:
        name, value = arg.split("=")  # the recalibration's constants, e.g. BLOCK_SHARE=0.05
        setattr(calibration, name, float(value))
        sys.argv.remove(arg)
    names = sys.argv[1:] or ["base"]
    books = [b for b in BOOKS if not any(n.startswith("book=") for n in names)] or BOOKS
    picked = [n.removeprefix("book=") for n in names if n.startswith("book=")]
    if picked:
        books = picked
    for name in [n for n in names if not n.startswith("book=")] or ["base"]:
        print(f"== {name}", flush=True)
        for spec in books:
            print(line(run(spec, VARIANTS[name])), flush=True)
    return 0


# ---- candidate features, each added to the product's (issue 20; the review gap's spline, tried here
# first as months without a review beyond 6, 9 and 18, is now one of the product's features) ----


def _outflow_months(b: FeatureBuilder, t: int, lm: Landmarks, months: int) -> np.ndarray:
    """Per row, months (of the last ``months``) whose outflows passed 1% of the assets."""
    h, rows = b.h, lm.rows
    count = np.zeros(len(rows))
    for m in range(max(t - months + 1, 1), t + 1):
        out = b._outflows(rows, m, 1)
        base = np.maximum(h.managed[rows, m - 1], h.managed[rows, m])
        count += (out > 0.01 * np.where(base > 0, base, np.inf)) & (base > 0)
    return count


def outflow_months_6(b: FeatureBuilder, t: int, lm: Landmarks) -> np.ndarray:
    return _outflow_months(b, t, lm, 6)


def outflow_months_12(b: FeatureBuilder, t: int, lm: Landmarks) -> np.ndarray:
    return _outflow_months(b, t, lm, 12)


def silence_vs_norm(b: FeatureBuilder, t: int, lm: Landmarks) -> np.ndarray:
    """Contacts of the last 6 months against the household's own pace in the 18 months before: the
    shortfall in standard units (Poisson): (expected - observed) / sqrt(expected + 1)."""
    rows = lm.rows
    if t < 24:
        return np.zeros(len(rows))
    recent = b.c_contacts[rows, t + 1] - b.c_contacts[rows, t + 1 - 6]
    before = (b.c_contacts[rows, t + 1 - 6] - b.c_contacts[rows, t + 1 - 24]) / 3.0
    return np.asarray((before - recent) / np.sqrt(before + 1.0))


def silent_and_outflows(b: FeatureBuilder, t: int, lm: Landmarks) -> np.ndarray:
    """No contact for 6 months and net outflows of more than 5% in 6 months (an interaction)."""
    return ((lm.column("months_since_contact") >= 6) & (lm.column("net_flow_6m") < -0.05)).astype(float)


def flow_bins(b: FeatureBuilder, t: int, lm: Landmarks) -> np.ndarray:
    """Net outflows of 5%, 15% and 30% over 3, 6 and 12 months; the outflow jump past 5% and 20%."""
    cols = []
    for name in ("net_flow_3m", "net_flow_6m", "net_flow_12m"):
        v = lm.column(name)
        cols += [v < -0.05, v < -0.15, v < -0.3]
    j = lm.column("outflow_jump_6m")
    cols += [j > 0.05, j > 0.2]
    return np.column_stack(cols).astype(float)


def _lit(lm: Landmarks) -> np.ndarray:
    """The three warning signs an advisor watches, each lit or not: no contact for 6 months, net outflows
    of more than 5% in 6 months, no review for 9 months."""
    return np.column_stack(
        [
            lm.column("months_since_contact") >= 6,
            lm.column("net_flow_6m") < -0.05,
            lm.column("months_since_review") >= 9,
        ]
    ).astype(float)


def signs_lit(b: FeatureBuilder, t: int, lm: Landmarks) -> np.ndarray:
    """How many of the three signs are lit, and whether two or more are."""
    n = _lit(lm).sum(axis=1)
    return np.column_stack([n, n >= 2]).astype(float)


def sign_pairs(b: FeatureBuilder, t: int, lm: Landmarks) -> np.ndarray:
    """Each pair of the three signs lit together (interactions)."""
    s = _lit(lm)
    return np.column_stack([s[:, 0] * s[:, 1], s[:, 0] * s[:, 2], s[:, 1] * s[:, 2]])


def low_contacts(b: FeatureBuilder, t: int, lm: Landmarks) -> np.ndarray:
    """Steps of contacts in 12 months: none, at most one, at most two."""
    c = lm.column("contacts_12m")
    return np.column_stack([c <= 0, c <= 1, c <= 2]).astype(float)


def change_bends(b: FeatureBuilder, t: int, lm: Landmarks) -> np.ndarray:
    """Bends of the change in contacts a year at 2 and 4 fewer."""
    c = lm.column("contact_change")
    return np.column_stack([np.minimum(c + 2, 0), np.minimum(c + 4, 0)]).astype(float)


def _bins(name: str, cuts: tuple[float, ...]) -> Extra:
    def extra(b: FeatureBuilder, t: int, lm: Landmarks) -> np.ndarray:
        v = lm.column(name)
        return np.column_stack([v >= c for c in cuts]).astype(float)

    return extra


def _hinges(name: str, cuts: tuple[float, ...]) -> Extra:
    def extra(b: FeatureBuilder, t: int, lm: Landmarks) -> np.ndarray:
        v = lm.column(name)
        return np.column_stack([np.maximum(v - c, 0) for c in cuts]).astype(float)

    return extra


def _combine(*parts: Extra) -> Extra:
    def extra(b: FeatureBuilder, t: int, lm: Landmarks) -> np.ndarray:
        return np.column_stack([np.asarray(p(b, t, lm), dtype=float).reshape(len(lm), -1) for p in parts])

    return extra


# The ninth wave's interactions (issue 20; "review_gap_by_tenure", the review gap times tenure, is now
# one of the product's features): each contact or review figure times the household's other traits.
# The household's traits: the product's features from tenure to being a referrer, in their order.
TRAITS = FEATURES[FEATURES.index("tenure_years") : FEATURES.index("referrer") + 1]


def _times(name: str, others: tuple[str, ...]) -> Extra:
    def extra(b: FeatureBuilder, t: int, lm: Landmarks) -> np.ndarray:
        v = lm.column(name).astype(float)
        return np.column_stack([v * lm.column(o) for o in others])

    return extra


def review_after_first_year(b: FeatureBuilder, t: int, lm: Landmarks) -> np.ndarray:
    """Months without a review, counted only for clients of a year or more."""
    return lm.column("months_since_review") * (np.expm1(lm.column("tenure_years")) >= 1.0)


VARIANTS: dict[str, Extra | None] = {
    "base": None,
    "outflow_months_6": outflow_months_6,
    "outflow_months_12": outflow_months_12,
    "silence": silence_vs_norm,
    "silent_outflows": silent_and_outflows,
    "flow_bins": flow_bins,
    "flow_hinges": _hinges("net_flow_6m", (-0.3, -0.1, 0.0)),
    "contact_bins": _bins("months_since_contact", (4, 6, 12)),
    "contact_hinges": _hinges("months_since_contact", (3, 6, 12)),
    "contact_log": _hinges("months_since_contact", (2, 4)),
    "review_bins": _bins("months_since_review", (7, 8)),
    "signs_lit": signs_lit,
    "sign_pairs": sign_pairs,
    "low_contacts": low_contacts,
    "change_bends": change_bends,
    "review_x_traits": _times("months_since_review", TRAITS),
    "review_x_age75": _times("months_since_review", ("age_75_plus",)),
    "contact_x_traits": _times("months_since_contact", TRAITS),
    "contact_x_tenure": _times("months_since_contact", ("tenure_years",)),
    "contact_x_age75": _times("months_since_contact", ("age_75_plus",)),
    "contact_x_service": _times("months_since_contact", ("service_requests_12m", "service_overdue")),
    "contact_x_events": _times("months_since_contact", ("life_events_12m",)),
    "review_after_first_year": review_after_first_year,
}


if __name__ == "__main__":
    raise SystemExit(main())
