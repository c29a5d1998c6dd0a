"""Leaving and returning (issue 20): client periods in storage, the CLI, the KPIs, the book format and the
retention model's history."""

from __future__ import annotations

import json
import sqlite3
from datetime import date
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from tests import factories as f

from actdesk.cli import main
from actdesk.domain.analytics.history import HouseholdHistory, client_matrices, earlier_tenure
from actdesk.domain.analytics.landmarks import FeatureBuilder
from actdesk.domain.analytics.periods import ClientPeriod, client_on, tenure_days
from actdesk.domain.analytics.records import HouseholdRecord
from actdesk.storage import migrate
from actdesk.storage.open import open_book
from actdesk.storage.repositories.client_periods import client_periods
from actdesk.storage.retention_history import client_periods as model_periods
from actdesk.storage.retention_history import load_history


def returning_book(s) -> dict[str, int]:
    """Long: a client from 2015, left on 2024-03-31, back on 2025-02-01. Steady: a client since 2020."""
    long, _lou = f.long_former_client(s)
    a = f.account(s, long, "ira")
    for day, amount in (
        (date(2023, 12, 31), "100000"),
        (date(2024, 3, 31), "0"),
        (date(2025, 6, 30), "50000"),
    ):
        f.balance(s, a, day, amount)
    steady = f.household(s, "Steady household", since=date(2020, 1, 1))
    f.contact(s, steady, "Sam", "Steady")
    b = f.account(s, steady, "ira")
    for day in (date(2023, 12, 31), date(2024, 12, 31), date(2025, 6, 30)):
        f.balance(s, b, day, "200000")
    return {"long": long, "steady": steady}


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, dict]:
    code = main(list(argv))
    out = capsys.readouterr().out
    return code, (json.loads(out) if out.strip().startswith("{") else {})


@pytest.fixture
def returned(book, db_path: Path, capsys: pytest.CaptureFixture[str]) -> tuple[str, dict[str, int]]:
    with book.session() as s:
        ids = returning_book(s)
    path = str(db_path)
    code, out = run(
        capsys, "--db", path, "household", "return", str(ids["long"]), "--on", "2025-02-01", "--json"
    )
    assert code == 0 and out["client"] is True
    return path, ids


# ---- domain ---------------------------------------------------------------------------------------------


def test_tenure_is_the_sum_of_the_periods() -> None:
    periods = [ClientPeriod(1, date(2015, 1, 1), date(2024, 3, 31)), ClientPeriod(1, date(2025, 2, 1), None)]
    day = date(2025, 6, 30)
    assert tenure_days(periods, day) == (date(2024, 3, 31) - date(2015, 1, 1)).days + 149
    assert tenure_days(periods, date(2024, 12, 31)) == (date(2024, 3, 31) - date(2015, 1, 1)).days
    assert client_on(periods, date(2024, 6, 30)) is False
    assert client_on(periods, date(2024, 3, 31)) is False  # the day it left is no longer a client day
    assert client_on(periods, date(2023, 6, 30)) and client_on(periods, day)


def test_client_on_and_tenure_read_every_period() -> None:
    """The KPIs' records: a household that left and came back is a client inside either period, and its
    tenure is the two periods added up; one that never left reads its own columns."""
    periods = (
        ClientPeriod(1, date(2015, 1, 1), date(2024, 3, 31), "fees"),
        ClientPeriod(1, date(2025, 2, 1), None),
    )
    back = HouseholdRecord("Back", "client", date(2025, 2, 1), None, None, periods)
    alone = HouseholdRecord("Back", "client", date(2025, 2, 1), None, None)  # the columns alone
    stayed = HouseholdRecord("Stayed", "client", date(2020, 1, 1), None, None)
    assert [r.client_on(date(2023, 6, 30)) for r in (alone, back, stayed)] == [False, True, True]
    assert [r.client_on(date(2024, 6, 30)) for r in (back, stayed)] == [False, True]
    assert back.client_on(date(2024, 3, 30)) and not back.client_on(date(2024, 3, 31))
    assert back.period_on(date(2024, 6, 30)) == (date(2015, 1, 1), date(2024, 3, 31), "fees")
    assert back.first_since() == date(2015, 1, 1) and stayed.first_since() == date(2020, 1, 1)
    assert back.tenure_days(date(2025, 6, 30)) == (date(2024, 3, 31) - date(2015, 1, 1)).days + 149
    assert stayed.tenure_days(date(2025, 6, 30)) == (date(2025, 6, 30) - date(2020, 1, 1)).days
    assert HouseholdRecord("Prospect", "prospect", None, None, None).tenure_days(date(2025, 6, 30)) is None


