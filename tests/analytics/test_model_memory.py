"""The retention fit's memory cuts (issue 21, peak of the window's child on 10,000 households) change no
number: what the backtest forgets is computed again to the same figures, and chunked passes give what one
pass gave."""

from __future__ import annotations

import numpy as np
import pytest
from tests.analytics.history_books import generated_history

from actdesk.domain.analytics import calibration
from actdesk.domain.analytics.backtest import LandmarkTable, run_backtest
from actdesk.domain.analytics.config import AnalyticsConfig
from actdesk.domain.analytics.history import MONTHLY_SUMS
from actdesk.domain.analytics.landmarks import FEATURES, FeatureBuilder
from actdesk.domain.analytics.survival import assess, fit_retention, score_retention

CONFIG = AnalyticsConfig()


@pytest.fixture(scope="module")
def history():
    return generated_history(1200, 11)[0]


def test_forgetting_landmark_months_changes_no_probability_nor_the_backtest(
    history, monkeypatch: pytest.MonkeyPatch
) -> None:
    as_of = history.months[-1]
    lean = assess(history, as_of, CONFIG)
    monkeypatch.setattr(LandmarkTable, "release", lambda self, before, step, anchor: None)
    kept = assess(history, as_of, CONFIG)
    assert lean.backtest is not None and len(lean.backtest.origins) >= 3
    assert lean.backtest == kept.backtest
    assert lean.method == kept.method and lean.probabilities == kept.probabilities


def test_the_backtest_keeps_only_the_training_grid_behind_its_last_fold(history) -> None:
    t, h, step = len(history.months) - 1, CONFIG.horizon_months, CONFIG.landmark_step_months
    table = LandmarkTable(FeatureBuilder(history), h)
    run_backtest(table, t, CONFIG)
    behind = [m for m in table.by_month if m < t - 2 * h + 1]
    assert behind, "the backtest read months before the last fold"
    assert all((t - h - m) % step == 0 for m in behind)
    assert all(m in table.by_month for m in range(t - 2 * h + 1, t - h + 1))  # the as-of's fold, kept


def test_a_forgotten_month_is_computed_again_to_the_same_figures(history) -> None:
    table = LandmarkTable(FeatureBuilder(history), CONFIG.horizon_months)
    first = table.at(40)
    table.release(41, 3, 42)  # 40 is off that grid
    assert 40 not in table.by_month
    again = table.at(40)
    assert again is not first
    for name in ("rows", "month", "x", "y"):
        assert np.array_equal(getattr(first, name), getattr(again, name)), name


def test_scored_landmarks_keep_no_features(history) -> None:
    landmarks = FeatureBuilder(history).at(60, CONFIG.horizon_months)
    assert landmarks.x.shape == (len(landmarks), len(FEATURES))
    kept = landmarks.outcomes()
    assert kept.x.shape == (len(landmarks), 0) and kept.x.nbytes == 0 and kept.x.base is None
    assert kept.rows is landmarks.rows and kept.y is landmarks.y and kept.month is landmarks.month


def test_isotonic_blocks_read_in_chunks_give_the_one_pass_curve(monkeypatch: pytest.MonkeyPatch) -> None:
    rng = np.random.default_rng(4)
    logit = np.round(rng.normal(-2.5, 1.2, 20_000), 2)  # ties: blocks of equal logits
    y = (rng.random(20_000) < 1 / (1 + np.exp(-logit))).astype(float)
    weights = np.full(len(y), 1 / 12)
    whole = calibration.fit_isotonic(logit, y, weights)
    monkeypatch.setattr(calibration, "CHUNK", 7)
    chunked = calibration.fit_isotonic(logit, y, weights)
    assert whole is not None and len(whole.knots) > 3
    assert chunked == whole


def test_fit_and_score_from_one_builder_equal_the_history_s(history) -> None:
    """The service fits and scores from the history's builder and lets the history go: the builder holds
    running totals, not the monthly amounts, and the numbers are those of the history itself."""
    as_of = history.months[-1]
    builder = FeatureBuilder(history)
    for name in MONTHLY_SUMS:
        kept = getattr(builder.h, name)
        assert (kept is None) == (getattr(history, name) is None), name
        assert kept is None or kept.shape == (history.n, 0), name
    assert builder.h.managed is history.managed and builder.h.left is history.left
    with pytest.raises(ValueError):
        FeatureBuilder(builder.h)  # a history without its sums cannot be mistaken for a whole one
    from_builder = score_retention(builder, fit_retention(builder, as_of, CONFIG), CONFIG)
    whole = assess(history, as_of, CONFIG)
    assert from_builder.probabilities == whole.probabilities
    assert from_builder.backtest == whole.backtest and from_builder.reasons_checked == whole.reasons_checked
