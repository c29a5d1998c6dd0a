"""The KPIs on plain records built by hand (issue 21): no database, no pandas, the edge cases one by one."""

from __future__ import annotations

import subprocess
import sys
import textwrap
from datetime import date
from decimal import Decimal

import pytest

from actdesk.domain.analytics.config import AnalyticsConfig
from actdesk.domain.analytics.dates import key_dates
from actdesk.domain.analytics.kpis import compute_kpis
from actdesk.domain.analytics.periods import ClientPeriod
from actdesk.domain.analytics.records import BookRecords, HouseholdRecord, MemberRecord, ReferralRecord
from actdesk.domain.analytics.retention import client_retention
from actdesk.domain.analytics.revenue import stack_ranking
from actdesk.domain.analytics.segments import assign_segments

AS_OF = date(2026, 6, 30)  # snapshots: 2026-06-30, 2025-12-31, 2025-06-30 (period start), 2024-06-30
CONFIG = AnalyticsConfig()


def records(households: dict[int, HouseholdRecord], **parts: object) -> BookRecords:
    return BookRecords(
        as_of=AS_OF,
        snapshots=key_dates(AS_OF),
        households=households,
        members=parts.get("members", {}),  # type: ignore[arg-type]
        referrers=parts.get("referrers", {}),  # type: ignore[arg-type]
        accounts=parts.get("accounts", {}),  # type: ignore[arg-type]
        aum=parts.get("aum", {}),  # type: ignore[arg-type]
        flows=parts.get("flows", {}),  # type: ignore[arg-type]
        fees=parts.get("fees", {}),  # type: ignore[arg-type]
        referrals=parts.get("referrals", ()),  # type: ignore[arg-type]
    )


def client(name: str, since: date, until: date | None = None, reason: str | None = None) -> HouseholdRecord:
    return HouseholdRecord(name, "client" if until is None else "former_client", since, until, reason)


def test_no_clients_at_the_period_start_leaves_the_rates_undefined() -> None:
    book = records(
        {1: client("New", date(2026, 1, 15))},
        aum={1: (50_000_00, 0, 0)},
        fees={1: (1_000_00, 0, 0, 0)},
    )
    k = compute_kpis(book, AS_OF, CONFIG)
    r = k["retention"]
    assert (r["clients_at_start"], r["retained"], r["client_rate"]) == (0, 0, None)
    assert r["asset_rate"] is None and r["assets_kept_rate"] is None and r["net_outflow_rate"] is None
    assert k["book_value"]["retention_source"] == "base_rate"
    assert k["book_value"]["retention_used"] == CONFIG.base_retention_rate
    assert k["aum"]["start"] == Decimal("0.00") and k["aum"]["market"] == Decimal("50000.00")
    assert k["revenue"]["growth"] is None and k["clients"] == 1


def test_a_household_that_left_and_came_back_is_retained_and_its_tenure_leaves_the_gap_out() -> None:
    back = HouseholdRecord(
        "Back",
        "client",
        date(2026, 2, 1),
        None,
        None,
        (
            ClientPeriod(1, date(2016, 1, 1), date(2025, 9, 30), "fees"),
            ClientPeriod(1, date(2026, 2, 1), None),
        ),
    )
    book = records(
        {
            1: back,
            2: client("Gone", date(2018, 1, 1), date(2026, 3, 31), "moved"),
            3: client("Also gone", date(2019, 1, 1), date(2026, 3, 31), "retired"),
            4: client("Stays", date(2020, 6, 30)),
        },
        aum={1: (100_00, 200_00, 0), 2: (0, 300_00, 0), 3: (0, 500_00, 0), 4: (10_00, 0, 0)},
        flows={1: (0, 0, 50_00, -400_00), 2: (0, -300_00, 0, 0)},
    )
    k = compute_kpis(book, AS_OF, CONFIG)
    r = k["retention"]
    assert (r["clients_at_start"], r["retained"]) == (4, 2)  # Back was a client on both dates
    assert r["client_rate"] == 0.5
    # departures on the same day come by household id
    assert [(d["household_id"], d["reason"]) for d in r["departures"]] == [(2, "moved"), (3, "retired")]
    assert r["outflows"] == Decimal("700.00") and r["asset_rate"] == pytest.approx(1 - 700 / 1000)
    assert r["assets_kept_rate"] == pytest.approx(1 - 800 / 1000)
    assert k["aum"]["net_flows"] == Decimal("-650.00")  # every client of the period, Back's gap or not
    tenure = ((date(2025, 9, 30) - date(2016, 1, 1)).days + (AS_OF - date(2026, 2, 1)).days) / 365.25
    expected = (tenure + (AS_OF - date(2020, 6, 30)).days / 365.25) / 2
    assert k["relationship_depth"]["tenure_years"] == pytest.approx(expected, rel=1e-12)
    n, kept, rate = client_retention(book.households, date(2025, 10, 31), AS_OF)
    assert (n, kept, rate) == (3, 1, pytest.approx(1 / 3))  # Back was away on the earlier date


