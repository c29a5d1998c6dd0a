"""Disk full, a read-only folder, a damaged or foreign file: a clear message, nothing half-written or overwritten."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest
from sqlalchemy import event
from tests import factories as f

from actdesk.cli import main
from actdesk.services.backup import backup_now
from actdesk.services.integrity import open_or_recover, restore_latest_good
from actdesk.storage.errors import CorruptBookError, DiskFullError
from actdesk.storage.open import open_book
from actdesk.storage.tables.book import HouseholdRow, NoteRow


def test_disk_full_gives_a_clear_error_and_keeps_the_book_whole(book) -> None:
    with book.session() as s:
        f.household(s, "Before the disk filled")
    with book.engine.connect() as conn:
        pages = conn.exec_driver_sql("PRAGMA page_count").scalar()
    book.engine.dispose()

    @event.listens_for(book.engine, "connect")
    def _tiny_disk(dbapi_connection, _record) -> None:
        dbapi_connection.execute(f"PRAGMA max_page_count = {pages + 3}")

    with pytest.raises(DiskFullError, match="disk is full"), book.session() as s:
        hid = f.household(s, "Too big to fit")
        s.add_all(NoteRow(household_id=hid, body="x" * 4000) for _ in range(40))
    with book.reader() as s:
        assert [h.name for h in s.query(HouseholdRow)] == ["Before the disk filled"]
        assert s.query(NoteRow).count() == 0
    with book.engine.connect() as conn:
        assert conn.exec_driver_sql("PRAGMA integrity_check").scalar() == "ok"


FULL_DISK_BACKUP = """
import resource, signal, sys
from pathlib import Path
signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
from actdesk.services.backup import BackupError, write_backup
resource.setrlimit(resource.RLIMIT_FSIZE, (20_000, 20_000))  # every file this process writes stops at 20 KB
try:
    write_backup(Path(sys.argv[1]), None, Path(sys.argv[2]), "manual")
except BackupError as exc:
    print(exc)
"""


@pytest.mark.skipif(sys.platform == "win32", reason="RLIMIT_FSIZE is POSIX")
def test_backup_onto_a_full_disk_says_so_and_leaves_no_partial_file(book, tmp_path: Path) -> None:
    with book.session() as s:
        for n in range(30):
            hid = f.household(s, f"Household {n}")
            s.add(NoteRow(household_id=hid, body="notes " * 200))
    folder = tmp_path / "backups"
    folder.mkdir()
    done = subprocess.run(
        [sys.executable, "-c", FULL_DISK_BACKUP, str(book.path), str(folder)],
        capture_output=True, text=True, timeout=60, check=False,
    )  # fmt: skip
    assert "was not written" in done.stdout, done.stderr
    assert list(folder.iterdir()) == []


NOT_WRITABLE = """
import os, sys
import sqlalchemy.dialects.sqlite
from actdesk.storage.errors import BookError
from actdesk.storage.open import open_book
import actdesk.storage.migrate
os.setgid(65534); os.setuid(65534)  # after the imports: the interpreter's files may be unreadable to "nobody"
try:
    open_book(sys.argv[1])
except BookError as exc:
    print(f"actdesk: {exc}", file=sys.stderr)
    sys.exit(1)
"""


def test_a_folder_we_may_not_write_gives_a_clear_message(tmp_path: Path) -> None:
    folder = Path(tempfile.mkdtemp(prefix="actdesk-ro-", dir="/tmp" if os.name == "posix" else None))
    try:
        db = folder / "book.db"
        open_book(db).dispose()
        for leftover in folder.glob("book.db.lock"):
            leftover.unlink()
        os.chmod(folder, 0o555)
        if os.geteuid() == 0:  # root writes anywhere: try as the unprivileged "nobody" instead
            env = {
                **os.environ,
                "ACTDESK_DATA_DIR": str(folder / "data"),
                "ACTDESK_CONFIG_DIR": str(folder / "c"),
            }
            done = subprocess.run(
                [sys.executable, "-c", NOT_WRITABLE, str(db)], capture_output=True, text=True, env=env, timeout=60,
                check=False,
            )  # fmt: skip
            if "Permission denied" in done.stderr and "actdesk:" not in done.stderr:
                pytest.skip("the unprivileged user cannot run this interpreter")
            message, code = done.stderr, done.returncode
        else:
            code = main(["--db", str(db), "backup", "create"])
            message = ""
        assert code == 1
        if message:
            assert "may not write" in message and "read-only" in message and "Traceback" not in message
    finally:
        os.chmod(folder, 0o755)
        shutil.rmtree(folder, ignore_errors=True)


def _damage(path: Path) -> None:
    data = bytearray(path.read_bytes())
    page = 4096
    for offset in range(2 * page, len(data), page):
        data[offset : offset + 64] = os.urandom(64)
    path.write_bytes(bytes(data))


def test_a_damaged_book_is_refused_untouched_and_the_latest_good_backup_restores(
    db_path: Path, capsys
) -> None:
    book = open_book(db_path)
    with book.session() as s:
        for n in range(40):
            f.household(s, f"Household {n}")
    good = backup_now(book, "scheduled")
    with book.engine.connect() as conn:
        conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
    book.dispose()
    _damage(db_path)
    damaged = db_path.read_bytes()
    with pytest.raises(CorruptBookError, match="Restore the latest good backup"):
        open_book(db_path)
    assert db_path.read_bytes() == damaged
    assert main(["--db", str(db_path), "backup", "list"]) == 0  # listing needs no open book
    capsys.readouterr()
    assert main(["--db", str(db_path), "db", "check", "--json"]) == 1
    report = json.loads(capsys.readouterr().out)
    assert report["integrity"]["ok"] is False and report["latest_good_backup"] == good.id
    outcome = open_or_recover(db_path)
    assert outcome.book is None and outcome.latest_good is not None and outcome.latest_good.id == good.id
    _info, moved = restore_latest_good(db_path)
    assert moved is not None and moved.read_bytes() == damaged  # the damaged file is kept, renamed
    book = open_book(db_path)
    try:
        with book.reader() as s:
            assert s.query(HouseholdRow).count() == 40
    finally:
        book.dispose()
