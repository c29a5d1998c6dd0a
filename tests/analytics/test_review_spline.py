"""The review gap's shape (a linear spline: months without a review beyond 6, 9 and 18) and the reasons
told through it: a figure is a reason only where all the terms that shape it together raise the risk."""

from __future__ import annotations

import numpy as np
from tests.analytics.history_books import generated_history

from actdesk.domain.analytics.backtest import MODEL, Predictor
from actdesk.domain.analytics.landmark_model import Logistic, Platt
from actdesk.domain.analytics.landmarks import FEATURES, REVIEW_KNOTS, FeatureBuilder
from actdesk.domain.analytics.survival import SHOWN_AS, _reasons


def test_the_spline_terms_are_the_months_without_a_review_beyond_each_knot() -> None:
    history, _periods = generated_history(300, 5)
    now = FeatureBuilder(history).at(len(history.months) - 1)
    months = now.column("months_since_review")
    assert months.max() > max(REVIEW_KNOTS)  # every knot is crossed by someone
    for k in REVIEW_KNOTS:
        term = now.column(f"review_gap_over_{k}m")
        assert np.array_equal(term, np.maximum(months - k, 0)), k
        assert SHOWN_AS[f"review_gap_over_{k}m"] == "months_since_review"


def _predictor(coef_linear: float, coef_over_18: float) -> Predictor:
    columns = np.array([FEATURES.index("months_since_review"), FEATURES.index("review_gap_over_18m")])
    model = Logistic(
        columns,
        np.array([5.0, 0.5]),
        np.array([4.0, 1.5]),
        -3.0,
        np.array([coef_linear, coef_over_18]),
        np.eye(3),
    )
    signs = {int(columns[0]): float(np.sign(coef_linear)), int(columns[1]): float(np.sign(coef_over_18))}
    return Predictor(MODEL, model, Platt(), 0.04, 50, None, 100.0, signs)


def _book(months: list[float]) -> np.ndarray:
    x = np.zeros((len(months), len(FEATURES)), dtype=np.float32)
    x[:, FEATURES.index("months_since_review")] = months
    for k in REVIEW_KNOTS:
        x[:, FEATURES.index(f"review_gap_over_{k}m")] = np.maximum(np.array(months) - k, 0)
    return x


def test_a_gap_is_a_reason_only_where_its_terms_together_raise_the_risk() -> None:
    """A spline that bends down past 18 months: its linear term alone would call a 24-month gap a warning,
    but the gap's terms together lower that household's risk, so no reason is given; a 10-month gap,
    before the bend, is told with its figure."""
    months = [0, 2, 3, 4, 5, 6, 10, 24]
    x = _book(months)
    ids = np.arange(1, len(months) + 1)
    reasons, checked = _reasons(_predictor(0.5, -2.0), x, ids, 3)
    by_household = dict(zip(months, reasons, strict=True))
    assert by_household[10] == ["no review in 10 months"]
    assert by_household[24] == []
    assert all(c > 0 for _h, _f, c, _s in checked)
    # where the spline rises past 18 months, the longest gap is a reason too
    reasons, _checked = _reasons(_predictor(0.5, 0.5), x, ids, 3)
    assert dict(zip(months, reasons, strict=True))[24] == ["no review in 24 months"]


def test_a_gap_inside_the_half_yearly_cycle_is_never_a_reason() -> None:
    """The linear term makes 4 or 5 months without a review slightly riskier than the book's average, but
    advisors review half-yearly: a gap is told only past the first knot (6 months)."""
    months = [0, 1, 2, 4, 5, 6, 7, 10]
    x = _book(months)
    reasons, checked = _reasons(_predictor(0.5, 0.0), x, np.arange(1, len(months) + 1), 3)
    by_household = dict(zip(months, reasons, strict=True))
    assert by_household[4] == by_household[5] == by_household[6] == []
    assert by_household[7] == ["no review in 7 months"]
    assert by_household[10] == ["no review in 10 months"]
    assert {h for h, _f, _c, _s in checked} == {7, 8}


def test_the_review_gap_by_tenure_is_the_months_times_the_tenure() -> None:
    history, _periods = generated_history(300, 5)
    now = FeatureBuilder(history).at(len(history.months) - 1)
    term = now.column("review_gap_by_tenure")
    assert np.allclose(term, now.column("months_since_review") * now.column("tenure_years"))
    assert term.max() > 0 and SHOWN_AS["review_gap_by_tenure"] == "months_since_review"


def test_a_lapsed_review_is_a_reason_for_a_long_standing_client_not_a_newcomer() -> None:
    """With a review gap that weighs by tenure (the linear term alone slightly protective, the interaction
    raising the risk), the same 10 months without a review is told for a household of 15 years, where the
    terms together raise its risk, and not for one of 4 months, whose months count from its start."""
    names = ("months_since_review", "tenure_years", "review_gap_by_tenure")
    columns = np.array([FEATURES.index(n) for n in names])
    model = Logistic(
        columns,
        np.array([5.0, 1.5, 8.0]),
        np.array([4.0, 1.0, 8.0]),
        -3.0,
        np.array([-0.2, 0.0, 1.0]),
        np.eye(4),
    )
    signs = {int(columns[0]): -1.0, int(columns[1]): 0.0, int(columns[2]): 1.0}
    predictor = Predictor(MODEL, model, Platt(), 0.04, 50, None, 100.0, signs)
    rows = [(10, 15.0), (10, 0.33), (3, 5.0), (3, 5.0), (0, 2.0), (5, 8.0)]
    x = np.zeros((len(rows), len(FEATURES)), dtype=np.float32)
    for i, (months, years) in enumerate(rows):
        tenure = np.log1p(years)
        x[i, columns] = (months, tenure, months * tenure)
    reasons, checked = _reasons(predictor, x, np.arange(1, len(rows) + 1), 3)
    assert reasons[0] == ["no review in 10 months"]
    assert reasons[1] == []
    assert [f for h, f, _c, _s in checked if h == 1] == ["review_gap_by_tenure"]
