"""The retention model judged out of time on books it was not built from (the tests' own generator)."""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pytest
from tests.analytics.history_books import generated_history

from actdesk.domain.analytics.backtest import BASE_RATE, MODEL
from actdesk.domain.analytics.config import AnalyticsConfig
from actdesk.domain.analytics.landmark_model import P_FLOOR
from actdesk.domain.analytics.landmarks import FEATURES, FeatureBuilder
from actdesk.domain.analytics.survival import assess

CONFIG = AnalyticsConfig()


@pytest.fixture(scope="module")
def signal_book():
    history, _periods = generated_history(2000, 3)
    return history, assess(history, history.months[-1], CONFIG)


@pytest.fixture(scope="module")
def random_book():
    history, _periods = generated_history(2000, 3, random_departures=True)
    return history, assess(history, history.months[-1], CONFIG)


def test_isotonic_beats_platt_out_of_time(signal_book) -> None:
    history, a = signal_book
    model = a.backtest.scores[MODEL]
    assert len(model.deciles) == 10
    # The proper score judges the recalibration as a whole: isotonic beats Platt scaling out of time.
    import actdesk.domain.analytics.backtest as backtest_module

    platt_only = pytest.MonkeyPatch()
    platt_only.setattr(backtest_module, "fit_isotonic", lambda *args, **kwargs: None)
    try:
        platt = assess(history, history.months[-1], CONFIG).backtest.scores[MODEL]
    finally:
        platt_only.undo()
    assert model.brier < platt.brier, (model.brier, platt.brier)


def test_the_backtest_scores_every_month_end_of_each_origins_year(signal_book) -> None:
    """Each origin's fit scores the month-ends of the following year whose outcome is known by the as-of
    date; every method on the same rows; a departure counted once however many landmarks saw it coming."""
    history, a = signal_book
    bt = a.backtest
    t = history.index_of(a.as_of)
    months = [m for o in bt.origins for m in range(o, min(o + 12, t - 12 + 1))]
    assert len(bt.origins) >= 3 and bt.landmarks == len(months) == 12 * (len(bt.origins) - 1) + 1
    assert bt.observations == int(history.client[:, months].sum())
    assert bt.households == int(history.client[:, months].any(axis=1).sum())
    left = history.left
    seen = {
        (h, m + 1 + int(np.argmax(left[h, m + 1 : m + 13])))
        for m in months
        for h in np.nonzero(history.client[:, m] & left[:, m + 1 : m + 13].any(axis=1))[0].tolist()
    }
    assert bt.departures == len(seen) and bt.departing_rows > 5 * bt.departures
    for s in bt.scores.values():  # the baselines are judged on the very same rows
        assert sum(d.households for d in s.deciles) == bt.observations
        assert s.observed_retention == pytest.approx(1 - bt.departing_rows / bt.observations)


def test_calibrated_within_one_point_or_chance_where_the_book_does_not_drift(random_book) -> None:
    """Departures at a constant rate: the out-of-time calibration must bring even a model with nothing to
    go on to the observed rate in every tenth, within 1 point or what chance explains (the tenths hold
    about 5,000 rows of ~1,900 households here; one point is not checkable on its own)."""
    _history, a = random_book
    model = a.backtest.scores[MODEL]
    assert abs(model.mean_predicted_retention - model.observed_retention) < 0.01
    assert model.max_decile_gap <= max(0.01, model.chance_gap), (model.max_decile_gap, model.chance_gap)
    assert model.chance_gap < 0.03


def test_every_decile_within_one_point_or_chance_on_the_drifting_book(signal_book) -> None:
    """The tests' generator drifts (its causes accumulate: 4.1% of clients left within a year in 2020,
    7.0-7.1% in 2024-2025), yet every tenth lands within 1 point or what chance explains. It did not
    (4.5 points against a 3.4-point band, a strict xfail) while the fee-rate change read a year's fees
    over one month-end's assets: the whole book's "fee change" swung with the market, every probability
    with it, and each origin's recalibration was learnt in another market (docs/metrics.md, section 3)."""
    _history, a = signal_book
    model = a.backtest.scores[MODEL]
    assert abs(model.mean_predicted_retention - model.observed_retention) < 0.01
    assert model.max_decile_gap <= max(0.01, model.chance_gap), (model.max_decile_gap, model.chance_gap)


def test_no_probability_is_zero_or_one_and_every_one_has_a_band(signal_book) -> None:
    _history, a = signal_book
    assert len(a.probabilities) > 1000
    for p in a.probabilities.values():
        assert P_FLOOR <= p.probability <= 1 - P_FLOOR
        assert p.low is not None and p.high is not None and p.low < p.probability < p.high
        assert p.departures == a.departures > 0
    # the safest households too: where the recalibration is flat their band still has width
    assert min(p.high - p.probability for p in a.probabilities.values()) > 1e-4


