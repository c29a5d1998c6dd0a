"""Nonlinear check of the retention model's ceiling (a diagnostic, not the product; issue 20, ninth wave).

    python bench/retention_nonlinear.py [book=SPEC ...] [settings=NAME,...] [raw] [importance]

On the exact landmark rows and out-of-time folds of the product's backtest (``run_backtest``: yearly
origins, training on the quarterly grid up to origin - horizon with the stayers subsampled and weighted
back, scoring every month-end landmark of the year after), a gradient-boosted tree ensemble
(scikit-learn's ``HistGradientBoostingClassifier``, installed in the lab's environment only, not a
dependency of the product) is fitted beside the product's penalised logistic regression. ``raw`` adds the
last 12 months of the records as columns (contacts, reviews, net flows as a share of the assets and the
assets against today's, month by month), so that the trees can find shapes the product's features do not
name. If the trees do not beat the logistic model's AUC by 0.01, the features already hold what the records
show. ``importance`` prints the permutation importances of the trees on the scored rows.

AUC is pooled over the origins' raw scores (no recalibration: the ranking is what is compared) and also
averaged origin by origin (which drift between origins cannot move).
"""

from __future__ import annotations

import sys
import time
from pathlib import Path
from typing import Any

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from actdesk.domain.analytics.backtest import FIRST_LANDMARK, LandmarkTable, fit_at, run_backtest
from actdesk.domain.analytics.config import AnalyticsConfig
from actdesk.domain.analytics.history import HouseholdHistory
from actdesk.domain.analytics.landmark_model import auc
from actdesk.domain.analytics.landmarks import FEATURES, FeatureBuilder, Landmarks
from actdesk.domain.analytics.probability import MODEL
from retention_lab import AS_OF, BOOKS, Builder, history_of

WINDOW = 12
RAW_NAMES = [
    f"{kind}_m{k}" for kind in ("contacts", "reviews", "net_flow", "assets_ratio") for k in range(WINDOW)
]
# Settings of the trees, from cautious to flexible; every one is reported (the best of them flatters the
# trees, which only strengthens a negative result).
SETTINGS: dict[str, dict[str, Any]] = {
    # one feature per tree: a sum of step functions (nonlinear shapes, no interactions)
    "additive": {"learning_rate": 0.05, "max_iter": 400, "max_depth": 1, "min_samples_leaf": 200},
    # two splits deep: shapes and two-way interactions
    "pairs": {"learning_rate": 0.05, "max_iter": 300, "max_depth": 2, "min_samples_leaf": 200},
    "slow": {"learning_rate": 0.03, "max_iter": 300, "max_leaf_nodes": 8, "min_samples_leaf": 200},
}
# Tried on seed 23 first and left out after (pooled AUC, logistic 0.7382): max_leaf_nodes 15 with 100
# rows a leaf 0.7416, 31 leaves with 50 rows a leaf 0.7303; with the raw windows 0.7340 and 0.7263.


def raw_windows(history: HouseholdHistory) -> Any:
    """A variant for ``Builder``: the last ``WINDOW`` months of the records, one column per month
    (m0 = the landmark's month): contacts, reviews, net flow over the month's starting assets, assets
    against the landmark's."""
    net = history.inflow - history.withdrawal - history.transfer_out

    def extra(b: FeatureBuilder, t: int, lm: Landmarks) -> np.ndarray:
        rows = lm.rows
        months = [max(t - k, 0) for k in range(WINDOW)]
        now = history.managed[rows, t]
        cols = [history.contacts[rows][:, months], history.reviews[rows][:, months]]
        base = np.maximum(history.managed[rows][:, [max(m - 1, 0) for m in months]], 1.0)
        cols.append(np.clip(net[rows][:, months] / base, -1.0, 1.0))
        cols.append(np.clip(history.managed[rows][:, months] / np.maximum(now, 1.0)[:, None], 0.0, 5.0))
        return np.hstack(cols).astype(np.float32)

    return extra


