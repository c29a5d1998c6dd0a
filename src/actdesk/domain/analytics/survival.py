"""Retention probability per client household: landmark model, validated out of time, honest fallback.

``fit_retention`` runs the rolling backtest before the as-of date (``backtest.run_backtest``), which decides the
method: the landmark model where its out-of-time AUC beats the best simple baseline and its Brier score
beats the base rate, else the strongest simple signal if that has skill, else the book's base rate;
``score_retention`` applies what it fitted to the client households at a date (``assess`` does both). Every
probability carries a 95% band and the number of departures it rests on; none is 0 or 1. Reasons are only
factors that raise this household's risk relative to the book and whose direction the data confirms.
See docs/metrics.md, "Retention probability".
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field, replace
from datetime import date

import numpy as np

from actdesk.domain.analytics.backtest import (
    BASE_RATE,
    MODEL,
    SIGNAL,
    Backtest,
    LandmarkTable,
    Predictor,
    fit_at,
    run_backtest,
)
from actdesk.domain.analytics.config import AnalyticsConfig
from actdesk.domain.analytics.factors import phrase
from actdesk.domain.analytics.history import HouseholdHistory
from actdesk.domain.analytics.landmark_model import Platt
from actdesk.domain.analytics.landmarks import BASELINE_SIGNALS, FEATURES, REVIEW_KNOTS, FeatureBuilder
from actdesk.domain.analytics.probability import RetentionProbability as RetentionProbability


@dataclass(frozen=True)
class Assessment:
    """Probabilities at the as-of date with the backtest that chose how they were made."""

    as_of: date
    probabilities: dict[int, RetentionProbability]
    backtest: Backtest | None  # None when the history is too short for a single origin
    method: str
    signal: str | None
    departures: int  # in the whole history before the as-of date
    origin_dates: list[date] = field(default_factory=list)  # the backtest's origins
    reasons_checked: list[tuple[int, str, float, float]] = field(default_factory=list)
    # (household, feature, contribution, learnt sign) behind every reason shown: what the sign test reads
    fitted_on: date | None = None  # when the model was fitted (None: just now, for this call)
    stale: bool = False  # fitted on an earlier state of the book: shown with its date until refreshed


@dataclass(frozen=True)
class FittedRetention:
    """What the backtest and the fit at an as-of date decided, without any household's figures: the part
    worth keeping between sessions (``model_record.py``) so that a reopened book scores instead of refits."""

    as_of: date
    backtest: Backtest | None
    method: str
    signal: str | None
    predictor: Predictor
    departures: int  # in the whole history before the as-of date
    origin_dates: list[date] = field(default_factory=list)


def assess(history: HouseholdHistory, as_of: date, config: AnalyticsConfig) -> Assessment:
    """Backtest, fit and score at ``as_of`` (see ``fit_retention`` and ``score_retention``)."""
    return score_retention(history, fit_retention(history, as_of, config), config)


def fit_retention(
    history: HouseholdHistory | FeatureBuilder, as_of: date, config: AnalyticsConfig
) -> FittedRetention:
    """The rolling backtest before ``as_of`` and the method it earned, fitted with everything known then.
    Given the history's ``FeatureBuilder`` (which ``score_retention`` can then reuse), the caller need not
    hold the history's monthly amounts during the fit: the builder keeps their running totals only."""
    from threadpoolctl import threadpool_limits  # the fits are small: one BLAS thread is fastest

    with threadpool_limits(limits=1, user_api="blas"):
        return _fit(history, as_of, config)


def _builder(history: HouseholdHistory | FeatureBuilder) -> FeatureBuilder:
    return history if isinstance(history, FeatureBuilder) else FeatureBuilder(history)


def _fit(
    history_or_builder: HouseholdHistory | FeatureBuilder, as_of: date, config: AnalyticsConfig
) -> FittedRetention:
    fallback = Predictor(BASE_RATE, None, Platt(), 1 - config.base_retention_rate, 0)
    history = history_or_builder.h if isinstance(history_or_builder, FeatureBuilder) else history_or_builder
    t = history.index_of(as_of)
    if t < 0 or history.n == 0:
        return FittedRetention(as_of, None, BASE_RATE, None, fallback, 0)
    table = LandmarkTable(_builder(history_or_builder), config.horizon_months)
    backtest = run_backtest(table, t, config)
    method, signal = backtest.method, backtest.signal
    kind = {MODEL: MODEL, SIGNAL: SIGNAL}.get(method, BASE_RATE)
    predictor = fit_at(table, t, kind, config, _feature_of(signal))
    if predictor is not None and predictor.kind == MODEL and backtest.calibration is not None:
        predictor = replace(predictor, platt=backtest.calibration)
    if predictor is None or len(table.at(t)) == 0:
        predictor = fallback
    if predictor.kind == BASE_RATE:
        method, signal = BASE_RATE, None
    origins = [history.months[o] for o in backtest.origins]
    return FittedRetention(as_of, backtest, method, signal, predictor, history.departures_before(t), origins)


