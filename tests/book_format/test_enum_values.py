"""Enum values written the way people and other tools write them import, and the reading is reported."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest
from tests.book_format.test_import_errors import write

from actdesk.cli import main
from actdesk.services.book_format.enum_values import fold, lenient

ACCOUNT_TYPES = (
    "brokerage",
    "ira",
    "roth_ira",
    "401k",
    "annuity",
    "insurance",
    "trust",
    "529",
    "checking",
    "other",
)


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("Roth IRA", "roth_ira"),
        ("roth-ira", "roth_ira"),
        ("ROTH_IRA", "roth_ira"),
        ("401(k)", "401k"),
        ("401 (k)", "401k"),
        ("Traditional IRA", "ira"),
        ("Rollover IRA", "ira"),
        ("529 Plan", "529"),
        ("Joint", "brokerage"),
        ("Variable Annuity", "annuity"),
    ],
)
def test_account_types_as_people_write_them(text: str, value: str) -> None:
    assert lenient(text, ACCOUNT_TYPES) == value


def test_only_the_columns_own_values_come_out() -> None:
    assert lenient("Active Client", ("prospect", "client", "former_client")) == "client"
    assert lenient("Spouse", ACCOUNT_TYPES) is None  # a synonym of another column's value
    assert lenient("403(b)", ACCOUNT_TYPES) is None  # not guessed
    assert fold("Former-Client ") == "former_client"


def test_a_book_from_another_tool_imports_and_the_mapping_is_reported(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = write(
        tmp_path / "in",
        {
            "households.csv": (
                "id,name,status,client_since,client_until,leaving_reason\n"
                "1,Smith,Client,2015-01-01,,\n"
                "2,Jones,Former Client,2012-05-01,2020-03-31,Moved away\n"
                "3,Brown,prospect,,,\n"
            ),
            "accounts.csv": (
                "id,household_id,custodian,type,managed\n"
                "1,1,Schwab,Roth IRA,true\n"
                "2,1,Vanguard,401(k),false\n"
                "3,1,Fidelity,Traditional IRA,true\n"
                "4,2,Schwab,roth-ira,true\n"
            ),
            "balances.csv": "account_id,date,balance\n1,2025-01-31,100000.00\n2,2025-02-28,5\n",
        },
    )
    db = tmp_path / "book.db"
    assert main(["--db", str(db), "import-book", str(folder), "--json"]) == 0
    report = json.loads(capsys.readouterr().out)
    notices = report["notices"]
    assert "accounts.csv: type 'Roth IRA' read as 'roth_ira' (1 row)" in notices
    assert "accounts.csv: type '401(k)' read as '401k' (1 row)" in notices
    assert "accounts.csv: type 'Traditional IRA' read as 'ira' (1 row)" in notices
    assert "households.csv: status 'Former Client' read as 'former_client' (1 row)" in notices
    with sqlite3.connect(db) as con:
        assert [r[0] for r in con.execute("SELECT type FROM accounts ORDER BY id")] == [
            "roth_ira",
            "401k",
            "ira",
            "roth_ira",
        ]
        assert [r[0] for r in con.execute("SELECT status FROM households ORDER BY id")] == [
            "client",
            "former_client",
            "prospect",
        ]


def test_a_value_that_matches_nothing_is_still_refused(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = write(
        tmp_path / "in", {"accounts.csv": "id,household_id,custodian,type,managed\n1,1,Schwab,403(b),true\n"}
    )
    db = tmp_path / "book.db"
    assert main(["--db", str(db), "import-book", str(folder)]) == 2
    assert "403(b)" in capsys.readouterr().err
