"""One writer at a time: a second actdesk is told who holds the book and may open it read-only."""

from __future__ import annotations

import json
import os
import socket
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from actdesk.cli import main
from actdesk.storage import lock as locks
from actdesk.storage.errors import BookLockedError
from actdesk.storage.open import open_book
from actdesk.storage.tables.book import HouseholdRow

from .conftest import kill_hard


def test_second_process_is_refused_with_the_holders_name_and_may_read(db_path: Path, writer_factory) -> None:
    book = open_book(db_path)
    with book.session() as s:
        s.add(HouseholdRow(name="Okafor household", status="client"))
    book.dispose()
    holder = writer_factory(db_path, "hold")
    with pytest.raises(BookLockedError) as caught:
        open_book(db_path)
    assert caught.value.holder is not None
    assert f"process {holder.pid}" in caught.value.holder
    assert socket.gethostname() in str(caught.value)
    reader = open_book(db_path, read_only=True)
    try:
        with reader.reader() as s:
            assert [h.name for h in s.query(HouseholdRow)] == ["Okafor household"]
    finally:
        reader.dispose()


def test_lock_of_a_killed_holder_clears_and_the_next_open_checks_the_book(
    db_path: Path, writer_factory
) -> None:
    open_book(db_path).dispose()
    holder = writer_factory(db_path, "hold")
    with pytest.raises(BookLockedError):
        open_book(db_path)
    kill_hard(holder)
    book = open_book(db_path)
    try:
        assert book.lock is not None
        assert book.lock.unclean_shutdown
        assert book.lock.previous is not None and book.lock.previous.pid == holder.pid
    finally:
        book.dispose()
    assert locks.lock_path(db_path).read_text() == ""  # a clean close leaves the marker empty
    again = open_book(db_path)
    try:
        assert again.lock is not None and not again.lock.unclean_shutdown
    finally:
        again.dispose()


def test_same_process_shares_the_lock_and_releases_it_last(db_path: Path) -> None:
    first = open_book(db_path)
    second = open_book(db_path)
    assert first.lock is second.lock
    first.dispose()
    assert second.lock is not None and second.lock.held
    second.dispose()
    assert not locks.lock_path(db_path).read_text()


def test_cli_reports_a_locked_book_in_one_line(db_path: Path, writer_factory, capsys) -> None:
    open_book(db_path).dispose()
    writer_factory(db_path, "hold")
    code = main(["--db", str(db_path), "backup", "create"])
    err = capsys.readouterr().err
    assert code == 1
    assert "is open in" in err and "read-only" in err and "Traceback" not in err
    # db check still works: it falls back to a read-only look and names the holder.
    assert main(["--db", str(db_path), "db", "check", "--json"]) == 0
    report = json.loads(capsys.readouterr().out)
    assert report["lock"]["held_by_us"] is False and "process" in report["lock"]["holder"]


def _holder(pid: int, host: str, beat: datetime) -> locks.LockHolder:
    stamp = beat.isoformat(timespec="seconds")
    return locks.LockHolder(user="ann", host=host, pid=pid, app_version="0.1", since=stamp, heartbeat=stamp)


def test_content_only_staleness_rules() -> None:
    now = datetime.now(UTC)
    here = socket.gethostname()
    assert not _holder(os.getpid(), here, now).is_stale(now)
    assert _holder(2**22 + 12345, here, now).is_stale(now)  # no such process on this host
    assert not _holder(1, "other-laptop", now - timedelta(minutes=2)).is_stale(now)
    assert _holder(1, "other-laptop", now - timedelta(hours=1)).is_stale(now)  # stopped beating
    assert locks.LockHolder.parse("garbage") is None
