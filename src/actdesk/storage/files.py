"""Files that hold client data are private to their owner, and temporary ones never outlive a crash.

A book, its WAL and shared-memory files, its backups and the temporary copies made while encrypting,
decrypting or backing up are created ``0600`` (SQLite gives ``-wal``/``-shm`` the main file's mode), the
way KeePassXC and ssh treat their key files. Temporary copies live in the book's own folder (one file
system: the final rename is atomic) under known names; a process killed mid-way leaves them behind, so the
next writer to open the book removes them (``open_book`` holds the writer lock then, so no live operation
owns them) and ``actdesk db check`` reports any it finds. Other parts register where their own temporary
files go (the backup service: ``.<id>.partial`` in the book's backup folder).
"""

from __future__ import annotations

import logging
import os
import stat
from collections.abc import Callable
from pathlib import Path

log = logging.getLogger(__name__)
PRIVATE = 0o600
TEMPORARY_SUFFIXES = (".encrypting", ".decrypting")
SIDE_FILES = ("", "-wal", "-shm", "-journal")
_finders: list[Callable[[Path], list[Path]]] = []


def create_private(path: Path) -> Path:
    """An empty file at ``path`` readable by its owner only (replacing a stale one); SQLite then writes into
    it, keeping that mode, instead of creating the file with the process's default (often 0644)."""
    path.unlink(missing_ok=True)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, PRIVATE)
    os.close(fd)
    return path


def make_private(path: Path) -> None:
    """Tighten an existing file of ours to 0600 (a book written by an older version, say)."""
    try:
        mode = path.stat().st_mode
        if stat.S_IMODE(mode) & 0o077 and path.stat().st_uid == getattr(os, "getuid", lambda: -1)():
            path.chmod(PRIVATE)
    except OSError:
        pass


def make_book_private(database: Path) -> None:
    for suffix in SIDE_FILES:
        make_private(database.with_name(database.name + suffix))


def temporary_copy(database: Path, purpose: str) -> Path:
    """The name of a temporary full copy of the book (``.book.db.decrypting``), created 0600."""
    return create_private(database.with_name(f".{database.name}.{purpose}"))


def register_leftover_finder(finder: Callable[[Path], list[Path]]) -> None:
    if finder not in _finders:
        _finders.append(finder)


def leftovers(database: Path) -> list[Path]:
    """Temporary files an interrupted operation on this book left behind."""
    found: list[Path] = []
    for purpose in TEMPORARY_SUFFIXES:
        base = database.with_name(f".{database.name}{purpose}")
        found.extend(p for p in (base.with_name(base.name + s) for s in SIDE_FILES) if p.exists())
    for finder in _finders:
        try:
            found.extend(finder(database))
        except OSError:
            continue
    return found


def remove_leftovers(database: Path) -> list[Path]:
    """Delete what ``leftovers`` finds (call only while holding the book's writer lock)."""
    removed = []
    for path in leftovers(database):
        try:
            path.unlink()
            removed.append(path)
            log.info("removed %s, left behind by an interrupted operation", path.name)
        except OSError:
            continue
    return removed
