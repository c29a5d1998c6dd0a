"""Every KPI against figures computed by hand on a six-household book (tests/analytics/books.py)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from tests.analytics.books import AS_OF, six_households

from actdesk.domain.analytics.config import AnalyticsConfig
from actdesk.domain.analytics.household_table import household_table
from actdesk.domain.analytics.kpis import compute_kpis
from actdesk.domain.analytics.segments import assign_segments, segment_mix
from actdesk.storage.book_records import load_book_records

CONFIG = AnalyticsConfig()


@pytest.fixture(scope="module")
def loaded(tmp_path_factory: pytest.TempPathFactory):
    """Built once for the module: the tests only read it."""
    from actdesk.storage.open import open_book

    book = open_book(tmp_path_factory.mktemp("kpis") / "book.db")
    try:
        with book.session() as s:
            ids = six_households(s)
        with book.reader() as s:
            records = load_book_records(s, AS_OF)
    finally:
        book.dispose()
    return ids, records


def test_aum_is_the_latest_managed_balance_of_clients_and_its_change_splits_into_flows_and_market(
    loaded,
) -> None:
    _ids, records = loaded
    k = compute_kpis(records, AS_OF, CONFIG)
    assert (
        k["clients"] == 3
    )  # Able, Baker, Drake; Clark left, Frost leaves on the as-of date, Evans a prospect
    # Able 120,000 (held-away 50,000 excluded) + Baker 150,000 + Drake 41,000
    assert k["aum"]["total"] == Decimal("311000.00")
    # clients on 2025-06-30: Able 100,000 + Baker 200,000 + Clark 80,000 + Frost 30,000
    assert k["aum"]["start"] == Decimal("410000.00")
    # +5,000 -2,000 (Able) -60,000 (Baker) -82,000 (Clark) +40,000 (Drake) -31,000 (Frost)
    assert k["aum"]["net_flows"] == Decimal("-130000.00")
    assert k["aum"]["market"] == Decimal("31000.00")  # 311,000 - 410,000 + 130,000
    assert k["aum"]["held_away"] == Decimal("50000.00")


def test_client_and_asset_retention_with_departures_and_reasons(loaded) -> None:
    ids, records = loaded
    r = compute_kpis(records, AS_OF, CONFIG)["retention"]
    assert (r["clients_at_start"], r["retained"], r["client_rate"]) == (4, 2, 0.5)
    # outflows of the start's clients: 2,000 + 60,000 + 82,000 + 31,000 = 175,000 of 410,000
    assert r["outflows"] == Decimal("175000.00")
    assert r["asset_rate"] == pytest.approx(1 - 175000 / 410000)
    # the headline the industry uses: assets of the households that left (Clark 80,000 + Frost 30,000) lost,
    # whether or not a transfer out was recorded; Baker's 60,000 out while staying is a net outflow instead
    assert r["assets_kept_rate"] == pytest.approx(1 - 110000 / 410000)
    assert r["net_outflow_rate"] == pytest.approx((2000 + 60000 + 82000 + 31000 - 5000) / 410000)
    assert [(d["household_id"], d["left_on"], d["reason"]) for d in r["departures"]] == [
        (ids["clark"], date(2026, 2, 15), "moved closer to family"),
        (ids["frost"], date(2026, 6, 30), "fees"),
    ]


def test_revenue_trailing_twelve_months_recurring_and_one_off(loaded) -> None:
    _ids, records = loaded
    rev = compute_kpis(records, AS_OF, CONFIG)["revenue"]
    # Able 1,000 + 1,000 + 500 one-off; Baker 800; Clark 300; Drake 100; Frost 150
    assert rev["t12m"] == Decimal("3850.00")
    assert rev["recurring_t12m"] == Decimal("3350.00")
    assert rev["one_off_t12m"] == Decimal("500.00")
    assert rev["prior_t12m"] == Decimal("3800.00")  # Able 1,800 + Baker 2,000
    assert rev["clients_t12m"] == Decimal("3400.00")
    assert rev["pareto_share"] == pytest.approx(2500 / 3400)  # top 20% of 3 clients = 1 household


def test_share_of_wallet_excludes_zero_and_unknown_net_worth(loaded) -> None:
    _ids, records = loaded
    sow = compute_kpis(records, AS_OF, CONFIG)["share_of_wallet"]
    # Able 120,000 / 500,000 and Drake 41,000 / 200,000; Baker's net worth is 0: left out
    assert sow["book"] == pytest.approx(161000 / 700000)
    assert sow["households_with_net_worth"] == 2


def test_segments_rank_by_revenue_then_aum_with_a_rounded_up(loaded) -> None:
    ids, records = loaded
    assert assign_segments(records, AS_OF, CONFIG) == {ids["able"]: "A", ids["baker"]: "B", ids["drake"]: "C"}
    # a year earlier: Baker 2,000, Able 1,800, then Clark and Frost at 0 ordered by AUM (80,000 > 30,000)
    start = records.period_start
    assert assign_segments(records, start, CONFIG) == {
        ids["baker"]: "A",
        ids["able"]: "B",
        ids["clark"]: "C",
        ids["frost"]: "C",
    }
    seg = compute_kpis(records, AS_OF, CONFIG)["segments"]
    assert seg["A"] == {
        "households": 1,
        "revenue": Decimal("2500.00"),
        "aum": Decimal("120000.00"),
        "recurring": Decimal("2000.00"),
        "value": Decimal("5100.00"),  # 2,000 x 2.3 + 500 x 1.0
    }
    assert (seg["B"]["households"], seg["B"]["revenue"], seg["B"]["aum"]) == (
        1,
        Decimal("800.00"),
        Decimal("150000.00"),
    )
    assert (seg["C"]["households"], seg["C"]["revenue"], seg["C"]["aum"]) == (
        1,
        Decimal("100.00"),
        Decimal("41000.00"),
    )
    mix = segment_mix(records, CONFIG)
    assert {(m.household_id, m.before, m.after) for m in mix.movers} == {
        (ids["able"], "B", "A"),
        (ids["baker"], "A", "B"),
        (ids["clark"], "C", None),
        (ids["frost"], "C", None),
        (ids["drake"], None, "C"),
    }
    # value at the start: A 2,000 x 2.3 = 4,600; B 1,800 x 2.3 = 4,140; C 0
    assert mix.value_change == {"A": Decimal("500.00"), "B": Decimal("-2300.00"), "C": Decimal("230.00")}


def test_book_value_multiple_and_npv_per_the_formula(loaded) -> None:
    _ids, records = loaded
    bv = compute_kpis(records, AS_OF, CONFIG)["book_value"]
    # The run rate is the current clients' recurring fees: able 2,000 + baker 800 + drake 100; the 300 of
    # clark and the 150 of frost, who left, are fees of the past, not revenue a buyer gets.
    assert bv["recurring_run_rate"] == Decimal("2900.00")
    assert bv["multiple"] == Decimal("7170.00")  # 2,900 x 2.3 + 500 x 1.0
    assert (bv["npv_basis"], bv["expense_ratio"]) == ("discounted_revenue", 0.0)
    r0, r, g, d = 2900.0, 0.5, 0.03, 0.15
    expected = sum(r0 * (r * (1 + g)) ** t / (1 + d) ** t for t in range(1, 11))
    assert float(bv["npv"]) == pytest.approx(expected, abs=0.01)
    plus = sum(r0 * ((r + 0.01) * (1 + g)) ** t / (1 + d) ** t for t in range(1, 11)) - expected
    assert float(bv["what_if_retention_plus_1"]) == pytest.approx(plus, abs=0.02)
    assert (bv["retention_used"], bv["retention_source"], bv["npv_households"]) == (0.5, "period", None)


def test_an_expense_ratio_turns_the_npv_into_discounted_cash_flow(loaded) -> None:
    from dataclasses import replace

    _ids, records = loaded
    revenue = compute_kpis(records, AS_OF, CONFIG)["book_value"]
    cash = compute_kpis(records, AS_OF, replace(CONFIG, expense_ratio=0.6))["book_value"]
    assert cash["npv_basis"] == "discounted_cash_flow"
    assert float(cash["npv"]) == pytest.approx(float(revenue["npv"]) * 0.4, abs=0.02)
    assert cash["multiple"] == revenue["multiple"]  # a revenue multiple stays a revenue multiple


def test_per_household_npv_uses_each_households_probability(loaded) -> None:
    from actdesk.domain.analytics.survival import RetentionProbability

    ids, records = loaded
    probs = {
        ids["able"]: RetentionProbability(ids["able"], 0.9),
        ids["baker"]: RetentionProbability(ids["baker"], 0.8),
    }
    bv = compute_kpis(records, AS_OF, CONFIG, probs)["book_value"]

    def npv(r0: float, r: float) -> float:
        return sum(r0 * (r * 1.03) ** t / 1.15**t for t in range(1, 11))

    # recurring T12M: Able 2,000, Baker 800, Drake 100 (no probability given: the base rate 0.96)
    expected = npv(2000, 0.9) + npv(800, 0.8) + npv(100, 0.96)
    assert float(bv["npv_households"]) == pytest.approx(expected, abs=0.03)


def test_best_referral_sources(loaded) -> None:
    ids, records = loaded
    sources = compute_kpis(records, AS_OF, CONFIG)["referral_sources"]
    assert sources == [
        {
            "contact_id": ids["ann"],
            "name": "Ann Able",
            "kind": "client",
            "referred": 2,
            "converted": 1,
            "aum": Decimal("41000.00"),
            "revenue": Decimal("100.00"),
            "center_of_influence": False,
            "label": "Client",
        }
    ]


def test_characteristics_and_relationship_depth(loaded) -> None:
    _ids, records = loaded
    k = compute_kpis(records, AS_OF, CONFIG)
    age = {b["label"]: (b["households"], b["aum"]) for b in k["characteristics"]["age"]}
    # Ann Able 66, Cy Baker 76, Ed Drake 35 on 2026-06-30
    assert age == {
        "Under 40": (1, Decimal("41000.00")),
        "65-74": (1, Decimal("120000.00")),
        "75 and over": (1, Decimal("150000.00")),
    }
    location = {b["label"]: b["households"] for b in k["characteristics"]["location"]}
    assert location == {"Texas": 2, "Ohio": 1}
    worth = {b["label"]: b["households"] for b in k["characteristics"]["net_worth"]}
    assert worth == {"Under $1M": 3}
    depth = k["relationship_depth"]
    assert depth["accounts"] == pytest.approx(4 / 3)  # Able 2, Baker 1, Drake 1
    assert depth["members"] == pytest.approx(4 / 3)


def test_household_table_gives_alert_rules_their_numbers(loaded) -> None:
    ids, records = loaded
    table = household_table(records, AS_OF, CONFIG)
    baker = table.loc[ids["baker"]]
    assert (baker["aum"], baker["aum_12m"]) == (150000.0, 200000.0)
    assert (baker["net_flows_6m"], baker["outflows_6m"]) == (-60000.0, 60000.0)
    assert (baker["revenue_t12m"], baker["revenue_prev_t12m"], baker["segment"]) == (800.0, 2000.0, "B")
    able = table.loc[ids["able"]]
    assert able["share_of_wallet"] == pytest.approx(0.24)
    assert able["share_of_wallet_12m"] == pytest.approx(0.20)
    assert sorted(table.index) == sorted([ids["able"], ids["baker"], ids["drake"]])