def check(spec: str, raw: bool, importance: bool) -> dict[str, Any]:
    from sklearn.ensemble import HistGradientBoostingClassifier

    history = history_of(spec)
    cfg = AnalyticsConfig()
    h, step = cfg.horizon_months, cfg.landmark_step_months
    as_of = history.index_of(AS_OF)
    started = time.process_time()
    product = run_backtest(LandmarkTable(FeatureBuilder(history), h), as_of, cfg)
    table = LandmarkTable(Builder(history, raw_windows(history) if raw else None), h)
    k = len(FEATURES)
    scores: dict[str, list[np.ndarray]] = {"logistic": [], **{name: [] for name in SETTINGS}}
    ys: list[np.ndarray] = []
    per_origin: dict[str, list[float]] = {name: [] for name in scores}
    last_fit: Any = None
    last_rows: Landmarks | None = None
    for origin in product.origins:
        scored = [table.at(t) for t in range(origin, min(origin + h, as_of - h + 1))]
        scored = [lm for lm in scored if len(lm) and not (lm.y < 0).any()]
        if not scored:
            continue
        rows = Landmarks(
            np.concatenate([s.rows for s in scored]),
            np.concatenate([s.month for s in scored]),
            np.vstack([s.x for s in scored]),
            np.concatenate([s.y for s in scored]),
        )
        logistic = fit_at(_Product(table, k), origin, MODEL, cfg)  # the product's own fit and tuning
        train = table.training(FIRST_LANDMARK, origin - h, step)
        if logistic is None or train.y.sum() == 0:
            continue
        got = {"logistic": logistic.leave_logit(rows.x[:, :k])}
        for name, setting in SETTINGS.items():
            trees = HistGradientBoostingClassifier(
                l2_regularization=1.0, early_stopping=False, random_state=20, **setting
            )
            trees.fit(train.x, train.y, sample_weight=train.w)
            got[name] = trees.predict_proba(rows.x)[:, 1]
            last_fit, last_rows = trees, rows
        for name, p in got.items():
            scores[name].append(p)
            per_origin[name].append(auc(p, rows.y.astype(float)) or 0.5)
        ys.append(rows.y.astype(float))
    y = np.concatenate(ys)
    out: dict[str, Any] = {
        "book": spec,
        "product_auc": product.scores["landmark"].auc,
        "cpu": 0.0,
        "pooled": {name: auc(np.concatenate(p), y) for name, p in scores.items()},
        "mean": {name: float(np.mean(v)) for name, v in per_origin.items()},
    }
    if importance and last_fit is not None and last_rows is not None:
        out["importance"] = _importance(last_fit, last_rows, raw)
    out["cpu"] = time.process_time() - started
    return out


class _Product(LandmarkTable):
    """The table's landmarks cut to the product's columns, for the product's own fit (``fit_at``)."""

    def __init__(self, table: LandmarkTable, columns: int) -> None:
        super().__init__(table.builder, table.horizon)
        self.inner, self.columns = table, columns

    def at(self, t: int) -> Landmarks:
        lm = self.inner.at(t)
        return Landmarks(lm.rows, lm.month, lm.x[:, : self.columns], lm.y, lm.weight)


def _importance(trees: Any, rows: Landmarks, raw: bool) -> list[tuple[str, float]]:
    from sklearn.inspection import permutation_importance

    names = list(FEATURES) + (RAW_NAMES if raw else [])
    got = permutation_importance(
        trees, rows.x, rows.y, scoring="roc_auc", n_repeats=3, random_state=20, n_jobs=1
    )
    ranked = sorted(zip(names, got.importances_mean, strict=True), key=lambda kv: -kv[1])
    return [(n, float(v)) for n, v in ranked[:15]]


def main() -> int:
    args = sys.argv[1:]
    books = [a.removeprefix("book=") for a in args if a.startswith("book=")] or BOOKS
    picked = [a.removeprefix("settings=").split(",") for a in args if a.startswith("settings=")]
    for name in [n for n in SETTINGS if picked and n not in picked[0]]:
        del SETTINGS[name]
    for spec in books:
        r = check(spec, "raw" in args, "importance" in args)
        pooled = " ".join(f"{n} {v:.4f}" for n, v in r["pooled"].items())
        mean = " ".join(f"{n} {v:.4f}" for n, v in r["mean"].items())
        print(
            f"{spec:>15} product {r['product_auc']:.4f} | pooled {pooled} | per origin {mean} | cpu {r['cpu']:.0f}s"
        )
        for name, value in r.get("importance", []):
            print(f"    {name:>28} {value:+.4f}")
        sys.stdout.flush()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
