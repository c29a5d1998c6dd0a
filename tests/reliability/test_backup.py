"""Backups are consistent even while someone writes, verified, thinned, and restore after a safety copy."""

from __future__ import annotations

import json
import sqlite3
import threading
from datetime import UTC, datetime, timedelta
from pathlib import Path
from types import SimpleNamespace

from tests import factories as f

from actdesk.cli import main
from actdesk.services.backup import (
    backup_due,
    backup_now,
    book_folder,
    list_backups,
    on_app_exit,
    run_scheduled_backup,
    thin_backups,
    write_backup,
)
from actdesk.settings import load_settings
from actdesk.storage import migrate
from actdesk.storage.migrate import head_revision
from actdesk.storage.open import open_book
from actdesk.storage.tables.book import ContactRow, HouseholdRow


def _pairs(conn: sqlite3.Connection) -> tuple[int, int]:
    households = conn.execute("SELECT count(*) FROM households").fetchone()[0]
    contacts = conn.execute("SELECT count(*) FROM contacts").fetchone()[0]
    return households, contacts


def test_backups_taken_during_writes_are_consistent_and_restore(book, capsys) -> None:
    stop = threading.Event()
    written = [0]

    def write() -> None:  # another thread, its own connection, one household + contact per transaction
        while not stop.is_set():
            with book.session() as s:
                hid = f.household(s, f"Writer household {written[0]}")
                s.add(ContactRow(household_id=hid, first_name="W", last_name=str(written[0]), role="primary"))
            written[0] += 1

    thread = threading.Thread(target=write)
    thread.start()
    try:
        backups = []
        while len(backups) < 3:
            if written[0] > 5 * (len(backups) + 1):
                backups.append(backup_now(book, "during-writes"))
    finally:
        stop.set()
        thread.join()
    for info in backups:
        assert info.integrity == "ok"
        with sqlite3.connect(info.path) as conn:
            assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
            households, contacts = _pairs(conn)
        assert households == contacts == info.counts["households"] > 0  # never half a unit of work
    chosen = backups[0]
    code = main(["--db", str(book.path), "backup", "restore", chosen.id, "--yes", "--json"])
    out = capsys.readouterr()
    assert code == 0, out.err
    result = json.loads(out.out)
    assert result["restored"] == chosen.id and result["safety_backup"]
    with book.reader() as s:
        assert s.query(HouseholdRow).count() == chosen.counts["households"]
        assert s.query(ContactRow).count() == chosen.counts["contacts"]
    safety = next(b for b in list_backups(book_folder(book.path)) if b.id == result["safety_backup"])
    assert safety.reason == "pre-restore" and safety.counts["households"] == written[0]


def test_restore_shows_what_the_backup_holds_and_asks(book, capsys, monkeypatch) -> None:
    with book.session() as s:
        f.household(s, "Nakamura household")
    info = backup_now(book, "manual")
    monkeypatch.setattr("sys.stdin", SimpleNamespace(isatty=lambda: False))
    code = main(["--db", str(book.path), "backup", "restore", info.id])
    out = capsys.readouterr()
    assert code == 2 and "--yes" in out.err
    assert "1 households" in out.out and info.id in out.out and head_revision() in out.out


def test_list_and_verify_detect_a_damaged_backup(book, capsys) -> None:
    info = backup_now(book, "manual")
    assert main(["--db", str(book.path), "backup", "list", "--json"]) == 0
    listed = json.loads(capsys.readouterr().out)
    assert [b["id"] for b in listed] == [info.id]
    assert main(["--db", str(book.path), "backup", "verify", info.id, "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["ok"] is True
    data = bytearray(info.path.read_bytes())
    data[len(data) // 2] ^= 0xFF
    info.path.write_bytes(bytes(data))
    assert main(["--db", str(book.path), "backup", "verify", info.id, "--json"]) == 1
    assert "checksum" in json.loads(capsys.readouterr().out)["integrity"]
    assert main(["--db", str(book.path), "backup", "verify", "nope"]) == 2
    assert "No backup nope" in capsys.readouterr().err


def test_thinning_keeps_daily_weekly_monthly(book) -> None:
    settings = load_settings()
    settings.raw["backup"] = {"recent": 1, "daily": 3, "weekly": 0, "monthly": 0}
    folder = book_folder(book.path, settings)
    start = datetime(2026, 3, 1, 9, tzinfo=UTC)
    for day in range(6):
        for hour in (0, 5):
            write_backup(book.path, None, folder, "scheduled", now=start + timedelta(days=day, hours=hour))
    deleted = thin_backups(book.path, settings)
    kept = list_backups(folder)
    assert len(deleted) == 9
    assert [b.created_at.day for b in kept] == [6, 5, 4]
    assert not [p for p in folder.iterdir() if p.name.startswith(".")]  # no partial files


def test_schedule_and_exit_backups(book) -> None:
    now = datetime.now(UTC)
    assert backup_due(None, now, timedelta(hours=4))
    assert not backup_due(now - timedelta(hours=1), now, timedelta(hours=4))
    assert backup_due(now - timedelta(hours=5), now, timedelta(hours=4))
    assert backup_due(now + timedelta(days=2), now, timedelta(hours=4))  # clock went back: do not wait days
    first = run_scheduled_backup(book, now=now)
    assert first is not None and first.reason == "scheduled"
    assert run_scheduled_backup(book, now=now + timedelta(minutes=30)) is None
    exit_backup = on_app_exit(SimpleNamespace(book=book, settings=load_settings()))
    assert exit_backup is not None and exit_backup.reason == "exit"


def test_migration_backs_up_into_the_backup_folder(db_path: Path) -> None:
    book = open_book(db_path, migrate=False)
    with book.engine.begin() as conn:
        config = migrate.alembic_config()
        config.attributes["connection"] = conn
        from alembic import command

        command.upgrade(config, "0001_book")
    book.dispose()
    book = open_book(db_path)
    try:
        reasons = [b.reason for b in list_backups(book_folder(db_path))]
        assert reasons == ["pre-migration"]
    finally:
        book.dispose()


def test_backup_folder_that_cannot_be_written_gives_a_clear_error(book, tmp_path: Path) -> None:
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("a file where the backup folder should be")
    from actdesk.services.backup import BackupError

    try:
        write_backup(book.path, None, blocker / "backups", "manual")
    except BackupError as exc:
        assert "cannot be used" in str(exc)
    else:
        raise AssertionError("expected BackupError")
