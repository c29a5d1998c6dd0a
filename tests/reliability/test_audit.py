"""The audit trail: every ORM change recorded with old and new values, tamper-evident, deletions recoverable."""

from __future__ import annotations

import json
import sqlite3

import pytest
from sqlalchemy import insert
from tests import factories as f

from actdesk.cli import main
from actdesk.services.audit import acting_as, audit_log, record_batch, recover_deleted, verify_chain
from actdesk.storage.errors import NotFoundError
from actdesk.storage.tables.book import ContactRow, HouseholdRow


def test_create_update_delete_are_recorded_with_who_and_what(book) -> None:
    with acting_as("ann"), book.session() as s:
        hid = f.household(s, "Delacroix household")
    with book.session() as s:
        row = s.get(HouseholdRow, hid)
        row.name = "Delacroix-Moreau household"
        row.status = "former"
    with book.session() as s:
        s.delete(s.get(HouseholdRow, hid))
    entries = list(reversed(audit_log(book, table="households", row_id=str(hid))))
    assert [e.action for e in entries] == ["insert", "update", "delete"]
    assert entries[0].actor == "ann" and entries[0].changes["name"] == [None, "Delacroix household"]
    assert entries[1].changes["name"] == ["Delacroix household", "Delacroix-Moreau household"]
    assert entries[1].changes["status"] == ["client", "former"]
    assert entries[2].changes["name"] == ["Delacroix-Moreau household", None]
    assert verify_chain(book).ok


def test_a_rolled_back_unit_of_work_leaves_no_entry(book) -> None:
    with pytest.raises(RuntimeError), book.session() as s:
        f.household(s, "Never saved")
        raise RuntimeError("user cancelled")
    assert audit_log(book) == []


def test_tampering_is_detected(book, capsys) -> None:
    with book.session() as s:
        for n in range(3):
            f.household(s, f"Household {n}")
    assert main(["--db", str(book.path), "audit", "verify", "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["ok"] is True
    with sqlite3.connect(book.path) as raw, pytest.raises(sqlite3.DatabaseError, match="append-only"):
        raw.execute("UPDATE audit_log SET actor='mallory' WHERE id=2")
    with sqlite3.connect(book.path) as raw:  # someone with the file and a SQLite tool drops the guard
        raw.execute("DROP TRIGGER audit_log_no_update")
        raw.execute("""UPDATE audit_log SET changes='{"name":[null,"Someone else"]}' WHERE id=2""")
    assert main(["--db", str(book.path), "audit", "verify", "--json"]) == 1
    report = json.loads(capsys.readouterr().out)
    assert report["ok"] is False and report["first_bad_id"] == 2
    assert main(["--db", str(book.path), "db", "check", "--json"]) == 1
    assert json.loads(capsys.readouterr().out)["audit_chain"]["ok"] is False


def test_a_removed_entry_breaks_the_chain(book) -> None:
    with book.session() as s:
        for n in range(3):
            f.household(s, f"Household {n}")
    with sqlite3.connect(book.path) as raw:
        raw.execute("DROP TRIGGER audit_log_no_delete")
        raw.execute("DELETE FROM audit_log WHERE id=2")
    report = verify_chain(book)
    assert not report.ok and report.first_bad_id == 3


def test_deleted_household_and_its_contacts_are_recoverable(book, capsys) -> None:
    with book.session() as s:
        hid = f.household(s, "Oyelaran household")
        cid = f.contact(s, hid, "Tunde", "Oyelaran", email="tunde@example.org", net_worth="10.25")
    with book.session() as s:  # the contacts are not loaded: the database's ON DELETE CASCADE removes them
        s.delete(s.get(HouseholdRow, hid))
    with book.reader() as s:
        assert s.get(ContactRow, cid) is None
    assert main(["--db", str(book.path), "audit", "recover", "households", str(hid)]) == 0
    assert main(["--db", str(book.path), "audit", "recover", "contacts", str(cid), "--json"]) == 0
    capsys.readouterr()
    with book.reader() as s:
        contact = s.get(ContactRow, cid)
        assert (
            contact is not None and contact.email == "tunde@example.org" and contact.net_worth_cents == 1025
        )
        assert s.get(HouseholdRow, hid).name == "Oyelaran household"
    assert main(["--db", str(book.path), "audit", "recover", "households", str(hid)]) == 2
    assert "exists again" in capsys.readouterr().err
    with pytest.raises(NotFoundError):
        recover_deleted(book, "households", "999")
    assert verify_chain(book).ok


def test_bulk_core_writes_record_one_batch_entry(book, capsys) -> None:
    with book.session() as s:
        # recorded by the engine hook (storage/audit_core.py), without the writer calling record_batch
        s.execute(insert(HouseholdRow), [{"name": f"Bulk {n}", "status": "prospect"} for n in range(50)])
    with book.session() as s:
        record_batch(s, "households", 50, detail={"source": "demo generator"})  # raw writes say it themselves
    assert main(["--db", str(book.path), "audit", "log", "--json"]) == 0
    entries = json.loads(capsys.readouterr().out)
    assert [e["action"] for e in entries] == ["batch", "batch"]
    assert entries[1]["changes"] == {"rows": 50, "statement": "insert"}
    assert entries[0]["changes"] == {"rows": 50, "source": "demo generator"}