def test_random_departures_show_no_skill_and_fall_back(random_book) -> None:
    _history, a = random_book
    assert a.method == BASE_RATE and a.backtest.reason == "no_skill"
    values = {round(p.probability, 9) for p in a.probabilities.values()}
    assert len(values) == 1  # one base rate for everyone, said with its band
    p = next(iter(a.probabilities.values()))
    assert p.factors == [] and p.low < p.probability < p.high


def test_every_reason_agrees_in_sign_with_the_coefficient_and_the_data(signal_book) -> None:
    history, a = signal_book
    assert a.reasons_checked, "the riskiest households must be given reasons"
    t = history.index_of(a.as_of)
    builder = FeatureBuilder(history)
    now = builder.at(t)
    # the data: landmarks with known outcomes before the as-of date
    past = [builder.at(m, 12) for m in range(12, t - 12 + 1, 3)]
    x = np.vstack([p.x for p in past])
    y = np.concatenate([p.y for p in past]).astype(float)
    book_mean = now.x.mean(axis=0)
    row_of = {int(h): i for i, h in enumerate(history.ids[now.rows])}
    for household, feature, contribution, learnt_sign in a.reasons_checked:
        j = FEATURES.index(feature)
        value = now.x[row_of[household], j]
        assert contribution > 0
        data_sign = np.sign(np.corrcoef(x[:, j], y)[0, 1])
        assert learnt_sign == data_sign
        # the household sits on the risky side of the book's average for this feature
        assert np.sign(value - book_mean[j]) == data_sign, (feature, value, book_mean[j])


def test_no_look_ahead_records_after_the_as_of_date_change_nothing(signal_book) -> None:
    history, _a = signal_book
    t = len(history.months) - 13
    as_of = history.months[t]
    before = assess(history, as_of, CONFIG)
    rng = np.random.default_rng(0)
    future = np.zeros(history.client.shape, dtype=bool)
    future[:, t + 1 :] = True

    def scramble(m: np.ndarray) -> np.ndarray:
        out = m.copy()
        out[future] = rng.permutation(m[future])
        return out

    changed = replace(
        history,
        left=scramble(history.left),
        managed=scramble(history.managed),
        transfer_out=scramble(history.transfer_out),
        contacts=scramble(history.contacts),
        fees=scramble(history.fees),
    )
    after = assess(changed, as_of, CONFIG)
    assert after.method == before.method
    for hid, p in before.probabilities.items():
        assert after.probabilities[hid].probability == pytest.approx(p.probability, abs=1e-12)
        assert after.probabilities[hid].factors == p.factors


@pytest.mark.parametrize(
    ("told_as", "records", "fewest"),
    [("no contact since ", "contacts", 10), ("no review since ", "reviews", 0)],
)
def test_a_gap_is_told_as_the_month_since_which_there_was_none(signal_book, told_as, records, fewest) -> None:
    """ "no contact since Jul 2026": the month named is before the landmark and nothing of the kind is
    recorded after it up to the landmark, the sentence the card's "Last contact" date and the gap alerts
    agree with (a count of month-ends read as a different figure beside "143 days ago"). The tests'
    generator records reviews as noise, so a review gap may never be a reason there."""
    from actdesk.formats import format_month

    history, a = signal_book
    t = history.index_of(a.as_of)
    month_at = {format_month(m).replace(" ", "\u00a0"): k for k, m in enumerate(history.months[: t + 1])}
    row = {int(h): i for i, h in enumerate(history.ids)}
    told = {
        h: reason.removeprefix(told_as)
        for h, p in a.probabilities.items()
        for reason in p.factors
        if reason.startswith(told_as)
    }
    assert len(told) >= fewest  # the generator's silent households are among the riskiest
    for h, month in told.items():
        k = month_at[month]
        assert k < t
        assert getattr(history, records)[row[h], k + 1 : t + 1].sum() == 0, (h, month)
    assert not any(
        " in " in r and r.startswith(("no contact", "no review"))
        for p in a.probabilities.values()
        for r in p.factors
    )


def test_the_month_is_told_in_the_advisors_language() -> None:
    from datetime import date

    from actdesk import i18n
    from actdesk.domain.analytics.factors import phrase

    landmark = date(2026, 11, 30)
    assert phrase("months_since_contact", 4.0, landmark) == "no contact since Jul\u00a02026"  # one line
    assert phrase("months_since_contact", 0.0, landmark) is None  # contacted in the landmark's month
    assert phrase("months_since_contact", 4.0) == "no contact in 4 months"  # no landmark: the count
    assert phrase("months_since_review", 9.0, landmark) == "no review since Feb\u00a02026"
    assert phrase("months_since_review", 0.0, landmark) is None
    i18n.set_language("es")
    try:
        assert phrase("months_since_contact", 13.0, landmark) == "sin contacto desde oct\u00a02025"
        assert phrase("months_since_review", 9.0, landmark) == "sin revisión desde feb\u00a02026"
    finally:
        i18n.set_language("en")