def test_the_models_client_matrix_has_the_gap() -> None:
    months = [date(2024, m + 1, 1) + pd.offsets.MonthEnd(0) for m in range(12)]
    months = [m.date() for m in months] + [date(2025, 1, 31), date(2025, 2, 28), date(2025, 3, 31)]
    periods = [
        ClientPeriod(7, date(2015, 1, 1), date(2024, 3, 31), "fees"),
        ClientPeriod(7, date(2025, 2, 1), None),
    ]
    client, left, _start = client_matrices([7], months, periods)
    assert client[0].astype(int).tolist() == [1, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 1]
    assert np.flatnonzero(left[0]).tolist() == [2]  # left during March 2024, once


def _two_household_history(months: list[date], periods: list[ClientPeriod]) -> HouseholdHistory:
    ids = [7, 8]
    client, left, start = client_matrices(ids, months, periods)
    zeros = np.zeros(client.shape)
    managed = np.where(client, 100_000.0, 0.0)
    return HouseholdHistory(
        months,
        np.array(ids),
        client,
        left,
        start,
        managed,
        *(zeros.copy() for _ in range(9)),
        np.array([1960.0, 1960.0]),
        earlier_months=earlier_tenure(ids, months, periods),
    )


def test_the_models_tenure_adds_the_periods_and_flags_a_return() -> None:
    """A household back since February after nine years and three months as a client is not a new client:
    the model sees the periods added up and that it came back; a client since February only is new. (The
    current period counts in month-ends from the month it began, as the model always has: one in March.)"""
    months = [(pd.Timestamp(2023, 1, 31) + pd.offsets.MonthEnd(k)).date() for k in range(27)]
    periods = [
        ClientPeriod(7, date(2015, 1, 1), date(2024, 3, 31), "fees"),
        ClientPeriod(7, date(2025, 2, 1), None),
        ClientPeriod(8, date(2025, 2, 1), None),
    ]
    history = _two_household_history(months, periods)
    t = history.index_of(date(2025, 3, 31))
    now = FeatureBuilder(history).at(t)
    back, new = (int(np.flatnonzero(now.rows == i)[0]) for i in (0, 1))
    first = (date(2024, 3, 31) - date(2015, 1, 1)).days / 365.25
    assert np.expm1(now.column("tenure_years")[back]) == pytest.approx(first + 1 / 12, abs=1e-4)
    assert now.column("returned")[back] == 1 and now.column("new_client")[back] == 0
    assert np.expm1(now.column("tenure_years")[new]) == pytest.approx(1 / 12, abs=1e-4)
    assert now.column("returned")[new] == 0 and now.column("new_client")[new] == 1
    # before leaving, the same household was one period long and had not come back
    before = FeatureBuilder(history).at(history.index_of(date(2024, 1, 31)))
    row = int(np.flatnonzero(before.rows == 0)[0])
    assert before.column("returned")[row] == 0
    assert np.expm1(before.column("tenure_years")[row]) == pytest.approx(9.0, abs=1e-4)


