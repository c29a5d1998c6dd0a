"""Encryption at rest: no key, no book; no client name in the file's bytes; plain -> encrypted -> plain loses nothing."""

from __future__ import annotations

import io
import json
import sqlite3
from pathlib import Path

import pytest
from tests import factories as f

from actdesk.cli import main
from actdesk.services import crypto
from actdesk.services.backup import backup_now, restore_backup, verify_backup
from actdesk.storage.cipher import KEYRING_SERVICE, book_identifier
from actdesk.storage.errors import EncryptedBookError
from actdesk.storage.open import open_book

CLIENT = "Wojciechowska"


def _fill(path: Path) -> None:
    book = open_book(path)
    with book.session() as s:
        hid = f.household(s, f"{CLIENT} household")
        f.contact(s, hid, "Agnieszka", CLIENT, email="agnieszka@example.org", net_worth="1250000.50")
    book.dispose()


def _dump(book) -> dict[str, list[tuple[object, ...]]]:
    with book.engine.connect() as conn:
        names = [
            r[0]
            for r in conn.exec_driver_sql("SELECT name FROM sqlite_master WHERE type='table' ORDER BY name")
        ]
        return {
            n: sorted(map(tuple, conn.exec_driver_sql(f'SELECT * FROM "{n}"').fetchall()), key=repr)
            for n in names
        }


def test_encrypted_book_hides_clients_and_needs_its_key(db_path: Path, _isolated_environment) -> None:
    _fill(db_path)
    plain = open_book(db_path)
    before = _dump(plain)
    plain.dispose()
    result = crypto.encrypt_book(db_path)
    assert result.key_in_keyring
    raw = db_path.read_bytes()
    assert (
        CLIENT.encode() not in raw and b"agnieszka@example.org" not in raw and not raw.startswith(b"SQLite")
    )
    with pytest.raises(sqlite3.DatabaseError):
        sqlite3.connect(db_path).execute("SELECT * FROM households").fetchall()
    key = _isolated_environment.store.pop((KEYRING_SERVICE, book_identifier(db_path)))  # filed by its own id
    with pytest.raises(EncryptedBookError):
        open_book(db_path)
    with pytest.raises(EncryptedBookError):
        open_book(db_path, key="x'" + "00" * 32 + "'")
    assert db_path.read_bytes()[:4096] == raw[:4096]  # refused opens left it untouched
    book = open_book(db_path, key=key)
    try:
        assert book.encrypted and _dump(book) == before
        backup = backup_now(book, "manual")
        assert backup.encrypted and CLIENT.encode() not in backup.path.read_bytes()
        assert verify_backup(backup, key).integrity == "ok"
        restore_backup(book, backup.id, key=key)
        assert _dump(book)["households"] == before["households"]
    finally:
        book.dispose()
    crypto.decrypt_book(db_path, key)
    back = open_book(db_path)
    try:
        after = _dump(back)
    finally:
        back.dispose()
    assert db_path.read_bytes().startswith(b"SQLite format 3")
    for table in before:
        if table != "audit_log":  # the restore above appended its own entry
            assert after[table] == before[table], table


def test_passphrase_round_trip_through_the_cli(db_path: Path, capsys, monkeypatch) -> None:
    _fill(db_path)
    monkeypatch.setattr("sys.stdin", io.StringIO("short\n"))
    assert main(["--db", str(db_path), "db", "encrypt", "--passphrase-stdin"]) == 2
    assert "at least" in capsys.readouterr().err and db_path.read_bytes().startswith(b"SQLite")
    monkeypatch.setattr("sys.stdin", io.StringIO("a long enough passphrase\n"))
    assert main(["--db", str(db_path), "db", "encrypt", "--passphrase-stdin", "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["key_in_keyring"] is False
    assert CLIENT.encode() not in db_path.read_bytes()
    assert main(["--db", str(db_path), "db", "check", "--json"]) == 2
    assert "encrypted" in capsys.readouterr().err
    monkeypatch.setenv("ACTDESK_DB_PASSPHRASE", "a long enough passphrase")
    assert main(["--db", str(db_path), "db", "check", "--json"]) == 0
    report = json.loads(capsys.readouterr().out)
    assert report["encryption"]["encrypted"] and report["integrity"]["ok"] and report["audit_chain"]["ok"]
    monkeypatch.delenv("ACTDESK_DB_PASSPHRASE")
    monkeypatch.setattr("sys.stdin", io.StringIO("the wrong passphrase\n"))
    assert main(["--db", str(db_path), "db", "decrypt", "--passphrase-stdin"]) == 2
    assert "does not open" in capsys.readouterr().err
    monkeypatch.setattr("sys.stdin", io.StringIO("a long enough passphrase\n"))
    assert main(["--db", str(db_path), "db", "decrypt", "--passphrase-stdin"]) == 0
    book = open_book(db_path)
    try:
        with book.reader() as s:
            from actdesk.storage.tables.book import ContactRow

            contact = s.query(ContactRow).one()
            assert contact.last_name == CLIENT and contact.net_worth_cents == 125000050
    finally:
        book.dispose()


def test_a_keyring_that_forgets_is_refused_before_anything_changes(db_path: Path, monkeypatch) -> None:
    import keyring
    from keyring.backends.null import Keyring as NullKeyring

    _fill(db_path)
    before = db_path.read_bytes()
    monkeypatch.setattr(keyring, "get_keyring", lambda: NullKeyring())
    with pytest.raises(crypto.EncryptionError, match="passphrase"):
        crypto.encrypt_book(db_path)
    assert db_path.read_bytes() == before


def test_a_new_book_can_be_encrypted_from_its_first_byte(tmp_path: Path) -> None:
    path = tmp_path / "new.db"
    book = crypto.create_encrypted_book(path)
    try:
        with book.session() as s:
            f.household(s, f"{CLIENT} household")
        assert book.encrypted
    finally:
        book.dispose()
    assert CLIENT.encode() not in path.read_bytes() and crypto.encryption_state(path) == "encrypted"
    reopened = open_book(path)  # the key comes from the keyring
    try:
        assert reopened.encrypted
    finally:
        reopened.dispose()
    with pytest.raises(crypto.EncryptionError, match="already exists"):
        crypto.create_encrypted_book(path)
