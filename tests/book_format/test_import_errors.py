"""Bad rows are reported with file, line, column and reason; nothing is written; other tools' files import."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest

from actdesk.cli import main

GOOD = {
    "households.csv": (
        "id,name,status,client_since,client_until,leaving_reason\n"
        "1,Smith,client,2015-01-01,,\n"
        "2,Jones,former_client,2012-05-01,2020-03-31,Moved away\n"
        "3,Brown,prospect,,,\n"
    ),
    "contacts.csv": (
        "id,household_id,role,first_name,last_name,email,phone,birth_date,income,net_worth,"
        "risk_tolerance,city,region,country,do_not_email\n"
        "1,1,primary,Ann,Smith,ann@example.com,,1960-02-03,120000,2500000.50,moderate,Columbus,OH,US,false\n"
        "2,2,primary,Bob,Jones,,,,,,,,,,true\n"
    ),
    "accounts.csv": "id,household_id,custodian,type,managed\n1,1,Schwab,ira,true\n2,1,Vanguard,401k,false\n",
    "balances.csv": "account_id,date,balance\n1,2025-01-31,100000.00\n1,2025-02-28,101000.25\n2,2025-02-28,5\n",
    "flows.csv": "account_id,date,amount\n1,2025-02-10,-500.00\n",
    "fees.csv": "household_id,date,amount,recurring\n1,2025-03-31,250.00,true\n",
    "activities.csv": (
        "id,household_id,contact_id,kind,subject,start,completed_at\n"
        "1,1,1,review,Semi-annual review,2025-03-01T15:00:00+00:00,2025-03-01T16:00:00Z\n"
    ),
    "life_events.csv": "id,household_id,contact_id,kind,date\n1,1,1,retirement,2024-06-30\n",
    "referrals.csv": "referrer_contact_id,referred_household_id,date\n1,3,2025-01-15\n",
}


def write(folder: Path, changes: dict[str, str] | None = None) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for name, text in {**GOOD, **(changes or {})}.items():
        (folder / name).write_text(text, encoding="utf-8")
    return folder


def replace_line(name: str, line: int, text: str) -> dict[str, str]:
    lines = GOOD[name].splitlines()
    lines[line - 1] = text
    return {name: "\n".join(lines) + "\n"}


def count_rows(db: Path) -> int:
    with sqlite3.connect(db) as con:
        tables = ("households", "contacts", "accounts", "balances", "flows", "fees", "activities")
        return sum(con.execute(f"SELECT COUNT(*) FROM {t}").fetchone()[0] for t in tables)


def test_good_folder_imports(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    db = tmp_path / "book.db"
    assert main(["--db", str(db), "import-book", str(write(tmp_path / "in")), "--json"]) == 0
    summary = json.loads(capsys.readouterr().out)
    assert summary["files"]["balances.csv"] == 3
    with sqlite3.connect(db) as con:
        assert con.execute("SELECT net_worth_cents, do_not_email FROM contacts WHERE id=1").fetchone() == (
            250000050,
            0,
        )
        assert con.execute("SELECT balance_cents FROM balances WHERE account_id=2").fetchone() == (500,)
        assert con.execute("SELECT managed FROM accounts ORDER BY id").fetchall() == [(1,), (0,)]


CASES = [
    (
        "bad date",
        replace_line("households.csv", 2, "1,Smith,client,2015-13-01,,"),
        ("households.csv", 2, "client_since", "not a date"),
    ),
    (
        "bad enum",
        replace_line("households.csv", 4, "3,Brown,lead,,,"),
        ("households.csv", 4, "status", "not one of"),
    ),
    (
        "former client without reason",
        replace_line("households.csv", 3, "2,Jones,former_client,2012-05-01,2020-03-31,"),
        ("households.csv", 3, "leaving_reason", "leaving reason"),
    ),
    (
        "missing required",
        replace_line("contacts.csv", 3, "2,2,primary,,Jones,,,,,,,,,,true"),
        ("contacts.csv", 3, "first_name", "required"),
    ),
    (
        "bad e-mail",
        replace_line("contacts.csv", 3, "2,2,primary,Bob,Jones,bob-at-home,,,,,,,,,true"),
        ("contacts.csv", 3, "email", "e-mail"),
    ),
    (
        "bad boolean",
        replace_line("contacts.csv", 3, "2,2,primary,Bob,Jones,,,,,,,,,,maybe"),
        ("contacts.csv", 3, "do_not_email", "true or false"),
    ),
    (
        "duplicate id",
        replace_line("contacts.csv", 3, "1,2,primary,Bob,Jones,,,,,,,,,,true"),
        ("contacts.csv", 3, "id", "duplicate id 1"),
    ),
    (
        "unknown household",
        replace_line("accounts.csv", 3, "2,9,Vanguard,401k,false"),
        ("accounts.csv", 3, "household_id", "no row with id 9 in households.csv"),
    ),
    (
        "three decimals",
        replace_line("balances.csv", 3, "1,2025-02-28,101000.255"),
        ("balances.csv", 3, "balance", "not an amount"),
    ),
    (
        "duplicate balance",
        replace_line("balances.csv", 4, "1,2025-01-31,5"),
        ("balances.csv", 4, "date", "already on line 2"),
    ),
    (
        "comma decimal",
        replace_line("flows.csv", 2, '1,2025-02-10,"-500,00"'),
        ("flows.csv", 2, "amount", "not an amount"),
    ),
    (
        "bad fee flag",
        replace_line("fees.csv", 2, "1,2025-03-31,250.00,yes please"),
        ("fees.csv", 2, "recurring", "true or false"),
    ),
    (
        "bad instant",
        replace_line("activities.csv", 2, "1,1,1,review,Review,next tuesday,"),
        ("activities.csv", 2, "start", "ISO-8601"),
    ),
    (
        "bad activity kind",
        replace_line("activities.csv", 2, "1,1,1,lunch,Review,,"),
        ("activities.csv", 2, "kind", "not one of"),
    ),
    (
        "unknown contact",
        replace_line("life_events.csv", 2, "1,1,7,retirement,2024-06-30"),
        ("life_events.csv", 2, "contact_id", "no row with id 7"),
    ),
    (
        "unknown referrer",
        replace_line("referrals.csv", 2, "5,3,2025-01-15"),
        ("referrals.csv", 2, "referrer_contact_id", "no row with id 5"),
    ),
    ("short row", replace_line("fees.csv", 2, "1,2025-03-31"), ("fees.csv", 2, "", "expected 4 cells")),
    (
        "missing column",
        {"accounts.csv": "id,household_id,type,managed\n1,1,ira,true\n"},
        ("accounts.csv", 1, "custodian", "missing from the header"),
    ),
]


@pytest.mark.parametrize(("label", "changes", "expected"), CASES, ids=[c[0] for c in CASES])
def test_bad_row_is_located_and_nothing_is_written(
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    label: str,
    changes: dict[str, str],
    expected: tuple[str, int, str, str],
) -> None:
    db = tmp_path / "book.db"
    folder = write(tmp_path / "in", changes)
    assert main(["--db", str(db), "import-book", str(folder), "--json"]) == 2
    captured = capsys.readouterr()
    report = json.loads(captured.out)
    assert report["ok"] is False
    file, line, column, reason = expected
    matching = [e for e in report["errors"] if (e["file"], e["line"], e["column"]) == (file, line, column)]
    assert matching, report["errors"]
    assert reason in matching[0]["reason"]
    where = f"{file}:{line}" if line else file
    assert f"actdesk: {where}: " in captured.err
    assert count_rows(db) == 0


def test_all_errors_are_listed_up_to_the_limit(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    bad_balances = "account_id,date,balance\n" + "".join(f"1,2025-01-{d:02d},x\n" for d in range(1, 31))
    folder = write(tmp_path / "in", {"balances.csv": bad_balances})
    assert (
        main(["--db", str(tmp_path / "b.db"), "import-book", str(folder), "--json", "--max-errors", "10"])
        == 2
    )
    report = json.loads(capsys.readouterr().out)
    assert len(report["errors"]) == 10 and report["truncated"] is True
    assert [e["line"] for e in report["errors"]] == list(range(2, 12))


def test_another_tools_minimal_shuffled_bom_files_import(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Minimal columns in another order, a BOM, CRLF line ends, an unknown column, enum case and spaces."""
    folder = tmp_path / "other"
    folder.mkdir()
    (folder / "households.csv").write_bytes(
        "\ufeffstatus,name,id,crm_score\r\nClient,Álvarez,10,88\r\nprospect,Ng,11,\r\n".encode()
    )
    (folder / "contacts.csv").write_bytes(
        "\ufefflast_name,first_name,role,household_id,id\r\nÁlvarez,Inés,PRIMARY,10,100\r\nNg,Li,primary,11,101\r\n".encode()
    )
    (folder / "accounts.csv").write_text(
        "type,id,household_id,custodian\nira,5,10,Schwab\n", encoding="utf-8"
    )
    (folder / "balances.csv").write_text("balance,account_id,date\n 1500.5 ,5,2025-12-31\n", encoding="utf-8")
    db = tmp_path / "book.db"
    # A client needs client_since: the other tool's file lacks it, so the import must say so...
    assert main(["--db", str(db), "import-book", str(folder), "--json"]) == 2
    report = json.loads(capsys.readouterr().out)
    assert report["errors"][0]["column"] == "client_since"
    # ...and once the column is added the whole folder imports, keeping the ids.
    (folder / "households.csv").write_bytes(
        "\ufeffstatus,name,id,crm_score,client_since\r\nClient,Álvarez,10,88,2019-04-01\r\nprospect,Ng,11,,\r\n".encode()
    )
    assert main(["--db", str(db), "import-book", str(folder), "--json"]) == 0
    captured = capsys.readouterr()
    summary = json.loads(captured.out)
    assert summary["files"] == {"households.csv": 2, "contacts.csv": 2, "accounts.csv": 1, "balances.csv": 1}
    assert "crm_score" in captured.err
    with sqlite3.connect(db) as con:
        assert con.execute("SELECT id, name, status FROM households ORDER BY id").fetchall() == [
            (10, "Álvarez", "client"),
            (11, "Ng", "prospect"),
        ]
        assert con.execute(
            "SELECT id, role, first_name, do_not_email FROM contacts WHERE id = 100"
        ).fetchone() == (
            100,
            "primary",
            "Inés",
            0,
        )
        assert con.execute("SELECT managed FROM accounts").fetchone() == (1,)
        assert con.execute("SELECT balance_cents FROM balances").fetchone() == (150050,)


def test_folder_without_households_is_refused(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    folder = tmp_path / "empty"
    folder.mkdir()
    assert main(["--db", str(tmp_path / "b.db"), "import-book", str(folder)]) == 2
    assert "households.csv: file missing" in capsys.readouterr().err