def test_the_models_history_from_the_book_knows_the_earlier_period(returned) -> None:
    path, ids = returned
    book = open_book(Path(path))
    try:
        with book.session() as s:
            history = load_history(s, date(2025, 6, 30))
    finally:
        book.dispose()
    now = FeatureBuilder(history).at(history.index_of(date(2025, 6, 30)))
    by_id = {int(history.ids[r]): i for i, r in enumerate(now.rows)}
    long, steady = by_id[ids["long"]], by_id[ids["steady"]]
    assert now.column("returned")[long] == 1 and now.column("returned")[steady] == 0
    first = (date(2024, 3, 31) - date(2015, 1, 1)).days / 365.25
    assert np.expm1(now.column("tenure_years")[long]) == pytest.approx(first + 4 / 12, abs=1e-4)
    assert now.column("new_client")[long] == 0


# ---- storage and migration ------------------------------------------------------------------------------


def test_existing_books_upgrade_with_one_period_each(db_path: Path) -> None:
    book = open_book(db_path, migrate=False)
    from alembic import command

    with book.engine.begin() as conn:
        config = migrate.alembic_config()
        config.attributes["connection"] = conn
        command.upgrade(config, "0012_mail_inbox")
    book.dispose()
    with sqlite3.connect(db_path) as conn:
        conn.executemany(
            "INSERT INTO households (id, name, status, client_since, client_until, leaving_reason, version, "
            "created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, 1, '2026-01-01', '2026-01-01')",
            [
                (1, "A", "client", "2016-04-01", None, None),
                (2, "B", "former_client", "2010-01-01", "2023-09-30", "robo-advisor"),
                (3, "C", "prospect", None, None, None),
            ],
        )
        conn.execute(  # a client the contacts import made without a date, before it set one
            "INSERT INTO households (id, name, status, version, created_at, updated_at) VALUES "
            "(4, 'D', 'client', 1, '2026-03-05T10:00:00.123456+00:00', '2026-03-05T10:00:00.123456+00:00')"
        )
    book = open_book(db_path)
    with book.reader() as s:
        periods = client_periods(s)
        table = s.execute(
            __import__("sqlalchemy").text(
                'SELECT household_id, start, "end", leaving_reason FROM client_periods ORDER BY household_id'
            )
        ).all()
    book.dispose()
    assert periods == [
        ClientPeriod(1, date(2016, 4, 1), None, None),
        ClientPeriod(2, date(2010, 1, 1), date(2023, 9, 30), "robo-advisor"),
        ClientPeriod(4, date(2026, 3, 5), None, None),  # a client from the day it entered the book
    ]
    assert [tuple(r) for r in table][:2] == [
        (1, "2016-04-01", None, None),
        (2, "2010-01-01", "2023-09-30", "robo-advisor"),
    ]


# ---- CLI ------------------------------------------------------------------------------------------------


def test_a_return_keeps_the_earlier_period(returned, capsys: pytest.CaptureFixture[str]) -> None:
    path, ids = returned
    code, out = run(capsys, "--db", path, "household", "periods", str(ids["long"]), "--json")
    assert code == 0
    assert out["periods"] == [
        {"start": "2015-01-01", "end": "2024-03-31", "leaving_reason": "fees"},
        {"start": "2025-02-01", "end": None, "leaving_reason": None},
    ]
    assert out["client"] is True
    # the household's own dates are its latest period
    book = open_book(Path(path))
    with book.reader() as s:
        assert model_periods(s, date(2024, 12, 31)) == [
            ClientPeriod(ids["long"], date(2015, 1, 1), date(2024, 3, 31), "fees"),
            ClientPeriod(ids["steady"], date(2020, 1, 1), None, None),
        ]
        # as the book knew it then: the return is after that date, and a period open then reads open
        assert model_periods(s, date(2023, 12, 31))[0] == ClientPeriod(
            ids["long"], date(2015, 1, 1), None, None
        )
    book.dispose()


