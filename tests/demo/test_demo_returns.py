"""Households that come back in the demo book (issue 20): a few former clients return after one to four
years, and the rest of the book is the same, row for row, as the book built without them."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterator
from datetime import date, timedelta
from pathlib import Path

import pytest

from actdesk.cli import main
from actdesk.services.demo.generator import DemoOptions, generate_demo
from actdesk.storage.open import open_book

AS_OF = date(2026, 6, 30)


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """The 150-household demo (seed 3) through the CLI."""
    db = tmp_path_factory.mktemp("returns") / "demo.db"
    argv = ["--db", str(db), "demo", "--households", "150", "--seed", "3", "--as-of", AS_OF.isoformat()]
    assert main([*argv, "--json"]) == 0
    yield db


def _json(capsys: pytest.CaptureFixture[str], argv: list[str]) -> object:
    assert main(argv) == 0
    return json.loads(capsys.readouterr().out)


def _returning(db: Path) -> list[int]:
    with sqlite3.connect(db) as con:
        rows = con.execute(
            "SELECT household_id FROM client_periods GROUP BY household_id HAVING COUNT(*) > 1"
        )
        return [int(r[0]) for r in rows]


def test_a_few_former_clients_come_back_with_both_periods(built: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    db = built
    back = _returning(db)
    with sqlite3.connect(db) as con:
        former = con.execute("SELECT COUNT(*) FROM households WHERE status = 'former_client'").fetchone()[0]
    assert 1 <= len(back) <= 0.3 * (former + len(back))  # a small share of those who left
    hid = back[0]
    shown = _json(capsys, ["--db", str(db), "household", "periods", str(hid), "--json"])
    assert isinstance(shown, dict)
    first, latest = shown["periods"]
    assert first["end"] and first["leaving_reason"] and latest["end"] is None and shown["client"] is True
    start, left, came = (date.fromisoformat(d) for d in (first["start"], first["end"], latest["start"]))
    assert timedelta(days=330) <= came - left <= timedelta(days=4 * 366 + 31)  # away one to four years
    assert shown["tenure_years"] == pytest.approx(
        ((left - start).days + (date.today() - came).days) / 365.25, abs=0.01
    )
    with sqlite3.connect(db) as con:
        q = lambda sql: con.execute(sql, (hid, came.isoformat())).fetchall()  # noqa: E731
        transfers = q(
            "SELECT f.amount_cents FROM flows f JOIN accounts a ON a.id = f.account_id"
            " WHERE a.household_id = ? AND f.kind = 'transfer_in' AND f.date = ?"
        )
        assert transfers and all(amount > 0 for (amount,) in transfers)
        after = "WHERE household_id = ? AND {} > ?"
        assert q(f"SELECT 1 FROM activities {after.format('start')}")  # served again
        assert q(f"SELECT 1 FROM fees {after.format('date')}")
        assert q(f"SELECT body FROM notes {after.format('created_at')}")[0][0].startswith("Came back")
    # The KPIs count it as a client in its first period, and its first departure in that year.
    inside = left - timedelta(days=200)
    kpis = _json(
        capsys, ["--db", str(db), "kpis", "--as-of", (left + timedelta(days=100)).isoformat(), "--json"]
    )
    assert isinstance(kpis, dict)
    assert hid in {d["household_id"] for d in kpis["retention"]["departures"]}
    with sqlite3.connect(db) as con:
        clients = con.execute(
            'SELECT COUNT(DISTINCT household_id) FROM client_periods WHERE start <= ? AND ("end" IS NULL OR "end" > ?)',
            (inside.isoformat(), inside.isoformat()),
        ).fetchone()[0]
    then = _json(capsys, ["--db", str(db), "kpis", "--as-of", inside.isoformat(), "--json"])
    assert isinstance(then, dict) and then["clients"] == clients


ROWS = {
    "households": "SELECT *, id AS owner FROM households",
    "contacts": "SELECT *, household_id AS owner FROM contacts",
    "accounts": "SELECT *, household_id AS owner FROM accounts",
    "balances": "SELECT b.*, a.household_id AS owner FROM balances b JOIN accounts a ON a.id = b.account_id",
    "flows": "SELECT f.*, a.household_id AS owner FROM flows f JOIN accounts a ON a.id = f.account_id",
    "fees": "SELECT *, household_id AS owner FROM fees",
    "activities": "SELECT *, household_id AS owner FROM activities",
    "notes": "SELECT *, household_id AS owner FROM notes",
    "life_events": "SELECT e.*, c.household_id AS owner FROM life_events e JOIN contacts c ON c.id = e.contact_id",
    "referrals": "SELECT *, NULL AS owner FROM referrals",
    "opportunities": "SELECT *, household_id AS owner FROM opportunities",
    "household_tags": "SELECT *, household_id AS owner FROM household_tags",
    "client_periods": 'SELECT household_id, start, "end", leaving_reason, household_id AS owner FROM client_periods',
}


def _rows(db: Path, sql: str) -> set[tuple[object, ...]]:
    with sqlite3.connect(db) as con:
        return set(con.execute(sql).fetchall())


def test_the_rest_of_the_book_is_the_same_without_returns(tmp_path: Path) -> None:
    """Every other draw is the same: the book without returns is the book with them, less the returning
    households' own rows (their periods, accounts, balances, flows, fees, activities and notes)."""
    paths = {}
    for returns in (True, False):
        paths[returns] = tmp_path / f"{returns}.db"
        book = open_book(paths[returns])
        try:
            summary = generate_demo(
                book,
                DemoOptions(
                    households=150, seed=3, as_of=AS_OF, activities_per_household=10, returns=returns
                ),
            )
        finally:
            book.dispose()
        if returns:
            back = set(summary.returning)
    assert back and back == set(_returning(paths[True]))
    for table, sql in ROWS.items():
        with_returns, without = _rows(paths[True], sql), _rows(paths[False], sql)
        assert len(without) > 0, table
        kept = {r for r in without if r[-1] not in back}
        assert kept == {r for r in with_returns if r[-1] not in back}, table  # the rest, row for row
        # the returning households' rows from before they came back are there too (the book adds, never moves)
        assert {
            r for r in without if r[-1] in back and table not in ("households", "client_periods")
        } <= with_returns, table
