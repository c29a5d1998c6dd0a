"""Backup verification trusts nothing in the manifest: a blank checksum, edited counts or schema, a changed
file and a wrong passphrase are all caught, through the CLI as a user would meet them."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest
from tests import factories as f

from actdesk.cli import main
from actdesk.services.backup import backup_now, list_backups, recount, verify_backup
from actdesk.storage.engine import Book


def _backup(book: Book) -> tuple[str, Path]:
    with book.session() as s:
        for n in range(3):
            f.household(s, f"Household {n}")
    info = backup_now(book, "manual")
    return info.id, info.path.with_suffix(".json")


def _edit_manifest(manifest: Path, **changes: object) -> None:
    data = json.loads(manifest.read_text(encoding="utf-8"))
    for key, value in changes.items():
        if key == "households":
            data["counts"]["households"] = value
        else:
            data[key] = value
    manifest.write_text(json.dumps(data), encoding="utf-8")


def _verify(capsys: pytest.CaptureFixture[str], db: Path, backup_id: str) -> tuple[int, dict[str, object]]:
    code = main(["--db", str(db), "backup", "verify", backup_id, "--json"])
    return code, json.loads(capsys.readouterr().out)


def test_a_blank_checksum_fails_verification(book: Book, capsys: pytest.CaptureFixture[str]) -> None:
    backup_id, manifest = _backup(book)
    assert book.path is not None
    assert _verify(capsys, book.path, backup_id)[0] == 0
    _edit_manifest(manifest, sha256="")
    code, report = _verify(capsys, book.path, backup_id)
    assert code == 1 and report["ok"] is False and "no checksum" in str(report["integrity"])


def test_edited_counts_are_caught_and_not_shown(book: Book, capsys: pytest.CaptureFixture[str]) -> None:
    backup_id, manifest = _backup(book)
    assert book.path is not None
    _edit_manifest(manifest, households=9999)
    code, report = _verify(capsys, book.path, backup_id)
    assert code == 1 and "households: manifest 9999, file 3" in str(report["integrity"])
    assert main(["--db", str(book.path), "backup", "list", "--json"]) == 0
    [listed] = json.loads(capsys.readouterr().out)
    assert listed["counts"]["households"] == 3 and "manifest does not match" in listed["integrity"]
    assert main(["--db", str(book.path), "backup", "restore", backup_id, "--yes"]) == 1
    assert "damaged" in capsys.readouterr().err


def test_edited_schema_revision_is_caught(book: Book) -> None:
    _backup_id, manifest = _backup(book)
    _edit_manifest(manifest, schema_revision="0001")
    [info] = list_backups(manifest.parent)
    assert "schema: manifest 0001" in verify_backup(info).integrity
    assert recount(info).schema_revision != "0001"


def test_a_changed_file_fails_its_checksum(book: Book, capsys: pytest.CaptureFixture[str]) -> None:
    backup_id, manifest = _backup(book)
    assert book.path is not None
    data = bytearray(manifest.with_suffix(".db").read_bytes())
    data[-100] ^= 0xFF
    manifest.with_suffix(".db").write_bytes(bytes(data))
    code, report = _verify(capsys, book.path, backup_id)
    assert code == 1 and "checksum mismatch" in str(report["integrity"])


def test_wrong_passphrase_in_backup_verify_is_one_line_exit_2(
    db_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    assert main(["--db", str(db_path), "demo", "--households", "3", "--seed", "1"]) == 0
    monkeypatch.setattr("sys.stdin", io.StringIO("a long enough passphrase\n"))
    assert main(["--db", str(db_path), "db", "encrypt", "--passphrase-stdin"]) == 0
    monkeypatch.setenv("ACTDESK_DB_PASSPHRASE", "a long enough passphrase")
    capsys.readouterr()
    assert main(["--db", str(db_path), "backup", "create", "--json"]) == 0
    backup_id = json.loads(capsys.readouterr().out)["id"]
    assert main(["--db", str(db_path), "backup", "verify", backup_id]) == 0
    capsys.readouterr()
    monkeypatch.setenv("ACTDESK_DB_PASSPHRASE", "not the passphrase at all")
    code = main(["--db", str(db_path), "backup", "verify", backup_id])
    err = capsys.readouterr().err
    assert code == 2 and len(err.strip().splitlines()) == 1 and "does not open" in err
    assert "Traceback" not in err and "internal error" not in err
