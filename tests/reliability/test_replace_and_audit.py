"""A book replace keeps a verified backup, asks first, and is in the trail; merges and bulk writes are recorded
and recoverable (the findings 1 and 2 of issue 25, reproduced through the command line)."""

from __future__ import annotations

import json
import shutil
import sqlite3
from pathlib import Path

import pytest
from tests.reliability.conftest import cli_demo

from actdesk.cli import main


def _count(db: Path, table: str) -> int:
    conn = sqlite3.connect(db)
    try:
        return int(conn.execute(f"SELECT count(*) FROM {table}").fetchone()[0])
    finally:
        conn.close()


def _entries(db: Path, capsys: pytest.CaptureFixture[str], *args: str) -> list[dict[str, object]]:
    capsys.readouterr()
    assert main(["--db", str(db), "audit", "log", "--json", "--limit", "500", *args]) == 0
    entries: list[dict[str, object]] = json.loads(capsys.readouterr().out)
    return entries


@pytest.fixture(scope="module")
def demo_source(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return cli_demo(tmp_path_factory, "--households", "20", "--seed", "4", "--as-of", "2026-06-30")


@pytest.fixture
def demo(demo_source: Path, tmp_path: Path) -> Path:
    """Each test's own copy of the module's demo book (its audit trail included)."""
    db = tmp_path / "book.db"
    shutil.copyfile(demo_source, db)
    return db


def test_replace_with_only_households_asks_backs_up_records_and_can_be_undone(
    demo: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    exported = tmp_path / "export"
    assert main(["--db", str(demo), "export-book", str(exported)]) == 0
    only = tmp_path / "only"
    only.mkdir()
    shutil.copy(exported / "households.csv", only / "households.csv")
    contacts, balances = _count(demo, "contacts"), _count(demo, "balances")
    assert contacts > 0 and balances > 0
    capsys.readouterr()

    code = main(["--db", str(demo), "import-book", str(only), "--replace"])
    err = capsys.readouterr().err
    assert code == 2 and "--yes" in err and len(err.strip().splitlines()) == 1
    assert _count(demo, "contacts") == contacts  # nothing changed

    assert main(["--db", str(demo), "import-book", str(only), "--replace", "--yes", "--json"]) == 0
    summary = json.loads(capsys.readouterr().out)
    backup_id = summary["backup"]
    assert backup_id and summary["replaced"]["contacts"] == contacts
    assert _count(demo, "contacts") == 0

    # the demo wrote its own import-book entry; the replace's is the newest (bulk deletes are one entry per
    # table now, so the demo's is no longer pushed out of the 500 newest by thousands of row entries)
    entry = next(e for e in _entries(demo, capsys) if e["action"] == "import-book")
    changes = entry["changes"]
    assert isinstance(changes, dict) and changes["backup"] == backup_id
    assert changes["replaced"]["contacts"] == contacts and changes["mode"] == "replace"

    assert main(["--db", str(demo), "backup", "verify", backup_id, "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["counts"]["contacts"] == contacts
    assert main(["--db", str(demo), "backup", "restore", backup_id, "--yes"]) == 0
    assert (_count(demo, "contacts"), _count(demo, "balances")) == (contacts, balances)


def test_a_merged_away_contact_is_in_the_trail_and_recoverable(
    demo: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    conn = sqlite3.connect(demo)
    keep, drop = conn.execute("SELECT id FROM contacts ORDER BY id LIMIT 2").fetchall()
    snapshot = conn.execute("SELECT first_name, last_name, email FROM contacts WHERE id = ?", drop).fetchone()
    conn.close()
    assert main(["--db", str(demo), "dedupe", "merge", str(keep[0]), str(drop[0])]) == 0
    deleted = [e for e in _entries(demo, capsys, "--table", "contacts") if e["action"] == "delete"]
    assert [e["row_id"] for e in deleted] == [str(drop[0])]
    assert main(["--db", str(demo), "audit", "recover", "contacts", str(drop[0])]) == 0
    conn = sqlite3.connect(demo)
    again = conn.execute("SELECT first_name, last_name, email FROM contacts WHERE id = ?", drop).fetchone()
    conn.close()
    assert again == snapshot


def test_demo_and_book_import_write_audit_entries(
    demo: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    tables = {e["table"] for e in _entries(demo, capsys) if e["action"] == "batch"}
    assert {"households", "contacts", "accounts", "balances", "activities"} <= tables
    exported = tmp_path / "export"
    assert main(["--db", str(demo), "export-book", str(exported)]) == 0
    fresh = tmp_path / "fresh.db"
    assert main(["--db", str(fresh), "import-book", str(exported)]) == 0
    entries = _entries(fresh, capsys)
    assert any(e["action"] == "import-book" for e in entries)
    assert any(e["action"] == "batch" and e["table"] == "balances" for e in entries)
    assert main(["--db", str(fresh), "audit", "verify"]) == 0


def test_core_updates_outside_the_orm_are_recorded(demo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from sqlalchemy import update

    from actdesk.storage.open import open_book
    from actdesk.storage.tables.book import HouseholdRow

    book = open_book(demo)
    try:
        with book.session() as s:
            s.execute(update(HouseholdRow).where(HouseholdRow.id == 1).values(name="Renamed by Core"))
    finally:
        book.dispose()
    [entry] = [e for e in _entries(demo, capsys, "--table", "households") if e["action"] == "update"]
    changes = entry["changes"]
    assert isinstance(changes, dict) and changes["name"][1] == "Renamed by Core"


@pytest.mark.parametrize("rows", [1, 3])
def test_an_executemany_update_by_bound_key_is_recorded_row_by_row(
    demo: Path, capsys: pytest.CaptureFixture[str], rows: int
) -> None:
    """The importer's merge updates by ``id = :_row_id``; the snapshot must run with those values (with one
    row the driver passes them as plain params, which is what failed while UPDATE was switched off)."""
    from sqlalchemy import bindparam, update

    from actdesk.storage.open import open_book
    from actdesk.storage.tables.book import ContactRow

    table = ContactRow.__table__
    ids = list(range(1, rows + 1))
    book = open_book(demo)
    try:
        with book.session() as s:
            statement = (
                update(table).where(table.c.id == bindparam("_row_id")).values(occupation=bindparam("occ"))
            )
            s.execute(statement, [{"_row_id": i, "occ": f"Pilot {i}"} for i in ids])
    finally:
        book.dispose()
    updates = [e for e in _entries(demo, capsys, "--table", "contacts") if e["action"] == "update"]
    assert sorted(str(e["row_id"]) for e in updates) == [str(i) for i in ids]
    for entry in updates:
        changes = entry["changes"]
        assert isinstance(changes, dict) and changes["occupation"][1] == f"Pilot {entry['row_id']}"


def test_a_bulk_core_delete_is_recoverable_row_by_row_with_its_cascades(
    demo: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """The snapshot text is built by SQLite (json_object); a recovered row equals the deleted one."""
    from sqlalchemy import delete

    from actdesk.storage.open import open_book
    from actdesk.storage.tables.book import HouseholdRow

    conn = sqlite3.connect(demo)
    before = conn.execute("SELECT * FROM households WHERE id IN (1, 2) ORDER BY id").fetchall()
    children = conn.execute("SELECT * FROM contacts WHERE household_id = 1 ORDER BY id").fetchall()
    conn.close()
    book = open_book(demo)
    try:
        with book.session() as s:
            s.execute(delete(HouseholdRow).where(HouseholdRow.id.in_([1, 2])))
    finally:
        book.dispose()
    deleted = {
        e["row_id"] for e in _entries(demo, capsys, "--table", "households") if e["action"] == "delete"
    }
    assert deleted == {"1", "2"}
    assert main(["--db", str(demo), "audit", "recover", "households", "1"]) == 0
    assert main(["--db", str(demo), "audit", "recover", "households", "2"]) == 0
    conn = sqlite3.connect(demo)
    assert conn.execute("SELECT * FROM households WHERE id IN (1, 2) ORDER BY id").fetchall() == before
    gone = conn.execute("SELECT count(*) FROM contacts WHERE household_id = 1").fetchone()[0]
    conn.close()
    assert children and gone == 0  # their contacts went with them (ON DELETE CASCADE) ...
    deleted_contacts = {
        e["row_id"] for e in _entries(demo, capsys, "--table", "contacts") if e["action"] == "delete"
    }
    assert {str(c[0]) for c in children} <= deleted_contacts  # ... and each is in the trail, recoverable
    assert main(["--db", str(demo), "audit", "recover", "contacts", str(children[0][0])]) == 0
    assert main(["--db", str(demo), "audit", "verify"]) == 0


def test_a_reimport_merge_is_in_the_trail(
    demo: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    conn = sqlite3.connect(demo)
    cid, first, last = conn.execute(
        "SELECT id, first_name, last_name FROM contacts WHERE email IS NOT NULL"
    ).fetchone()
    email = conn.execute("SELECT email FROM contacts WHERE id = ?", (cid,)).fetchone()[0]
    conn.execute("UPDATE contacts SET occupation = NULL WHERE id = ?", (cid,))  # the import fills blanks
    conn.commit()
    conn.close()
    csv_file = tmp_path / "c.csv"
    csv_file.write_text(f"First Name,Last Name,E-mail Address,Job Title\n{first},{last},{email},Astronaut\n")
    assert main(["--db", str(demo), "import", "contacts", str(csv_file), "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["merged"] == 1
    updates = [
        e
        for e in _entries(demo, capsys, "--table", "contacts")
        if e["action"] == "update" and e["row_id"] == str(cid)
    ]
    assert updates and any(
        isinstance(e["changes"], dict) and e["changes"].get("occupation", [None, None])[1] == "Astronaut"
        for e in updates
    )


def test_a_large_core_delete_is_one_entry_per_table_and_still_recoverable(
    demo: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """From BULK_ROWS rows on, a delete is one ``delete_rows`` entry per table, aggregated by SQLite, its
    cascades found by subqueries; ``audit recover`` finds a row inside it and restores it exactly."""
    from sqlalchemy import delete

    from actdesk.storage.audit_snapshot import BULK_ROWS
    from actdesk.storage.open import open_book
    from actdesk.storage.tables.book import AccountRow, BalanceRow

    conn = sqlite3.connect(demo)
    accounts = conn.execute("SELECT * FROM accounts ORDER BY id").fetchall()
    one = accounts[0][0]
    balances = conn.execute("SELECT * FROM balances WHERE account_id = ? ORDER BY rowid", (one,)).fetchall()
    total_balances = conn.execute("SELECT count(*) FROM balances").fetchone()[0]
    conn.close()
    assert len(accounts) >= BULK_ROWS and balances
    book = open_book(demo)
    try:
        with book.session() as s:
            s.execute(delete(AccountRow))
    finally:
        book.dispose()
    entries = [e for e in _entries(demo, capsys) if e["action"] == "delete_rows"]
    by_table = {e["table"]: e["changes"] for e in entries}
    assert set(by_table) >= {"accounts", "balances"}
    assert isinstance(by_table["accounts"], dict) and by_table["accounts"]["count"] == len(accounts)
    assert isinstance(by_table["balances"], dict) and by_table["balances"]["count"] == total_balances
    assert main(["--db", str(demo), "audit", "recover", "accounts", str(one)]) == 0
    keys = [c.name for c in BalanceRow.__table__.primary_key.columns]
    names = [d[1] for d in sqlite3.connect(demo).execute("PRAGMA table_info(balances)").fetchall()]
    for balance in balances:
        row_id = "/".join(str(balance[names.index(k)]) for k in keys)
        assert main(["--db", str(demo), "audit", "recover", "balances", row_id]) == 0
    conn = sqlite3.connect(demo)
    assert conn.execute("SELECT * FROM accounts WHERE id = ?", (one,)).fetchall() == [accounts[0]]
    again = conn.execute("SELECT * FROM balances WHERE account_id = ? ORDER BY rowid", (one,)).fetchall()
    conn.close()
    assert again == balances
    assert main(["--db", str(demo), "audit", "verify"]) == 0
