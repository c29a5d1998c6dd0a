"""Issue 20's definitions through ``actdesk kpis --json``: book value on current clients with segments adding up
to the multiple, centers of influence labelled, and asset retention shown the same way everywhere."""

from __future__ import annotations

import json
from datetime import date
from decimal import Decimal

import pytest
from tests import factories as f
from tests.analytics.books import six_households

from actdesk.cli import main
from actdesk.domain.analytics.referrals import referrer_label
from actdesk.storage.tables.book import RelationshipRow


def kpis(db_path, capsys) -> dict:  # type: ignore[no-untyped-def,type-arg]
    assert main(["--db", str(db_path), "kpis", "--as-of", "2026-06-30", "--json"]) == 0
    return json.loads(capsys.readouterr().out)


@pytest.fixture
def ids(book):  # type: ignore[no-untyped-def]
    with book.session() as s:
        ids = six_households(s)
        # Clark, who left in February, paid a one-off planning fee in the period: not revenue a buyer gets.
        f.fee(s, ids["clark"], date(2025, 8, 31), "700.00", recurring=False)
        # Ann Able is a client and also the accountant who sends us people: named a center of influence.
        s.add(
            RelationshipRow(from_contact_id=ids["ann"], to_contact_id=ids["ann"], kind="center_of_influence")
        )
        lawyer = f.contact(s, None, "Lee", "Lawyer", role="other")
        f.referral(s, lawyer, ids["evans"], date(2026, 3, 1))
        ids["lawyer"] = lawyer
    return ids


def test_segment_values_add_up_to_the_book_multiple(ids, db_path, capsys) -> None:  # type: ignore[no-untyped-def]
    k = kpis(db_path, capsys)
    value = k["book_value"]
    segments = sum(Decimal(str(s["value"])) for s in k["segments"].values())
    assert Decimal(str(value["multiple"])) == segments
    # current clients only: Able 2,000 + Baker 800 + Drake 100 recurring, Able's 500 one-off; Clark's
    # 300 recurring and 700 one-off and Frost's 150 are fees of households that left
    assert value["recurring_run_rate"] == 2900.0
    assert value["multiple"] == pytest.approx(2.3 * 2900 + 500)
    assert value["npv_basis"] == "discounted_revenue"


def test_centers_of_influence_are_labelled(ids, db_path, capsys) -> None:  # type: ignore[no-untyped-def]
    sources = {r["contact_id"]: r for r in kpis(db_path, capsys)["referral_sources"]}
    ann, lawyer = sources[ids["ann"]], sources[ids["lawyer"]]
    assert (ann["kind"], ann["center_of_influence"], ann["label"]) == (
        "client",
        True,
        "Center of influence (Client)",
    )
    assert (lawyer["kind"], lawyer["center_of_influence"], lawyer["label"]) == (
        "center_of_influence",
        True,
        "Center of influence",
    )
    assert referrer_label("prospect") == "Prospect"
    assert main(["--db", str(db_path), "kpis", "--as-of", "2026-06-30"]) == 0
    assert "Ann Able (Center of influence (Client))" in capsys.readouterr().out


def test_asset_retention_headline_is_assets_kept_from_departures(ids, db_path, capsys) -> None:  # type: ignore[no-untyped-def]
    r = kpis(db_path, capsys)["retention"]
    # clients on 2025-06-30: Able 100,000, Baker 200,000, Clark 80,000, Frost 30,000; Clark and Frost left
    assert r["assets_kept_rate"] == pytest.approx(1 - 110000 / 410000)
    assert r["asset_rate"] == pytest.approx(1 - 175000 / 410000)  # kept for compatibility, not shown
    # net outflow: 5,000 in, 2,000 + 60,000 + 82,000 + 31,000 out
    assert r["net_outflow_rate"] == pytest.approx((175000 - 5000) / 410000)
    assert main(["--db", str(db_path), "kpis", "--as-of", "2026-06-30"]) == 0
    out = capsys.readouterr().out
    assert "asset retention (assets kept from departures): 73.2%" in out
