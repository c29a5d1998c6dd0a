"""``actdesk kpis`` and ``actdesk probabilities`` through the command line's public face."""

from __future__ import annotations

import json
from datetime import date

import pytest
from tests.analytics.books import six_households

from actdesk.cli import main
from actdesk.cli.cmd_analytics import parse_as_of

KPI_KEYS = {
    "as_of",
    "clients",
    "aum",
    "retention",
    "revenue",
    "share_of_wallet",
    "segments",
    "book_value",
    "referral_sources",
}


@pytest.fixture
def db(book, db_path):
    with book.session() as s:
        ids = six_households(s)
    return str(db_path), ids


def test_kpis_json_has_the_issues_keys_as_numbers(db, capsys: pytest.CaptureFixture[str]) -> None:
    path, ids = db
    assert main(["--db", path, "kpis", "--as-of", "2026-06-30", "--json"]) == 0
    k = json.loads(capsys.readouterr().out)
    assert set(k) >= KPI_KEYS
    assert k["as_of"] == "2026-06-30" and k["clients"] == 3
    assert {"total", "start", "net_flows", "market"} <= set(k["aum"])
    assert k["aum"]["total"] == 311000.0 and k["aum"]["market"] == 31000.0
    assert {"client_rate", "asset_rate"} <= set(k["retention"]) and k["retention"]["client_rate"] == 0.5
    assert {"t12m", "recurring_t12m"} <= set(k["revenue"]) and k["revenue"]["t12m"] == 3850.0
    assert k["share_of_wallet"]["book"] == pytest.approx(0.23)
    assert set(k["segments"]) == {"A", "B", "C"}
    assert all({"households", "revenue", "aum"} <= set(v) for v in k["segments"].values())
    assert {"multiple", "npv"} <= set(k["book_value"]) and k["book_value"]["multiple"] == 7170.0
    assert k["book_value"]["npv_households"] > 0  # the command values each household at its own probability
    source = k["referral_sources"][0]
    assert {"contact_id", "name", "referred", "converted", "aum"} <= set(source)
    assert (source["contact_id"], source["referred"], source["converted"], source["aum"]) == (
        ids["ann"],
        2,
        1,
        41000.0,
    )


def test_kpis_summary_is_readable(db, capsys: pytest.CaptureFixture[str]) -> None:
    path, _ids = db
    assert main(["--db", path, "kpis", "--as-of", "2026-06-30"]) == 0
    out = capsys.readouterr().out
    assert "Client households: 3" in out
    assert "AUM: $311,000" in out
    assert "Client retention: 50.0%" in out
    assert "Frost household" in out and "Ann Able" in out


def test_probabilities_json_lists_every_client(db, capsys: pytest.CaptureFixture[str]) -> None:
    path, ids = db
    assert main(["--db", path, "probabilities", "--as-of", "2026-06-30", "--json"]) == 0
    rows = json.loads(capsys.readouterr().out)
    assert {r["household_id"] for r in rows} == {ids["able"], ids["baker"], ids["drake"]}
    assert all(
        {"household_id", "probability", "factors"} <= set(r) and 0 <= r["probability"] <= 1 for r in rows
    )
    assert all(isinstance(f, str) for r in rows for f in r["factors"])
    assert main(["--db", path, "probabilities", "--as-of", "2026-06-30"]) == 0
    assert "Baker household" in capsys.readouterr().out


@pytest.mark.parametrize("bad", ["2026-13-01", "yesterday", "30/06/2026"])
def test_a_bad_date_is_one_line_and_exit_2(db, bad: str, capsys: pytest.CaptureFixture[str]) -> None:
    path, _ids = db
    assert main(["--db", path, "kpis", "--as-of", bad, "--json"]) == 2
    captured = capsys.readouterr()
    assert captured.out == ""
    assert captured.err.count("\n") == 1 and "YYYY-MM-DD" in captured.err


def test_as_of_defaults_to_the_last_month_end() -> None:
    assert parse_as_of(None, today=date(2026, 7, 14)) == date(2026, 6, 30)
    assert parse_as_of(None, today=date(2026, 7, 31)) == date(2026, 7, 31)
    assert parse_as_of("2026-07-14") == date(2026, 7, 14)


def test_spanish_summary(db, capsys: pytest.CaptureFixture[str]) -> None:
    path, _ids = db
    assert main(["--db", path, "--lang", "es", "kpis", "--as-of", "2026-06-30"]) == 0
    out = capsys.readouterr().out
    assert "Hogares clientes: 3" in out


def test_valuation_settings_come_from_the_analytics_section(
    db, tmp_path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    path, _ids = db
    settings = tmp_path / "settings.json"
    settings.write_text(json.dumps({"analytics": {"recurring_multiple": 3.0, "horizon_years": 5}}))
    monkeypatch.setenv("ACTDESK_SETTINGS", str(settings))
    assert main(["--db", path, "kpis", "--as-of", "2026-06-30", "--json"]) == 0
    value = json.loads(capsys.readouterr().out)["book_value"]
    assert value["multiple"] == 2900 * 3.0 + 500  # current clients' recurring x 3.0 + one-off x 1.0
    assert value["horizon_years"] == 5
    expected = sum(2900 * (0.5 * 1.03) ** t / 1.15**t for t in range(1, 6))
    assert value["npv"] == pytest.approx(expected, abs=0.01)