def score_retention(
    history: HouseholdHistory | FeatureBuilder,
    fitted: FittedRetention,
    config: AnalyticsConfig,
    *,
    as_of: date | None = None,
    fitted_on: date | None = None,
    stale: bool = False,
) -> Assessment:
    """Every client household at ``as_of`` (default: the fit's date) scored by a fitted model. The history
    needs only the ``HISTORY_NEEDED`` month-ends before the landmark; ``stale`` says the model was fitted
    on an earlier state of the book, on ``fitted_on``. Given a ``FeatureBuilder``, it scores from it."""
    day = as_of or fitted.as_of
    builder = _builder(history)
    t = builder.h.index_of(day)
    if t < 0 or builder.h.n == 0:
        return Assessment(day, {}, fitted.backtest, BASE_RATE, None, 0)
    now = builder.at(t)
    predictor, method = fitted.predictor, fitted.method
    p_leave = predictor.leave_probability(now.x)
    low_leave, high_leave = predictor.band(now.x)
    ids = builder.h.ids[now.rows]
    reasons, checked = _reasons(predictor, now.x, ids, config.top_factors, builder.h.months[t])
    out = {
        int(hid): RetentionProbability(
            int(hid),
            float(1 - p_leave[i]),
            reasons[i],
            method,
            float(1 - high_leave[i]),
            float(1 - low_leave[i]),
            fitted.departures,
        )
        for i, hid in enumerate(ids)
    }
    result = Assessment(
        day,
        out,
        fitted.backtest,
        method,
        fitted.signal,
        fitted.departures,
        list(fitted.origin_dates),
        checked,
        fitted_on,
        stale,
    )
    from actdesk.domain.analytics.track_record import track_record_line  # it reads Assessment

    line = track_record_line(result)
    return replace(result, probabilities={h: replace(p, track_record=line) for h, p in out.items()})


# Threshold and spline features are told by the figure they shape ("no contact since Jul 2026").
SHOWN_AS = {
    "no_contact_9m": "months_since_contact",
    "no_review_12m": "months_since_review",
    **{f"review_gap_over_{k}m": "months_since_review" for k in REVIEW_KNOTS},
    "review_gap_by_tenure": "months_since_review",
}


# A figure inside the usual cycle is no warning to tell an advisor, even where the model's linear term
# makes it slightly riskier than the book's average: reviews are usually half-yearly, so "no review in
# 4 months" is never given as a reason; past the first knot (6 months) it is.
TOLD_FROM = {"months_since_review": float(REVIEW_KNOTS[0])}


def _feature_of(signal: str | None) -> str | None:
    return BASELINE_SIGNALS.get(signal) if signal else None


def retention_probabilities(
    history: HouseholdHistory, as_of: date, config: AnalyticsConfig
) -> dict[int, RetentionProbability]:
    """Probability per current client household (keyed by household id); empty for an empty book."""
    return assess(history, as_of, config).probabilities


def _reasons(
    predictor: Predictor, x: np.ndarray, ids: np.ndarray, top: int, landmark: date | None = None
) -> tuple[list[list[str]], list[tuple[int, str, float, float]]]:
    """Per household, the factors raising its risk relative to the book's average household, strongest
    first, keeping only those whose coefficient has the sign the data shows on its own."""
    out: list[list[str]] = [[] for _ in range(len(x))]
    checked: list[tuple[int, str, float, float]] = []
    model = predictor.model
    if model is None or len(x) == 0:
        return out, checked
    contributions = model.contributions(x, x.mean(axis=0))
    agrees = np.array(
        [
            np.sign(c) == predictor.learnt_signs.get(int(f), 0.0)
            for f, c in zip(model.columns, model.coef, strict=True)
        ]
    )
    # A figure told through several terms (months without a review: its linear term, its threshold and
    # its spline's bends) is a reason only where those terms together raise the risk.
    told = [SHOWN_AS.get(FEATURES[int(f)], FEATURES[int(f)]) for f in model.columns]
    together = {
        name: contributions[:, [j for j, t in enumerate(told) if t == name]].sum(axis=1) for name in set(told)
    }
    for i in range(len(x)):
        order = np.argsort(-contributions[i])
        for j in order:
            c = float(contributions[i, j])
            if c <= 0 or len(out[i]) >= top:
                break
            if not agrees[j]:
                continue
            feature = FEATURES[int(model.columns[j])]
            name = SHOWN_AS.get(feature, feature)
            if name != feature and x[i, model.columns[j]] <= 0:
                continue  # a threshold not crossed is no warning sign, whatever its coefficient
            if together[name][i] <= 0 or x[i, FEATURES.index(name)] <= TOLD_FROM.get(name, -math.inf):
                continue
            text = phrase(name, float(x[i, FEATURES.index(name)]), landmark)
            if text and text not in out[i]:
                out[i].append(text)
                checked.append((int(ids[i]), feature, c, predictor.learnt_signs[int(model.columns[j])]))
    return out, checked
