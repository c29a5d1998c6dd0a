"""The SQL-computed monthly series and yearly retention equal the obvious pandas computation, month by
month, on the 60-household demo book: at the dashboard's mid-month date (each day maps to the month-end
before it) and at a month-end (each day is itself a balance date)."""

from __future__ import annotations

from datetime import date

import pandas as pd
import pytest
from tests.analytics.series_reference import count_seeks, reference_monthly, reference_retention

from actdesk.domain.analytics.config import AnalyticsConfig
from actdesk.domain.analytics.frames import MONTHLY_COLUMNS
from actdesk.services import analytics
from actdesk.services.alerts.child import ChildProcess
from actdesk.services.analytics_child import model_probabilities
from actdesk.services.dashboard.book import gather_book, with_model
from actdesk.storage.analytics_data import load_book_frames

from .conftest import AS_OF


@pytest.mark.parametrize("as_of", [AS_OF, date(2026, 10, 31)])
def test_monthly_series_equals_pandas_reference_every_month(shared_book, monkeypatch, as_of: date) -> None:
    seeks = count_seeks(monkeypatch)
    with shared_book.reader() as s:
        monthly = load_book_frames(s, as_of, months=25).monthly
    expected = reference_monthly(shared_book, as_of, 25)
    assert len(monthly) == 25
    assert seeks == []  # month-end balances: every month from the one scan
    assert monthly["aum_cents"].iloc[-1] > 0  # the demo book has balances: the check compares real sums
    for column in MONTHLY_COLUMNS:
        assert list(monthly[column]) == list(expected[column]), column


@pytest.mark.parametrize("as_of", [AS_OF, date(2026, 10, 31)])
def test_retention_trend_equals_frames_per_anniversary(shared_book, as_of: date) -> None:
    trend = analytics.retention_trend(shared_book, as_of, years=5)
    expected = reference_retention(shared_book, as_of, 5)
    assert trend["departures"].sum() > 0
    pd.testing.assert_frame_equal(trend, expected)


def test_dashboard_gathers_the_same_figures_as_the_separate_calls(shared_book) -> None:
    config = AnalyticsConfig()
    data = gather_book(shared_book, AS_OF, config)
    pd.testing.assert_frame_equal(data.aum, analytics.aum_trend(shared_book, AS_OF))
    pd.testing.assert_frame_equal(data.revenue, analytics.revenue_trend(shared_book, AS_OF))
    pd.testing.assert_frame_equal(data.wallet, analytics.wallet_trend(shared_book, AS_OF))
    assert data.kpis == analytics.kpis_for(shared_book, AS_OF, config, with_probabilities=False)
    # The value client by client comes after the retention model, from a child process, and equals the
    # figure the KPIs compute in this process.
    assert data.kpis["book_value"]["npv_households"] is None
    child = ChildProcess()
    try:
        probabilities = model_probabilities(shared_book, AS_OF, config, child)
        assert child.runs == 1 and child.fallbacks == 0
    finally:
        child.shutdown()
    full = with_model(data, probabilities)
    assert full.kpis == analytics.kpis_for(shared_book, AS_OF, config)
    assert full.kpis["book_value"]["npv_households"] > 0


def test_the_dashboard_asks_the_child_for_the_model_before_gathering(shared_book) -> None:
    """``model_probabilities_later`` starts the model in the child at once (it computes on the other core
    while the dashboard is gathered) and collects the same probabilities as the blocking call."""
    from concurrent.futures import wait

    from actdesk.services.analytics_child import model_probabilities_later

    config = AnalyticsConfig()
    child = ChildProcess()
    try:
        collect = model_probabilities_later(shared_book, AS_OF, config, child)
        started = child._future
        assert started is not None  # submitted before anything is collected
        wait([started], timeout=120)
        assert started.done()  # the child finished while this thread did nothing with it
        later = collect(lambda: False)
        assert child.runs == 1 and child.fallbacks == 0
    finally:
        child.shutdown()
    assert later == model_probabilities(shared_book, AS_OF, config, None)
    assert model_probabilities_later(shared_book, AS_OF, config, None)(lambda: False) == later


def test_the_dashboard_frames_come_from_the_child_and_match_the_in_process_ones(shared_book) -> None:
    """``gather_book_later`` gathers the Book dashboard in the child process (issue 21: off the window's
    interpreter lock) and the child's frames are the ones this process computes."""
    from actdesk.services.alerts.compute import EvaluationCancelled
    from actdesk.services.analytics_child import gather_book_later

    config = AnalyticsConfig()
    here = gather_book(shared_book, AS_OF, config)
    child = ChildProcess()
    try:
        there = gather_book_later(shared_book, AS_OF, config, child)(lambda: False)
        assert child.runs == 1 and child.fallbacks == 0  # computed there, not here
        with pytest.raises(EvaluationCancelled):  # closing the window never waits for it
            gather_book_later(shared_book, AS_OF, config, child)(lambda: True)
    finally:
        child.shutdown()
    assert there.kpis == here.kpis and there.kpis["aum"]["total"] > 0
    for name in ("aum", "revenue", "wallet", "retention", "households"):
        pd.testing.assert_frame_equal(getattr(there, name), getattr(here, name))
    assert (there.segments, there.alerts_by_rule, there.names) == (
        here.segments,
        here.alerts_by_rule,
        here.names,
    )
    assert there.recurring == here.recurring
    # without a child (an in-memory book, none could start) the same frames, gathered here
    alone = gather_book_later(shared_book, AS_OF, config, None)(lambda: False)
    assert alone.kpis == here.kpis
