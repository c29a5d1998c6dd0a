"""Kill a real writer with SIGKILL at random points, many times: the book stays intact and keeps every
change the writer reported saved (a line is printed only after its commit returned)."""

from __future__ import annotations

import random
import sqlite3
from pathlib import Path

import pytest

from actdesk.storage.open import open_book

from .conftest import kill_hard, start_writer


def _crash_rounds(db: Path, rounds: int, seed: int) -> tuple[dict[int, int], dict[int, int]]:
    rng = random.Random(seed)
    households: dict[int, int] = {}
    owners: dict[int, int] = {}
    for _ in range(rounds):
        proc = start_writer(db, "burst")
        assert proc.stdout is not None
        wanted = rng.randint(1, 60)
        lines = [proc.stdout.readline() for _ in range(wanted)]
        lines += kill_hard(proc)
        for line in lines:
            parts = line.split()
            if len(parts) == 3 and parts[0] == "h":
                households[int(parts[1])] = int(parts[2])
            elif len(parts) == 3 and parts[0] == "u":
                owners[int(parts[1])] = max(owners.get(int(parts[1]), -1), int(parts[2]))
    return households, owners


def _check(db: Path, households: dict[int, int], owners: dict[int, int]) -> None:
    with sqlite3.connect(db) as conn:
        assert conn.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
        stored = dict(conn.execute("SELECT household_id, id FROM contacts").fetchall())
        stored_owner = {hid: int(owner) for hid, owner in conn.execute("SELECT id, owner FROM households")}
    missing = {h: c for h, c in households.items() if stored.get(h) != c}
    assert missing == {}, f"{len(missing)} committed changes lost"
    for hid, value in owners.items():
        assert stored_owner[hid] >= value  # a later update may have committed just before the kill
    # Every household got its contact in the same unit of work: no half-written pair survives a kill.
    assert set(stored) == set(stored_owner)
    # The stale lock of the killed writer clears by itself; the open notices the unclean exit and checks fully.
    book = open_book(db)
    try:
        assert book.lock is not None and book.lock.unclean_shutdown
    finally:
        book.dispose()


def test_sigkill_during_bursts_loses_nothing_reported(db_path: Path) -> None:
    open_book(db_path).dispose()
    households, owners = _crash_rounds(db_path, rounds=3, seed=11)
    assert len(households) >= 3
    _check(db_path, households, owners)


@pytest.mark.slow
def test_sigkill_many_times_loses_nothing_reported(db_path: Path) -> None:
    open_book(db_path).dispose()
    households, owners = _crash_rounds(db_path, rounds=15, seed=2026)
    _check(db_path, households, owners)
