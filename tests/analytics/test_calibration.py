"""The retention model's parts, unit by unit: isotonic recalibration, the chance band of a decile table,
the kept model's record, scoring from the features' window only, and the new features."""

from __future__ import annotations

import json
from dataclasses import replace

import numpy as np
import pytest
from tests.analytics.history_books import generated_history, last_months

from actdesk.domain.analytics.backtest import chance_deviations, chance_gap, deciles, pooled_calibration
from actdesk.domain.analytics.calibration import fit_isotonic
from actdesk.domain.analytics.config import AnalyticsConfig
from actdesk.domain.analytics.landmark_model import LOW_QUANTILE, P_FLOOR, fit_platt, sigmoid
from actdesk.domain.analytics.landmarks import HISTORY_NEEDED, FeatureBuilder
from actdesk.domain.analytics.model_record import FORMAT, from_record, to_record
from actdesk.domain.analytics.survival import fit_retention, score_retention

CONFIG = AnalyticsConfig()


def _distorted(n: int, seed: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """True risks from a logit; the model's logit is bent (too steep at the top, too flat below) so
    that no single slope and shift can undo it."""
    rng = np.random.default_rng(seed)
    true_logit = rng.normal(-3.3, 1.0, n)
    p = sigmoid(true_logit)
    y = (rng.random(n) < p).astype(float)
    model_logit = np.where(true_logit > -2.5, -2.5 + 2.5 * (true_logit + 2.5), 0.5 * (true_logit + 2.5) - 2.5)
    return model_logit, y, p


def test_isotonic_recalibrates_every_decile_within_one_point_where_the_data_allow() -> None:
    train_logit, train_y, _ = _distorted(200_000, 1)
    test_logit, test_y, _true_p = _distorted(200_000, 2)
    iso = fit_isotonic(train_logit, train_y)
    assert iso is not None
    p = iso.apply(test_logit)
    table = deciles(p, test_y)
    assert max(abs(d.predicted_retention - d.observed_retention) for d in table) < 0.01
    # the raw logit is far off in some tenth: the test can fail
    raw = deciles(sigmoid(test_logit), test_y)
    assert max(abs(d.predicted_retention - d.observed_retention) for d in raw) > 0.03
    assert np.all(np.diff(p[np.argsort(test_logit)]) >= -1e-12)  # monotone: the ranking is kept
    assert p.min() >= P_FLOOR and p.max() <= 1 - P_FLOOR
    assert len(set(np.round(p, 12))) > 1000  # interpolated, not a handful of steps


def _with_floor(n: int, seed: int, spread: float) -> tuple[np.ndarray, np.ndarray]:
    """Departures with a floor of 1.2% that no record warns of, plus a risk the model sees; the model's
    logit is ``spread`` times as spread out as the truth around its middle (more data, more confidence)."""
    rng = np.random.default_rng(seed)
    z = rng.normal(-3.6, 1.0, n)
    y = (rng.random(n) < 0.012 + 0.988 * sigmoid(z)) * 1.0
    return spread * (z + 3.6) - 3.6 + rng.normal(0, 0.3, n), y


def test_a_recalibration_stays_flat_below_the_logits_it_was_learnt_on() -> None:
    """Learnt on an older model's logits and applied to a newer, more confident one, following the slope
    below the logits it has seen gives the safest tenth less risk than the floor every household carries;
    flat below their 5th percentile, the safest tenth is calibrated."""
    old_logit, old_y = _with_floor(60_000, 1, 1.0)
    new_logit, new_y = _with_floor(60_000, 2, 1.4)
    for fit in (fit_isotonic, fit_platt):
        learnt = fit(old_logit, old_y)
        assert learnt is not None
        assert np.mean(old_logit < learnt.low) == pytest.approx(LOW_QUANTILE, abs=0.002)
        p = learnt.apply(new_logit)
        below = new_logit < learnt.low
        assert below.mean() > 0.1 and np.ptp(p[below]) == 0  # flat below ...
        assert p[below][0] == pytest.approx(
            float(learnt.apply(np.array([learnt.low]))[0])
        )  # ... at its value there
        assert np.all(np.diff(p[np.argsort(new_logit)]) >= -1e-12)  # and still monotone
        safest = deciles(p, new_y)[0]
        sloped = deciles(replace(learnt, low=-np.inf).apply(new_logit), new_y)[0]
        assert abs(safest.predicted_retention - safest.observed_retention) < 0.003
        assert sloped.predicted_retention - sloped.observed_retention > 0.005  # the test can fail


def test_a_sliver_of_earlier_origins_does_not_replace_a_whole_years_fold() -> None:
    """At the backtest's second origin the first one's known predictions are a single month-end (a
    twelfth of its year): they replace the last known year's fold only once they hold as many departures
    as that fold (rows weigh 1/12: a household is scored at up to 12 monthly landmarks)."""
    rng = np.random.default_rng(4)
    logit = rng.normal(-2.5, 1.0, 2400)
    y = (rng.random(2400) < sigmoid(logit)).astype(float)
    departures = y.sum() / 12
    assert departures >= 10
    assert pooled_calibration([logit], [y], 12) is not None
    assert pooled_calibration([logit], [y], 12, fold=departures - 1) is not None
    assert pooled_calibration([logit], [y], 12, fold=departures + 1) is None  # the fold stands
    assert pooled_calibration([logit[:600]], [np.zeros(600)], 12) is None  # fewer than ten: never


def test_isotonic_declines_too_few_departures() -> None:
    logit = np.linspace(-5, 0, 500)
    y = np.zeros(500)
    y[-20:] = 1
    assert fit_isotonic(logit, y) is None


def test_chance_gap_tells_noise_from_miscalibration() -> None:
    rng = np.random.default_rng(3)
    p = sigmoid(rng.normal(-3.3, 1.0, 6000))
    band = chance_gap(p, (rng.random(6000) < p) * 1.0)
    assert 0.005 < band < 0.05
    calibrated = [
        max(
            abs(d.predicted_retention - d.observed_retention)
            for d in deciles(p, (rng.random(6000) < p) * 1.0)
        )
        for _ in range(40)
    ]
    assert np.mean(np.array(calibrated) <= band) >= 0.85
    shifted = deciles(np.clip(p - 0.03, 0.001, 1), (rng.random(6000) < p) * 1.0)
    assert max(abs(d.predicted_retention - d.observed_retention) for d in shifted) > band


def test_chance_deviations_are_the_draws_behind_the_band() -> None:
    """The band is a quantile of the resamples' worst deviations; their median is what a perfectly
    calibrated model's worst tenth typically shows (bench/retention_seeds.py compares the model to it)."""
    rng = np.random.default_rng(5)
    p = sigmoid(rng.normal(-3.3, 1.0, 4000))
    y = (rng.random(4000) < p) * 1.0
    worst = chance_deviations(p, y, draws=120)
    assert worst.shape == (120,) and (worst >= 0).all()
    assert chance_gap(p, y, draws=120) == pytest.approx(float(np.quantile(worst, 0.95)))
    assert chance_gap(p, y, draws=120, quantile=0.5) < chance_gap(p, y, draws=120)
    assert len(chance_deviations(np.full(10, 0.1), y[:10])) == 0  # nothing to sort into tenths
    assert chance_gap(np.full(10, 0.1), y[:10]) == 0.0


def test_chance_gap_resamples_households_not_overlapping_rows() -> None:
    """A household seen at twelve monthly landmarks with one outcome is one draw: counted as twelve
    independent rows the band would shrink by about the square root of twelve and call noise a defect."""
    rng = np.random.default_rng(4)
    p = sigmoid(rng.normal(-3.0, 1.0, 3000))
    y = (rng.random(3000) < p) * 1.0
    households = np.repeat(np.arange(3000), 12)
    once = chance_gap(p, y)
    clustered = chance_gap(np.repeat(p, 12), np.repeat(y, 12), households)
    rows = chance_gap(np.repeat(p, 12), np.repeat(y, 12))
    assert clustered == pytest.approx(once, rel=0.3)
    assert rows < 0.5 * clustered
    # and it covers a calibrated model's worst tenth about 95 times in 100
    misses = 0
    for _ in range(40):
        draw = (rng.random(3000) < p) * 1.0
        table = deciles(np.repeat(p, 12), np.repeat(draw, 12))
        misses += max(abs(d.predicted_retention - d.observed_retention) for d in table) > clustered
    assert misses <= 6


@pytest.fixture(scope="module")
def fitted_book():
    history, _ = generated_history(1200, 5)
    return history, fit_retention(history, history.months[-1], CONFIG)


def test_scoring_from_the_features_window_equals_scoring_from_the_whole_history(fitted_book) -> None:
    history, fitted = fitted_book
    full = score_retention(history, fitted, CONFIG)
    window = score_retention(last_months(history, HISTORY_NEEDED), fitted, CONFIG)
    assert full.probabilities.keys() == window.probabilities.keys() and len(full.probabilities) > 500
    for hid, p in full.probabilities.items():
        assert window.probabilities[hid].probability == pytest.approx(p.probability, abs=1e-9)
        assert window.probabilities[hid].factors == p.factors
    # one month short, the fee-rate change cannot be read: the window is the minimum
    short = FeatureBuilder(last_months(history, HISTORY_NEEDED - 1))
    assert short.at(HISTORY_NEEDED - 2).column("fee_rate_change").any() == np.False_


def test_the_kept_record_round_trips_through_json(fitted_book) -> None:
    history, fitted = fitted_book
    record = json.loads(json.dumps(to_record(fitted)))
    back = from_record(record)
    assert back is not None
    a, b = score_retention(history, fitted, CONFIG), score_retention(history, back, CONFIG)
    assert {h: p.probability for h, p in a.probabilities.items()} == {
        h: p.probability for h, p in b.probabilities.items()
    }
    assert b.backtest is not None and a.backtest is not None
    assert b.backtest.scores["landmark"].auc == a.backtest.scores["landmark"].auc
    assert from_record({**record, "features": record["features"][:-1]}) is None  # other features: refit
    assert from_record({**record, "format": 0}) is None
    assert from_record({**record, "format": FORMAT - 1}) is None  # kept by the previous version: refit


def test_withdrawals_before_distribution_age_and_age_appropriate_distributions_apart() -> None:
    history, _ = generated_history(300, 2)
    t = len(history.months) - 1
    builder = FeatureBuilder(history)
    now = builder.at(t)
    year = history.months[t].year + (history.months[t].month - 0.5) / 12
    age = year - history.birth_year[now.rows]
    withdrawals, distributions = now.column("withdrawals_12m"), now.column("distributions_12m")
    old, young = age >= 60.5, age < 58.5  # a year clear of 59.5: the whole window on one side
    assert (distributions[old] > 0).any() and (withdrawals[young] > 0).any()
    assert not (withdrawals[old] > 0).any() and not (distributions[young] > 0).any()


def test_service_requests_and_overdue_ones_are_features() -> None:
    history, _ = generated_history(200, 2)
    n, m = history.client.shape
    h = int(np.nonzero(history.client[:, m - 1])[0][0])  # a client at the last month-end
    requests = np.zeros((n, m))
    overdue = np.zeros((n, m))
    requests[h, m - 5] = 2
    overdue[h, m - 5 :] = 1  # one of them still open at the last month-end
    book = replace(history, service_requests=requests, service_overdue=overdue)
    now = FeatureBuilder(book).at(m - 1)
    row = int(np.nonzero(now.rows == h)[0][0])
    assert now.column("service_requests_12m")[row] == 2
    assert now.column("service_overdue")[row] == 1
    assert now.column("service_requests_12m").sum() == 2


def test_the_fee_rate_change_reads_fees_over_the_average_assets_not_the_market() -> None:
    """A year's fees over the assets of one month-end read as a higher rate whenever the assets fell (a
    market fall): 61-81% of the clients of demo seed 5 and the tests' generator showed "fees up" at some
    month-ends where nobody's fee rate had changed. Over the average assets of the fees' months, an
    unchanged rate reads as no change through a 40% fall, and a real increase as itself."""
    history, _ = generated_history(300, 2)
    m = history.client.shape[1]
    t = m - 1
    tenure = t - history.period_start[:, t]
    steady, raised = (int(h) for h in np.nonzero(history.client[:, t] & (tenure >= 30))[0][:2])
    managed, fees = history.managed.copy(), history.fees.copy()
    path = np.r_[np.full(m - 12, 1_000_000.0), np.linspace(1_000_000.0, 600_000.0, 12)]  # -40% in a year
    for h in (steady, raised):
        managed[h] = path
        fees[h] = path * 0.01 / 12
    fees[raised, t - 11 :] = path[t - 11 :] * 0.0135 / 12  # 1% a year, then 1.35% for the last twelve months
    now = FeatureBuilder(replace(history, managed=managed, fees=fees)).at(t)
    change = now.column("fee_rate_change")
    row = {int(h): i for i, h in enumerate(now.rows)}
    assert change[row[steady]] == pytest.approx(0.0, abs=1e-6)
    assert change[row[raised]] == pytest.approx(0.35, abs=1e-6)
