"""The demo book: deterministic, believable, and calibrated to the published figures (checked with SQL/pandas)."""

from __future__ import annotations

import json
import math
import sqlite3
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pandas as pd
import pytest

from actdesk.cli import main
from actdesk.services.demo.fees import annual_fee

AS_OF = date(2026, 6, 30)


def build(db: Path, *extra: str, households: int = 60, seed: int = 11) -> int:
    return main(
        [
            "--db",
            str(db),
            "demo",
            "--households",
            str(households),
            "--seed",
            str(seed),
            "--as-of",
            AS_OF.isoformat(),
            *extra,
        ]
    )


@pytest.fixture(scope="module")
def demo_db(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    db = tmp_path_factory.mktemp("demo") / "demo.db"
    assert build(db, "--json") == 0
    yield db


def frame(db: Path, sql: str, dates: tuple[str, ...] = ()) -> pd.DataFrame:
    with sqlite3.connect(db) as con:
        return pd.read_sql(sql, con, parse_dates=list(dates))


def clients_at(households: pd.DataFrame, day: pd.Timestamp) -> set[int]:
    since, until = households.client_since, households.client_until
    return set(households[(since <= day) & (until.isna() | (until > day))].id)


def test_yearly_client_retention_is_95_to_97_percent(demo_db: Path) -> None:
    # every client period: a household that came back was a client in its earlier period too
    periods = frame(
        demo_db,
        'SELECT household_id AS id, start AS client_since, "end" AS client_until FROM client_periods',
        ("client_since", "client_until"),
    )
    end = pd.Timestamp(AS_OF)
    started = kept = 0
    for year in range(10):
        period_end = end - pd.DateOffset(years=year)
        start = clients_at(periods, period_end - pd.DateOffset(years=1))
        started += len(start)
        kept += len(start & clients_at(periods, period_end))
    assert 0.95 <= kept / started <= 0.97
    households = frame(demo_db, "SELECT * FROM households", ("client_since", "client_until"))
    former = households[households.status == "former_client"]
    assert len(former) > 0 and former.leaving_reason.str.len().min() > 5 and former.client_until.notna().all()


def test_share_of_wallet_is_mostly_30_to_70_percent(demo_db: Path) -> None:
    aum = frame(
        demo_db,
        """SELECT a.household_id, SUM(b.balance_cents) / 100.0 AS aum FROM balances b
           JOIN accounts a ON a.id = b.account_id
           WHERE a.managed = 1 AND b.date = (SELECT MAX(date) FROM balances WHERE date <= :d)
           GROUP BY a.household_id""".replace(":d", f"'{AS_OF.isoformat()}'"),
    ).set_index("household_id")["aum"]
    worth = frame(
        demo_db, "SELECT household_id, SUM(net_worth_cents) / 100.0 AS nw FROM contacts GROUP BY 1"
    ).set_index("household_id")["nw"]
    clients = frame(demo_db, "SELECT id FROM households WHERE status = 'client'")["id"]
    share = (aum.reindex(clients) / worth.reindex(clients)).dropna()
    assert len(share) == len(clients)
    assert ((share >= 0.3) & (share <= 0.7)).mean() >= 0.6
    assert 0.35 <= share.median() <= 0.65
    assert share.max() < 1.0


def test_top_fifth_of_households_bring_60_to_80_percent_of_fees(demo_db: Path) -> None:
    fees = frame(
        demo_db,
        f"""SELECT h.id, COALESCE(SUM(f.amount_cents), 0) AS revenue FROM households h
            LEFT JOIN fees f ON f.household_id = h.id AND f.date > '{(AS_OF.replace(year=AS_OF.year - 1)).isoformat()}'
                 AND f.date <= '{AS_OF.isoformat()}'
            WHERE h.status = 'client' GROUP BY h.id""",
    )
    revenue = fees.revenue.sort_values(ascending=False)
    top = math.ceil(len(revenue) * 0.2)
    assert 0.6 <= revenue.iloc[:top].sum() / revenue.sum() <= 0.8


def test_quarterly_fees_follow_the_tiered_schedule(demo_db: Path) -> None:
    rows = frame(
        demo_db,
        """SELECT f.household_id, f.amount_cents, SUM(b.balance_cents) AS aum_cents FROM fees f
           JOIN accounts a ON a.household_id = f.household_id AND a.managed = 1
           JOIN balances b ON b.account_id = a.id AND b.date = f.date
           WHERE f.recurring = 1 GROUP BY f.id""",
    )
    assert len(rows) > 100
    expected = (annual_fee(rows.aum_cents.to_numpy() / 100.0) / 4 * 100).round()
    assert (abs(expected - rows.amount_cents.to_numpy()) <= 1).all()
    one_off = frame(demo_db, "SELECT amount_cents FROM fees WHERE recurring = 0")
    assert len(one_off) > 0 and set(one_off.amount_cents) <= {150_000, 250_000, 350_000, 500_000}


def test_balances_are_month_ends_driven_by_market_and_flows(demo_db: Path) -> None:
    balances = frame(demo_db, "SELECT account_id, date, balance_cents FROM balances", ("date",))
    assert balances.date.dt.is_month_end.all()
    assert balances.date.max() == pd.Timestamp(AS_OF)
    assert balances.date.min() == pd.Timestamp(AS_OF) - pd.DateOffset(months=120)
    # Accounts move together with the shared market: the median monthly change is correlated across accounts.
    pivot = balances.pivot(index="date", columns="account_id", values="balance_cents").pct_change(
        fill_method=None
    )
    book = pivot.median(axis=1)
    assert book.std() > 0.01
    flows = frame(demo_db, "SELECT amount_cents, kind FROM flows")
    assert (flows[flows.kind.isin(["deposit", "transfer_in"])].amount_cents > 0).all()
    assert (flows[flows.kind.isin(["withdrawal", "transfer_out"])].amount_cents < 0).all()


def test_people_roles_and_centers_of_influence(demo_db: Path) -> None:
    contacts = frame(demo_db, "SELECT * FROM contacts")
    sizes = contacts.groupby("household_id").size()
    assert sizes.min() >= 1 and sizes.max() <= 4 and sizes.mean() > 1.8
    assert set(contacts.role) >= {"primary", "spouse", "child", "other"}
    assert contacts.email.isna().any() and contacts.email.notna().mean() > 0.6
    assert contacts.phone.isna().any() and contacts.do_not_email.any()
    assert contacts.occupation.notna().mean() > 0.5 and contacts.city.notna().all()
    coi = frame(
        demo_db,
        """SELECT c.id, c.occupation, h.name FROM contacts c JOIN households h ON h.id = c.household_id
           WHERE c.role = 'other'""",
    )
    assert len(coi) >= 1 and coi.occupation.str.contains("accountant|attorney", case=False).all()
    links = frame(demo_db, "SELECT kind, to_contact_id FROM contact_relationships")
    assert {"spouse", "parent", "referred_by"} <= set(links.kind)
    referrals = frame(demo_db, "SELECT referrer_contact_id, outcome FROM referrals")
    assert len(referrals) > 3 and referrals.outcome.notna().all()
    if "center_of_influence" in set(links.kind):
        assert set(links[links.kind == "center_of_influence"].to_contact_id) <= set(coi.id)


def test_activities_span_past_overdue_and_future(demo_db: Path) -> None:
    acts = frame(demo_db, "SELECT kind, start, completed_at, due_date FROM activities")
    acts["start"] = pd.to_datetime(acts.start, utc=True)
    now = pd.Timestamp(AS_OF, tz="UTC") + pd.Timedelta(hours=18)
    assert set(acts.kind) == {"call", "meeting", "review", "task", "email", "event"}
    future = acts[acts.start > now]
    overdue = acts[(acts.start < now) & acts.completed_at.isna()]
    assert len(future) > 0 and future.completed_at.isna().all()
    assert 0 < len(overdue) < 0.15 * len(acts)
    assert acts[acts.kind == "task"].due_date.notna().all()
    assert 20 <= len(acts) / 60 <= 32  # about the default 30 per household


def test_other_tables_are_filled(demo_db: Path) -> None:
    for table, minimum in (("life_events", 10), ("opportunities", 5), ("notes", 10), ("household_tags", 5)):
        assert frame(demo_db, f"SELECT COUNT(*) AS n FROM {table}").n[0] >= minimum, table
    stages = set(frame(demo_db, "SELECT stage FROM opportunities").stage)
    assert len(stages) >= 3
    statuses = set(frame(demo_db, "SELECT status FROM households").status)
    assert statuses == {"client", "former_client", "prospect"}


def test_same_seed_same_book_other_seed_other_book(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    for name, seed in (("a", 4), ("b", 4), ("c", 5)):
        assert build(tmp_path / f"{name}.db", households=20, seed=seed) == 0
        assert main(["--db", str(tmp_path / f"{name}.db"), "export-book", str(tmp_path / name)]) == 0
    capsys.readouterr()
    read = lambda name: {p.name: p.read_bytes() for p in sorted((tmp_path / name).glob("*.csv"))}  # noqa: E731
    assert read("a") == read("b")
    assert read("a")["contacts.csv"] != read("c")["contacts.csv"]


def test_spanish_locale_and_activity_scaling(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    db = tmp_path / "es.db"
    assert build(db, "--locale", "es_ES", "--activities-per-household", "50", "--json", households=24) == 0
    summary = json.loads(capsys.readouterr().out)
    assert 0.85 * 50 * 24 <= summary["rows"]["activities"] <= 1.1 * 50 * 24
    contacts = frame(db, "SELECT last_name, country, phone FROM contacts WHERE role = 'primary'")
    assert (contacts.country == "ES").all()
    assert contacts.last_name.str.contains(" ").mean() > 0.9  # two surnames
    subjects = set(frame(db, "SELECT subject FROM activities").subject)
    assert "Revisión semestral de la cartera" in subjects


def test_non_empty_book_needs_replace(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    db = tmp_path / "book.db"
    assert build(db, households=12, seed=1) == 0
    before = frame(db, "SELECT COUNT(*) AS n FROM contacts").n[0]
    capsys.readouterr()
    assert build(db, households=15, seed=2) == 2
    assert "--replace" in capsys.readouterr().err
    assert frame(db, "SELECT COUNT(*) AS n FROM contacts").n[0] == before
    assert build(db, "--replace", "--json", households=15, seed=2) == 0
    summary = json.loads(capsys.readouterr().out)
    assert summary["replaced"]["households"] == 12 and summary["replaced"]["contacts"] == before
    assert frame(db, "SELECT COUNT(*) AS n FROM households").n[0] == 15


def test_bad_options_are_refused(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--db", str(tmp_path / "x.db"), "demo", "--households", "0"]) == 2
    assert main(["--db", str(tmp_path / "x.db"), "demo", "--as-of", "June"]) == 2
    assert main(["--db", str(tmp_path / "x.db"), "demo", "--locale", "fr_FR"]) == 2
    err = capsys.readouterr().err
    assert "--households" in err and "--as-of" in err and "fr_FR" in err
