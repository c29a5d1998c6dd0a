"""A keyring-encrypted book opens after it is moved or copied (its key is filed under the book's own
identifier), and its key travels to another computer through a passphrase-protected file (finding 5)."""

from __future__ import annotations

import io
import json
import shutil
import stat
from pathlib import Path

import keyring
import pytest

from actdesk.cli import main
from actdesk.storage.cipher import KEYRING_SERVICE, book_identifier


@pytest.fixture
def encrypted(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> Path:
    db = tmp_path / "first" / "book.db"
    db.parent.mkdir()
    assert main(["--db", str(db), "demo", "--households", "5", "--seed", "2"]) == 0
    assert main(["--db", str(db), "db", "encrypt"]) == 0  # random key, in the keyring
    capsys.readouterr()
    return db


def test_a_moved_and_a_copied_book_still_open(
    encrypted: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    identifier = book_identifier(encrypted)
    assert identifier and keyring.get_password(KEYRING_SERVICE, identifier)
    moved = tmp_path / "elsewhere" / "renamed.db"
    moved.parent.mkdir()
    shutil.move(encrypted, moved)
    copied = tmp_path / "copy.db"
    shutil.copyfile(moved, copied)
    for path in (moved, copied):
        assert main(["--db", str(path), "kpis", "--json"]) == 0, capsys.readouterr().err
        capsys.readouterr()


def test_the_key_travels_through_a_passphrase_protected_file(
    encrypted: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    key_file = tmp_path / "book.key"
    monkeypatch.setattr("sys.stdin", io.StringIO("carry it safely please\n"))
    assert main(["--db", str(encrypted), "db", "key", "export", str(key_file), "--passphrase-stdin"]) == 0
    assert stat.S_IMODE(key_file.stat().st_mode) == 0o600
    raw_key = keyring.get_password(KEYRING_SERVICE, book_identifier(encrypted) or "")
    assert raw_key and raw_key not in key_file.read_text() and json.loads(key_file.read_text())["book"]

    keyring.delete_password(KEYRING_SERVICE, book_identifier(encrypted) or "")  # "the other computer"
    capsys.readouterr()
    assert main(["--db", str(encrypted), "kpis", "--json"]) == 2
    assert "db key import" in capsys.readouterr().err

    monkeypatch.setattr("sys.stdin", io.StringIO("not the passphrase\n"))
    assert main(["--db", str(encrypted), "db", "key", "import", str(key_file), "--passphrase-stdin"]) == 2
    err = capsys.readouterr().err
    assert "passphrase does not open" in err and len(err.strip().splitlines()) == 1

    monkeypatch.setattr("sys.stdin", io.StringIO("carry it safely please\n"))
    assert main(["--db", str(encrypted), "db", "key", "import", str(key_file), "--passphrase-stdin"]) == 0
    assert main(["--db", str(encrypted), "kpis", "--json"]) == 0


def test_a_key_file_of_another_book_is_refused(
    encrypted: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    other = tmp_path / "other.db"
    assert main(["--db", str(other), "demo", "--households", "3", "--seed", "9"]) == 0
    assert main(["--db", str(other), "db", "encrypt"]) == 0
    key_file = tmp_path / "other.key"
    monkeypatch.setattr("sys.stdin", io.StringIO("carry it safely please\n"))
    assert main(["--db", str(other), "db", "key", "export", str(key_file), "--passphrase-stdin"]) == 0
    capsys.readouterr()
    monkeypatch.setattr("sys.stdin", io.StringIO("carry it safely please\n"))
    assert main(["--db", str(encrypted), "db", "key", "import", str(key_file), "--passphrase-stdin"]) == 2
    assert "another book" in capsys.readouterr().err
