"""The monthly series on balances that are not one per month-end: a gap, a mid-month balance, an account
closed early, a household that leaves and one that arrives mid-series, months after the last balance
(several days sharing one balance date). The one-scan sums must give way to the per-account seeks
wherever they would differ, so every month equals the obvious pandas computation."""

from __future__ import annotations

from datetime import date

import pandas as pd
import pytest
from tests import factories as f
from tests.analytics.series_reference import count_seeks, reference_monthly, reference_retention

from actdesk.domain.analytics.frames import MONTHLY_COLUMNS
from actdesk.services import analytics as service
from actdesk.storage.analytics_data import load_book_frames


def _irregular_book(book) -> None:
    with book.session() as s:
        steady = f.household(s, "Steady", since=date(2023, 1, 1))
        f.contact(s, steady, "Sam", "Steady", net_worth="500000")
        gap = f.account(s, steady)
        mid = f.account(s, steady)
        away = f.account(s, steady, managed=False)
        for month_end in (date(2025, 10, 31), date(2025, 12, 31), date(2026, 1, 31)):  # November missing
            f.balance(s, gap, month_end, "1000.00")
        f.balance(s, mid, date(2025, 11, 15), "250.00")  # mid-month only
        f.balance(s, mid, date(2025, 12, 31), "300.00")
        f.balance(s, away, date(2025, 12, 31), "999.00")
        f.flow(s, gap, date(2025, 12, 5), "-75.00")
        f.fee(s, steady, date(2025, 12, 31), "12.50")
        f.fee(s, steady, date(2026, 1, 15), "40.00", recurring=False)
        leaver = f.household(s, "Leaver", since=date(2024, 1, 1), until=date(2025, 12, 20), reason="moved")
        f.contact(s, leaver, "Lea", "Leaver")  # no net worth known
        closed = f.account(s, leaver)
        f.balance(s, closed, date(2025, 9, 30), "2000.00")  # nothing after: carried forward
        f.balance(s, closed, date(2025, 10, 31), "2100.00")
        newcomer = f.household(s, "Newcomer", since=date(2025, 12, 1))
        f.contact(s, newcomer, "Nia", "Newcomer", net_worth="0")
        fresh = f.account(s, newcomer)
        f.balance(s, fresh, date(2025, 12, 31), "700.00")
        f.balance(s, fresh, date(2026, 1, 31), "800.00")


@pytest.mark.parametrize("as_of", [date(2026, 3, 31), date(2026, 3, 20), date(2026, 1, 31)])
def test_irregular_balances_monthly_series_equals_reference(book, monkeypatch, as_of: date) -> None:
    _irregular_book(book)
    seeks = count_seeks(monkeypatch)
    with book.reader() as s:
        monthly = load_book_frames(s, as_of, months=8).monthly
    expected = reference_monthly(book, as_of, 8)
    assert monthly["aum_cents"].max() > 0
    assert seeks, "the gap and the mid-month balance must send some months to the per-account seeks"
    for column in MONTHLY_COLUMNS:
        assert list(monthly[column]) == list(expected[column]), column


def test_irregular_balances_retention_trend_equals_reference(book) -> None:
    _irregular_book(book)
    as_of = date(2026, 10, 31)
    trend = service.retention_trend(book, as_of, years=3)
    expected = reference_retention(book, as_of, 3)
    assert list(trend["departures"]) == [0, 0, 1]
    pd.testing.assert_frame_equal(trend, expected)


@pytest.mark.parametrize("as_of", [date(2026, 3, 31), date(2026, 3, 20)])
def test_irregular_balances_dashboard_load_equals_reference(book, as_of: date) -> None:
    """The dashboard's path: the month-end scan on the second connection, its exactness check, and the
    per-account seeks for the months it cannot answer, inside the KPI load."""
    _irregular_book(book)
    loaded = service.book_analytics(book, as_of, with_probabilities=False, months=8, years=2)
    expected = reference_monthly(book, as_of, 8)
    for column in MONTHLY_COLUMNS:
        assert list(loaded.frames.monthly[column]) == list(expected[column]), column
    pd.testing.assert_frame_equal(loaded.retention, reference_retention(book, as_of, 2))