def test_zero_fees_give_no_pareto_share_no_growth_and_zero_values() -> None:
    book = records({1: client("A", date(2020, 1, 1)), 2: client("B", date(2021, 1, 1))})
    k = compute_kpis(book, AS_OF, CONFIG)
    assert k["revenue"]["t12m"] == Decimal("0.00") and k["revenue"]["pareto_share"] is None
    assert k["revenue"]["growth"] is None
    assert {s: v["value"] for s, v in k["segments"].items()} == {s: Decimal("0.00") for s in "ABC"}
    assert k["book_value"]["multiple"] == Decimal("0.00") and k["book_value"]["npv"] == Decimal("0.00")


def test_no_net_worth_known_leaves_share_of_wallet_undefined() -> None:
    book = records(
        {1: client("A", date(2020, 1, 1)), 2: client("B", date(2021, 1, 1))},
        aum={1: (100_00, 100_00, 0), 2: (100_00, 100_00, 0)},
        members={1: MemberRecord(2, None, None), 2: MemberRecord(1, None, 0)},  # unknown; zero means nothing
    )
    wallet = compute_kpis(book, AS_OF, CONFIG)["share_of_wallet"]
    assert wallet["book"] is None and wallet["book_start"] is None and wallet["median"] is None
    assert wallet["households_with_net_worth"] == 0
    assert wallet["investable_book"] is None and wallet["households_with_held_away"] == 0


def test_ties_in_the_stack_ranking_go_to_assets_then_to_the_lower_id() -> None:
    households = {h: client(f"H{h}", date(2020, 1, 1)) for h in (5, 3, 8, 1)}
    book = records(
        dict(sorted(households.items())),
        aum={1: (100_00, 0, 0), 3: (200_00, 0, 0), 5: (200_00, 0, 0), 8: (900_00, 0, 0)},
        fees={h: (1_000_00, 0, 0, 0) for h in (1, 3, 5)} | {8: (999_99, 0, 0, 0)},
    )
    assert [r.household_id for r in stack_ranking(book)] == [3, 5, 1, 8]
    assert assign_segments(book, AS_OF, CONFIG) == {3: "A", 5: "B", 1: "C", 8: "C"}
    k = compute_kpis(book, AS_OF, CONFIG)
    assert [r["household_id"] for r in k["stack_ranking"]] == [3, 5, 1, 8]
    assert k["revenue"]["t12m"] == Decimal("3999.99")  # cents added as integers: exact
    assert k["revenue"]["pareto_share"] == pytest.approx(1_000_00 / 3_999_99)


def test_a_referral_converts_at_the_households_first_period() -> None:
    back = HouseholdRecord(
        "Back", "client", date(2026, 2, 1), None, None,
        (ClientPeriod(2, date(2016, 1, 1), date(2025, 9, 30)), ClientPeriod(2, date(2026, 2, 1), None)),
    )  # fmt: skip
    book = records(
        {1: client("Referrer", date(2010, 1, 1)), 2: back},
        aum={2: (700_00, 0, 0)},
        referrals=(ReferralRecord(99, 2, date(2015, 6, 1)), ReferralRecord(99, 2, date(2015, 7, 1))),
    )
    (source,) = compute_kpis(book, AS_OF, CONFIG)["referral_sources"]
    assert (source["referred"], source["converted"], source["aum"]) == (1, 1, Decimal("700.00"))
    assert source["kind"] == "center_of_influence" and source["center_of_influence"]  # not in the book


def test_the_kpis_path_imports_neither_pandas_nor_numpy(book, tmp_path) -> None:  # type: ignore[no-untyped-def]
    """In a fresh process: loading the records and computing every KPI leaves pandas and numpy unloaded
    (they cost the command line most of its start-up)."""
    from tests.analytics.books import six_households

    with book.session() as s:
        six_households(s)
    path = book.engine.url.database
    book.dispose()
    script = textwrap.dedent(
        f"""
        import sys
        from datetime import date
        from actdesk.domain.analytics.config import AnalyticsConfig
        from actdesk.domain.analytics.kpis import compute_kpis
        from actdesk.storage.book_records import load_book_records
        from actdesk.storage.open import open_book

        book = open_book({path!r}, read_only=True)
        with book.reader() as s:
            kpis = compute_kpis(load_book_records(s, date(2026, 6, 30)), date(2026, 6, 30), AnalyticsConfig())
        assert kpis["clients"] > 0
        print(sorted(m for m in ("pandas", "numpy") if m in sys.modules))
        """
    )
    out = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"
