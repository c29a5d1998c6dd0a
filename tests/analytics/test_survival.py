"""The retention model: honest on a book with known signals, a documented fallback when it cannot fit."""

from __future__ import annotations

from datetime import date

import pytest
from tests.analytics.books import AS_OF, six_households
from tests.analytics.synthetic import signal_driven_book

from actdesk.domain.analytics.config import AnalyticsConfig
from actdesk.domain.analytics.dates import shift_months
from actdesk.domain.analytics.survival import base_rate, concordance, design_matrix, retention_probabilities
from actdesk.storage.analytics_data import load_book_frames

D0 = date(2025, 12, 31)


def test_households_that_leave_next_year_get_lower_probabilities(book) -> None:
    with book.session() as s:
        signal_driven_book(s)
    with book.reader() as s:
        frames = load_book_frames(s, D0, months=0)
    config = AnalyticsConfig()
    probabilities = retention_probabilities(frames, D0, config)
    assert {p.model for p in probabilities.values()} == {"cox"}
    horizon = shift_months(D0, 12)
    until = frames.households["client_until"]
    leavers = [h for h in probabilities if until.notna()[h] and until[h].date() <= horizon]
    stayers = [h for h in probabilities if h not in leavers]
    assert len(leavers) >= 10 and len(stayers) >= 50
    mean = lambda ids: sum(probabilities[h].probability for h in ids) / len(ids)  # noqa: E731
    assert mean(leavers) < mean(stayers) - 0.1
    c_index = concordance(frames, D0, probabilities, horizon)
    assert c_index is not None and c_index > 0.8, c_index
    riskiest = min(probabilities.values(), key=lambda p: p.probability)
    assert riskiest.factors and all(isinstance(f, str) for f in riskiest.factors)
    assert any("outflows" in f or "no contact" in f or "down" in f for f in riskiest.factors), (
        riskiest.factors
    )
    assert all(0.0 <= p.probability <= 1.0 for p in probabilities.values())


def test_too_few_departures_fall_back_to_a_shrunk_base_rate_with_warning_signs(book) -> None:
    with book.session() as s:
        ids = six_households(s)
    with book.reader() as s:
        frames = load_book_frames(s, AS_OF, months=0)
    config = AnalyticsConfig()
    probabilities = retention_probabilities(frames, AS_OF, config)
    assert set(probabilities) == {ids["able"], ids["baker"], ids["drake"]}
    table = design_matrix(frames, AS_OF, config)
    years = table["duration"].sum() / 12
    expected = 1 - (2 + 20 * 0.04) / (years + 20)  # 2 departures, shrunk toward 96% with 20 client-years
    assert base_rate(table, config) == pytest.approx(expected)
    baker = probabilities[ids["baker"]]
    assert (baker.model, baker.probability) == ("base_rate", pytest.approx(expected))
    # Baker: -60,000 in 6 months on 200,000; no contact ever recorded in five years
    assert baker.factors[:2] == ["no contact on record", "net outflows of 30% in 6 months"]
    assert "assets with us down 25% in 12 months" in baker.factors


def test_history_is_required_for_probabilities(book) -> None:
    with book.reader() as s:
        frames = load_book_frames(s, AS_OF, months=0, history=False)
    with pytest.raises(ValueError, match="history"):
        retention_probabilities(frames, AS_OF, AnalyticsConfig())
