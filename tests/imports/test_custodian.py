"""Balances, positions and flows from custodian files, with a saved mapping; unmatched accounts reported."""

from __future__ import annotations

import json
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from sqlalchemy import select
from tests import factories

from actdesk.cli import main
from actdesk.services.importers.custodian import RowError, parse_amount
from actdesk.storage.tables.book import AccountRow, BalanceRow, FlowRow

from .helpers import SAMPLES, dump


@pytest.fixture
def accounts(book):
    with book.session() as s:
        hid = factories.household(s, "Whitcombe household")
        first = factories.account(s, hid, "ira")
        second = factories.account(s, hid, "brokerage")
        s.get(AccountRow, first).account_number = "xxxx 4411"
        s.get(AccountRow, second).account_number = "XXXX-7720"
        factories.balance(s, second, date(2026, 1, 31), "80000.00")
    return first, second


def save_schwab() -> None:
    assert (
        main(
            [
                "import",
                "mapping",
                "save",
                "schwab",
                "--account-col",
                "Account Number",
                "--date-col",
                "As Of Date",
                "--value-col",
                "Market Value",
                "--amount-col",
                "Amount",
                "--type-col",
                "Transaction Type",
            ]
        )
        == 0
    )


def test_balances_and_flows_import_then_undo(capsys, book, db_path: Path, accounts) -> None:
    first, second = accounts
    save_schwab()
    capsys.readouterr()
    before = dump(book)
    code = main(
        [
            "--db",
            str(db_path),
            "import",
            "balances",
            str(SAMPLES / "schwab_balances.csv"),
            "--mapping",
            "schwab",
            "--json",
        ]
    )
    result = json.loads(capsys.readouterr().out)
    assert code == 0
    assert (result["balances"], result["flows"], result["rejected"]) == (2, 2, 2)
    assert result["unmatched"] == [{"account_number": "9999-0000", "lines": [6]}]
    assert [(r["line"], r["reason"]) for r in result["rejected_rows"]] == [
        (6, "no account numbered 9999-0000 in the book"),
        (7, "date 'not a date' is not a date"),
    ]
    with book.reader() as s:
        balances = {(r.account_id, r.date): r.balance_cents for r in s.scalars(select(BalanceRow))}
        flows = sorted((r.account_id, r.date, r.amount_cents, r.kind) for r in s.scalars(select(FlowRow)))
    assert balances == {(first, date(2026, 1, 31)): 41231055, (second, date(2026, 1, 31)): 8800410}
    assert flows == [
        (first, date(2026, 1, 15), 2500000, "deposit"),
        (first, date(2026, 1, 20), -120000, "fee"),
    ]
    # Re-importing the same file adds no flow twice.
    main(
        [
            "--db",
            str(db_path),
            "import",
            "balances",
            str(SAMPLES / "schwab_balances.csv"),
            "--mapping",
            "schwab",
            "--json",
        ]
    )
    again = json.loads(capsys.readouterr().out)
    assert again["flows"] == 0
    assert main(["--db", str(db_path), "import", "undo", str(again["batch_id"])]) == 0
    assert main(["--db", str(db_path), "import", "undo", str(result["batch_id"])]) == 0
    assert dump(book) == before


def test_positions_are_summed_per_account_and_date(
    capsys, book, db_path: Path, accounts, tmp_path: Path
) -> None:
    first, _ = accounts
    mapping = tmp_path / "positions.json"
    mapping.write_text(
        json.dumps(
            {
                "account_col": "Account",
                "date_col": "Date",
                "market_value_col": "Value",
                "symbol_col": "Symbol",
                "date_order": "ymd",
                "decimal_comma": True,
            }
        )
    )
    assert main(["import", "mapping", "save", "pos", "--file", str(mapping)]) == 0
    assert (
        main(["--db", str(db_path), "import", "balances", str(SAMPLES / "positions.csv"), "--mapping", "pos"])
        == 0
    )
    with book.reader() as s:
        assert s.get(BalanceRow, (first, date(2026, 2, 28))).balance_cents == 42050025


def test_mapping_that_does_not_fit_the_file_is_refused(capsys, book, db_path: Path) -> None:
    assert (
        main(
            ["import", "mapping", "save", "x", "--account-col", "Acct", "--date-col", "D", "--value-col", "V"]
        )
        == 0
    )
    before = dump(book)
    code = main(
        ["--db", str(db_path), "import", "balances", str(SAMPLES / "schwab_balances.csv"), "--mapping", "x"]
    )
    assert code == 2
    assert "no column 'Acct'" in capsys.readouterr().err
    assert dump(book) == before
    assert main(["import", "mapping", "save", "y", "--account-col", "A", "--date-col", "D"]) == 2


@pytest.mark.parametrize(
    ("text", "comma", "expected"),
    [
        ("$1,234.56", False, "1234.56"),
        ("(1,234.56)", False, "-1234.56"),
        ("-20", False, "-20"),
        ("1.234,56", True, "1234.56"),
        ("250.000,00", True, "250000.00"),
        ("12.50-", False, "-12.50"),
    ],
)
def test_amounts(text: str, comma: bool, expected: str) -> None:
    assert parse_amount(text, comma) == Decimal(expected)


@pytest.mark.parametrize("text", ["abc", "1e400", "NaN", "--"])
def test_bad_amounts(text: str) -> None:
    with pytest.raises(RowError):
        parse_amount(text)