def test_leave_then_return_through_the_cli(book, db_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    with book.session() as s:
        hid = f.household(s, "Jones household", since=date(2018, 6, 1))
    path = str(db_path)
    code, out = run(
        capsys,
        "--db",
        path,
        "household",
        "leave",
        str(hid),
        "--on",
        "2022-01-31",
        "--reason",
        "moved",
        "--json",
    )
    assert code == 0 and out["client"] is False and out["periods"][-1]["end"] == "2022-01-31"
    code, out = run(capsys, "--db", path, "household", "return", str(hid), "--on", "2023-05-01", "--json")
    assert code == 0 and [p["start"] for p in out["periods"]] == ["2018-06-01", "2023-05-01"]
    assert out["periods"][0]["leaving_reason"] == "moved"
    # a client cannot come back, and a return cannot predate the departure
    assert main(["--db", path, "household", "return", str(hid), "--on", "2024-01-01"]) == 2
    assert "former client" in capsys.readouterr().err
    assert main(["--db", path, "household", "leave", str(hid), "--on", "2023-01-01", "--reason", "x"]) == 2
    capsys.readouterr()
    code, out = run(capsys, "--db", path, "household", "periods", "999", "--json")
    assert code == 2


def test_kpis_see_both_periods(returned, capsys: pytest.CaptureFixture[str]) -> None:
    path, ids = returned
    # Period (2023-12-31, 2024-12-31]: Long was a client at the start and left: a departure, although it
    # is a client again today (its latest period alone would hide it).
    code, k = run(capsys, "--db", path, "kpis", "--as-of", "2024-12-31", "--json")
    assert code == 0
    assert k["clients"] == 1 and k["retention"]["clients_at_start"] == 2
    assert [(d["household_id"], d["left_on"], d["reason"]) for d in k["retention"]["departures"]] == [
        (ids["long"], "2024-03-31", "fees")
    ]
    assert k["retention"]["assets_kept_rate"] == pytest.approx(1 - 100000 / 300000)
    # Mid-gap: not a client. After the return: a client, tenure the two periods added up.
    code, k = run(capsys, "--db", path, "kpis", "--as-of", "2024-06-30", "--json")
    assert k["clients"] == 1
    code, k = run(capsys, "--db", path, "kpis", "--as-of", "2025-06-30", "--json")
    assert k["clients"] == 2
    long_years = ((date(2024, 3, 31) - date(2015, 1, 1)).days + 149) / 365.25
    steady_years = (date(2025, 6, 30) - date(2020, 1, 1)).days / 365.25
    assert k["relationship_depth"]["tenure_years"] == pytest.approx((long_years + steady_years) / 2)


# ---- book format ----------------------------------------------------------------------------------------


def test_periods_round_trip_and_old_books_import(returned, tmp_path: Path, capsys) -> None:
    path, ids = returned
    folder = tmp_path / "export"
    assert main(["--db", path, "export-book", str(folder)]) == 0
    text = (folder / "client_periods.csv").read_text(encoding="utf-8").splitlines()
    assert text[0] == "household_id,start,end,leaving_reason"
    assert text[1:] == [
        f"{ids['long']},2015-01-01,2024-03-31,fees",
        f"{ids['long']},2025-02-01,,",
        f"{ids['steady']},2020-01-01,,",
    ]
    copy = tmp_path / "copy.db"
    assert main(["--db", str(copy), "import-book", str(folder)]) == 0
    capsys.readouterr()
    _code, out = run(capsys, "--db", str(copy), "household", "periods", str(ids["long"]), "--json")
    assert [p["start"] for p in out["periods"]] == ["2015-01-01", "2025-02-01"]
    # a book written before the file existed: one period per household
    (folder / "client_periods.csv").unlink()
    old = tmp_path / "old.db"
    assert main(["--db", str(old), "import-book", str(folder)]) == 0
    capsys.readouterr()
    _code, out = run(capsys, "--db", str(old), "household", "periods", str(ids["long"]), "--json")
    assert out["periods"] == [{"start": "2025-02-01", "end": None, "leaving_reason": None}]


def test_an_earlier_period_overlapping_the_latest_is_refused(returned, tmp_path: Path, capsys) -> None:
    path, _ids = returned
    folder = tmp_path / "export"
    assert main(["--db", path, "export-book", str(folder)]) == 0
    periods = folder / "client_periods.csv"
    periods.write_text(periods.read_text().replace("2024-03-31,fees", "2025-03-31,fees"), encoding="utf-8")
    capsys.readouterr()
    assert main(["--db", str(tmp_path / "x.db"), "import-book", str(folder)]) == 2
    err = capsys.readouterr().err
    assert (
        "client_periods.csv:2: end: an earlier period must end on or before client_since (2025-02-01)" in err
    )


def test_the_editor_keeps_a_return_and_corrects_without_phantoms(book) -> None:
    """What the household editor saves (``update_household``): a former client given a new start on or after
    it left has come back; any other change of dates corrects the latest period."""
    from dataclasses import replace

    from actdesk.domain.enums import HouseholdStatus
    from actdesk.storage.repositories import households as repo

    with book.session() as s:
        hid = f.household(
            s,
            "Edit household",
            status="former_client",
            since=date(2015, 1, 1),
            until=date(2020, 6, 30),
            reason="fees",
        )
    with book.session() as s:  # a typo in the start: corrected, not a second period
        repo.update_household(s, replace(repo.get_household(s, hid), client_since=date(2015, 2, 1)))
    with book.session() as s:
        assert client_periods(s, [hid]) == [ClientPeriod(hid, date(2015, 2, 1), date(2020, 6, 30), "fees")]
    with book.session() as s:  # back as a client from 2022
        household = repo.get_household(s, hid)
        back = replace(
            household,
            status=HouseholdStatus.CLIENT,
            client_since=date(2022, 1, 1),
            client_until=None,
            leaving_reason=None,
        )
        repo.update_household(s, back)
    with book.session() as s:
        assert client_periods(s, [hid]) == [
            ClientPeriod(hid, date(2015, 2, 1), date(2020, 6, 30), "fees"),
            ClientPeriod(hid, date(2022, 1, 1), None, None),
        ]


def test_the_dashboard_series_see_both_periods(returned) -> None:
    """The monthly series and the yearly retention trend (the dashboard's charts) agree with the KPIs."""
    from actdesk.services.analytics import book_analytics, retention_trend

    path, _ids = returned
    book = open_book(Path(path))
    try:
        monthly = book_analytics(
            book, date(2025, 6, 30), months=25, with_probabilities=False
        ).frames.monthly.set_index("date")
        trend = retention_trend(book, date(2024, 12, 31), years=2).set_index("end")
    finally:
        book.dispose()
    at = {day: monthly.loc[pd.Timestamp(day)] for day in ("2023-12-31", "2024-06-30", "2025-06-30")}
    assert [int(at[d]["clients"]) for d in at] == [2, 1, 2]
    assert int(at["2023-12-31"]["aum_cents"]) == 30_000_000  # Long's 100,000 in its first period
    row = trend.loc[date(2024, 12, 31)]
    assert (row["clients_at_start"], row["retained"], row["departures"]) == (2, 1, 1)
    assert row["assets_kept_rate"] == pytest.approx(1 - 100000 / 300000)


@pytest.mark.parametrize(
    "as_of", [date(2024, 6, 30), date(2025, 1, 15), date(2025, 6, 30), date(2026, 1, 31)]
)
def test_the_sql_first_tiles_see_both_periods(returned, book, as_of: date) -> None:
    """The window's first tiles (SQL sums, before any frame) equal the full KPIs on a book with a return:
    away, just back, and a year after (no number changes when the dashboard takes the tiles over)."""
    from actdesk.domain.analytics.config import AnalyticsConfig
    from actdesk.services import analytics
    from actdesk.services.dashboard.first import first_numbers

    config = AnalyticsConfig()
    first = first_numbers(book, as_of, config).kpis
    full = analytics.kpis_for(book, as_of, config, with_probabilities=False)
    for section in ("aum", "retention", "revenue"):
        for key, value in first[section].items():
            assert value == full[section][key], (as_of, section, key)
    assert first["clients"] == full["clients"]
