"""When opening a book scans its pages (issue 21): ``PRAGMA quick_check`` runs unless the book was closed
cleanly, nothing wrote the file since, and its last passed check (recorded in the book) is under a day old.

Each path is tested on real damage: a few pages near the end of the file overwritten (the schema pages are
left alone, so only a page scan finds it). Whether a check ran is read from the book itself: a passed check
records its minute in ``PRAGMA user_version``.
"""

from __future__ import annotations

import json
import os
import sqlite3
import time
from dataclasses import asdict
from pathlib import Path

import pytest
from tests import factories as f

from actdesk.storage import lock as locks
from actdesk.storage.errors import CorruptBookError
from actdesk.storage.open import QUICK_CHECK_EVERY_MINUTES, open_book

PAGE = 4096


def minutes_now() -> int:
    return int(time.time() // 60)


def recorded(path: Path) -> int:
    with sqlite3.connect(path) as raw:
        return int(raw.execute("PRAGMA user_version").fetchone()[0])


def closed_book(path: Path, *, last_check: int) -> None:
    """A book with some rows, its last check set to ``last_check``, closed cleanly."""
    book = open_book(path)
    try:
        with book.session() as s:
            for n in range(60):
                f.household(s, f"Household {n}")
        with book.engine.connect() as conn:
            conn.exec_driver_sql(f"PRAGMA user_version = {last_check}")
            conn.commit()
            conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
    finally:
        book.dispose()


def damage_quietly(path: Path) -> bytes:
    """Overwrite the headers of the file's last pages, then give the file back its modification time (as
    damage on the disk itself would): the book looks untouched since its clean close."""
    before = path.stat()
    data = bytearray(path.read_bytes())
    pages = len(data) // PAGE
    for page in range(max(3, pages - 4), pages):
        data[page * PAGE : page * PAGE + 64] = os.urandom(64)
    path.write_bytes(bytes(data))
    os.utime(path, ns=(before.st_atime_ns, before.st_mtime_ns))
    return bytes(data)


def test_a_clean_book_checked_lately_opens_without_a_scan_and_an_old_check_is_redone(db_path: Path) -> None:
    recent = minutes_now() - 5
    closed_book(db_path, last_check=recent)
    book = open_book(db_path)
    book.dispose()
    assert recorded(db_path) == recent  # no check ran: none was recorded

    old = minutes_now() - QUICK_CHECK_EVERY_MINUTES - 1
    closed_book(db_path, last_check=old)
    book = open_book(db_path)
    book.dispose()
    assert recorded(db_path) >= minutes_now() - 1  # the check ran and was recorded


def test_quiet_damage_is_found_by_the_daily_check(db_path: Path) -> None:
    """The trade-off, pinned: damage that leaves the file's time alone waits for the next due check (the
    same day's opens skip the scan); that check refuses the book and leaves it untouched."""
    closed_book(db_path, last_check=minutes_now() - QUICK_CHECK_EVERY_MINUTES - 1)
    damaged = damage_quietly(db_path)
    with pytest.raises(CorruptBookError, match="Restore the latest good backup"):
        open_book(db_path)
    assert db_path.read_bytes() == damaged


def test_a_book_written_since_its_clean_close_is_checked(db_path: Path) -> None:
    closed_book(db_path, last_check=minutes_now() - 5)
    damaged = damage_quietly(db_path)
    os.utime(db_path)  # written by something else after actdesk closed it
    with pytest.raises(CorruptBookError):
        open_book(db_path)
    assert db_path.read_bytes() == damaged


def test_after_an_unclean_exit_the_book_is_checked_in_full(db_path: Path) -> None:
    closed_book(db_path, last_check=minutes_now() - 5)
    damaged = damage_quietly(db_path)
    crashed = locks.LockHolder.current()
    crashed = locks.LockHolder(**{**asdict(crashed), "pid": 2**22 + 12345})  # a process that is gone
    locks.lock_path(db_path).write_text(json.dumps(asdict(crashed)), encoding="utf-8")
    with pytest.raises(CorruptBookError):
        open_book(db_path)
    assert db_path.read_bytes() == damaged


def test_a_book_about_to_be_upgraded_is_checked_whatever_its_record(db_path: Path) -> None:
    """A schema upgrade cannot be undone in place: a pending one forces the scan before anything writes."""
    closed_book(db_path, last_check=minutes_now() - 5)
    raw = sqlite3.connect(db_path)
    with raw:
        raw.execute("UPDATE alembic_version SET version_num = '0013_older'")
    raw.close()
    damaged = damage_quietly(db_path)
    lock_file = locks.lock_path(db_path)
    os.utime(lock_file)  # as if actdesk had closed it after the change above
    with pytest.raises(CorruptBookError):
        open_book(db_path)
    assert db_path.read_bytes() == damaged


@pytest.mark.parametrize("command", [["kpis", "--json"], ["alerts", "--json"]])
def test_a_newer_book_is_left_byte_for_byte_by_a_command(db_path: Path, capsys, command: list[str]) -> None:  # type: ignore[no-untyped-def]
    """A book written by a newer actdesk is refused and left exactly as it was: its passed page scan is not
    recorded in it (the header's user_version would have changed the file before the refusal)."""
    from actdesk.cli import main

    closed_book(db_path, last_check=0)
    raw = sqlite3.connect(db_path)
    with raw:
        raw.execute("UPDATE alembic_version SET version_num = '9999_from_the_future'")
    raw.close()
    before = db_path.read_bytes()
    assert main(["--db", str(db_path), *command]) != 0
    assert "newer" in capsys.readouterr().err
    assert db_path.read_bytes() == before


def test_a_quietly_damaged_book_within_the_day_is_opened_as_documented(db_path: Path) -> None:
    """The other side of the trade-off: within a day of a passed check, an untouched clean book is trusted
    (SQLite still refuses a damaged page when it is read; the next due check or backup finds it)."""
    recent = minutes_now() - 5
    closed_book(db_path, last_check=recent)
    damage_quietly(db_path)
    book = open_book(db_path)
    book.dispose()
    assert recorded(db_path) == recent
