"""The edge cases the issue names: empty book, one household, no balances, leaving on the as-of date,
zero net worth; plus dates that are not month-ends and the monthly trend series."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from tests import factories as f

from actdesk.domain.analytics.config import AnalyticsConfig
from actdesk.domain.analytics.dates import key_dates, last_month_end, shift_months
from actdesk.domain.analytics.kpis import compute_kpis
from actdesk.domain.analytics.survival import retention_probabilities
from actdesk.services import analytics as service
from actdesk.storage.book_records import load_book_records
from actdesk.storage.retention_history import load_history

CONFIG = AnalyticsConfig()
AS_OF = date(2026, 6, 30)


def _probabilities(book, as_of: date = AS_OF):
    with book.reader() as s:
        history = load_history(s, as_of)
    return retention_probabilities(history, as_of, CONFIG)


def _kpis(book, as_of: date = AS_OF):
    with book.reader() as s:
        records = load_book_records(s, as_of)
    return records, compute_kpis(records, as_of, CONFIG)


def test_empty_book_gives_zeros_and_none_not_errors(book) -> None:
    _records, k = _kpis(book)
    assert k["clients"] == 0
    assert k["aum"] == {key: Decimal("0.00") for key in k["aum"]}
    assert k["retention"]["client_rate"] is None and k["retention"]["asset_rate"] is None
    assert k["revenue"]["t12m"] == Decimal("0.00") and k["revenue"]["pareto_share"] is None
    assert k["share_of_wallet"]["book"] is None
    assert {s: v["households"] for s, v in k["segments"].items()} == {"A": 0, "B": 0, "C": 0}
    assert k["book_value"]["multiple"] == Decimal("0.00")
    assert k["book_value"]["retention_source"] == "base_rate"
    assert k["referral_sources"] == [] and k["stack_ranking"] == []
    assert _probabilities(book) == {}


def test_one_household_without_balances_is_a_client_with_zero_aum(book) -> None:
    with book.session() as s:
        hid = f.household(s, "Solo household", since=date(2024, 1, 1))
        f.contact(s, hid, "Sol", "Solo", net_worth="250000")
        f.fee(s, hid, date(2026, 3, 31), "400.00")
    _records, k = _kpis(book)
    assert k["clients"] == 1
    assert k["aum"]["total"] == Decimal("0.00") and k["aum"]["start"] == Decimal("0.00")
    assert k["retention"]["client_rate"] == 1.0
    assert k["retention"]["asset_rate"] is None  # no AUM at the start: undefined, not 100%
    assert k["share_of_wallet"]["book"] == 0.0
    assert k["segments"]["A"]["households"] == 1  # 20% of 1 rounded up
    assert k["revenue"]["pareto_share"] == 1.0
    probabilities = _probabilities(book)
    assert list(probabilities) == [hid]
    assert probabilities[hid].model == "base_rate"
    assert 0.9 < probabilities[hid].probability < 1.0
    assert probabilities[hid].departures == 0  # and says so: a band, based on no departure of its own


def test_a_household_leaving_on_the_as_of_date_is_not_a_client_that_day(book) -> None:
    with book.session() as s:
        hid = f.household(s, "Leaving household", status="former_client", since=date(2020, 1, 1), until=AS_OF)
        acc = f.account(s, hid)
        f.balance(s, acc, date(2026, 5, 31), "1000.00")
    _records, k = _kpis(book)
    assert k["clients"] == 0 and k["aum"]["total"] == Decimal("0.00")
    assert [d["household_id"] for d in k["retention"]["departures"]] == [hid]
    _records, before = _kpis(book, date(2026, 6, 29))
    assert before["clients"] == 1 and before["aum"]["total"] == Decimal("1000.00")


def test_zero_or_negative_net_worth_is_left_out_of_share_of_wallet(book) -> None:
    with book.session() as s:
        for name, worth, aum in (
            ("Zero", "0", "5000"),
            ("Negative", "-10000", "7000"),
            ("Known", "100000", "20000"),
        ):
            hid = f.household(s, f"{name} household", since=date(2020, 1, 1))
            f.contact(s, hid, name, "X", net_worth=worth)
            f.balance(s, f.account(s, hid), date(2026, 6, 1), aum)
    _records, k = _kpis(book)
    assert k["share_of_wallet"]["book"] == pytest.approx(0.2)
    assert k["share_of_wallet"]["households_with_net_worth"] == 1


def test_month_end_dates_step_back_to_month_ends_and_other_days_keep_their_day() -> None:
    assert key_dates(date(2026, 2, 28)) == (
        date(2026, 2, 28),
        date(2025, 8, 31),
        date(2025, 2, 28),
        date(2024, 2, 29),
    )
    assert key_dates(date(2026, 3, 15))[2] == date(2025, 3, 15)
    assert shift_months(date(2026, 3, 31), -1) == date(2026, 2, 28)
    assert last_month_end(date(2026, 3, 15)) == date(2026, 2, 28)
    assert last_month_end(date(2026, 3, 31)) == date(2026, 3, 31)


def test_trend_helpers_give_monthly_series(book) -> None:
    with book.session() as s:
        hid = f.household(s, "Trend household", since=date(2025, 1, 1))
        f.contact(s, hid, "Tia", "Trend", net_worth="100000")
        acc = f.account(s, hid)
        f.balance(s, acc, date(2026, 4, 30), "10000.00")
        f.balance(s, acc, date(2026, 5, 31), "12000.00")
        f.flow(s, acc, date(2026, 5, 10), "1500.00")
        f.fee(s, hid, date(2026, 5, 31), "25.00")
    aum = service.aum_trend(book, AS_OF, months=3)
    assert list(aum["aum"]) == [10000.0, 12000.0, 12000.0]  # June carries May's balance forward
    assert list(aum["net_flows"]) == [0.0, 1500.0, 0.0]
    assert aum["market"].iloc[1] == pytest.approx(500.0)
    assert list(service.revenue_trend(book, AS_OF, months=3)["total"]) == [0.0, 25.0, 0.0]
    assert list(service.wallet_trend(book, AS_OF, months=3)["share_of_wallet"]) == pytest.approx(
        [0.1, 0.12, 0.12]
    )
    trend = service.retention_trend(book, AS_OF, years=2)
    assert list(trend["client_rate"].isna()) == [True, False]  # not a client a year before 2025-06-30
    assert trend["client_rate"].iloc[1] == 1.0
