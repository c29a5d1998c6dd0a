"""Open a book the way the app and the CLI do: refuse what is not ours, then migrate with a backup first.

Order matters and every refusal leaves the file untouched: (1) is it an SQLite file, or an encrypted one we
hold the key for; (2) take the writer lock (a second actdesk is told who holds it; read-only skips it);
(3) can the schema be read at all (else corrupt); after a crash, a full integrity check; otherwise a page
scan when one is due (``check_due``: not after a clean close of an untouched book checked within the day,
always before a schema upgrade); (4) migrate, after a backup through the registered backup hook (the backup
service registers itself; default: a snapshot next to the file).
"""

from __future__ import annotations

import logging
import time
from pathlib import Path

from sqlalchemy import Connection
from sqlalchemy.engine import URL
from sqlalchemy.exc import DatabaseError

from actdesk.i18n import _
from actdesk.storage import lock as locks
from actdesk.storage import migrate as migrations
from actdesk.storage.cipher import driver_errors, key_for, might_be_encrypted
from actdesk.storage.engine import Book, book_url, check_sqlite_file, connect
from actdesk.storage.errors import CorruptBookError, EncryptedBookError, NotABookError
from actdesk.storage.files import create_private, make_book_private, remove_leftovers

log = logging.getLogger(__name__)

_backup_hook: migrations.BackupHook | None = None
_removed: dict[Path, list[Path]] = {}
# quick_check reads every page: about 3 ms per MB warm, three times that on a busy 2-core laptop (the window
# runs it on its database worker after the first paint, before any number is shown). Up to 64 MB (a 2,000-household book with ten years of balances) that stays
# near 0.2 s; larger books are checked in full after an unclean exit and page by page by every verified
# backup (VACUUM INTO reads every page, then integrity_check runs on the copy).
QUICK_CHECK_MAX_BYTES = 64 * 1024 * 1024
# A book closed cleanly and unchanged since, whose last passed check is this recent, is opened without the
# page scan (see ``check_due`` and docs/reliability.md). The check is recorded in the book's header
# (``PRAGMA user_version``: minutes since 1970 UTC, 0 for never), so it travels with the file.
QUICK_CHECK_EVERY_MINUTES = 24 * 60


def removed_leftovers(path: Path) -> list[Path]:
    """The temporary files the last writer open of this book removed (``db check`` reports them)."""
    return _removed.get(path, [])


def register_backup_hook(hook: migrations.BackupHook | None) -> None:
    """The backup service registers the function that backs a book up before a migration."""
    global _backup_hook
    _backup_hook = hook


def configure_registered_tables() -> None:
    """Configure the ORM mappers of the tables registered so far, as SQLAlchemy otherwise does at their first
    query. The window calls it on the database worker while it opens the book, with nothing else to do, so
    that the first panel's first query (the Book dashboard's tiles) does not pay it beside the panel's own
    work (issue 21: 15-20 ms of Python sharing the interpreter lock with the GUI thread)."""
    from sqlalchemy.orm import configure_mappers

    configure_mappers()


def _sqlite_path(url: URL) -> Path | None:
    if url.get_backend_name() != "sqlite" or not url.database or url.database == ":memory:":
        return None
    return Path(url.database)


def resolve_key(path: Path, key: str | None) -> str | None:
    """The key for an encrypted file; None for a plain (or new) one. Raises if it is encrypted and we have none."""
    if not might_be_encrypted(path):
        fresh = not path.exists() or path.stat().st_size == 0
        return key if fresh else None  # a new book is created encrypted when a key is given
    key = key or key_for(path)
    if key is None:
        raise EncryptedBookError(
            _(
                "{name} is encrypted (or is not a database) and this computer's keyring holds no key for it "
                "(a key is filed under the book's own identifier, so a moved or copied book keeps it on the "
                "computer that encrypted it). Enter its passphrase, unlock the keyring, or import the key with "
                "'actdesk db key import FILE' (made there with 'actdesk db key export FILE'); the file was left "
                "untouched."
            ).format(name=path.name)
        )
    return key


def _minutes_now() -> int:
    return int(time.time() // 60)


def untouched_since_clean_close(book: Book) -> bool:
    """Whether the last session closed this book cleanly and nothing wrote the file since: the lock file
    was found empty, the book file is no newer than that (another program, a copy over it, a damaged
    sector rewritten all make it newer) and no write-ahead log is left."""
    lock, path = book.lock, book.path
    if lock is None or lock.closed_at_ns is None or path is None:
        return False
    try:
        if path.stat().st_mtime_ns > lock.closed_at_ns:
            return False
        wal = path.with_name(path.name + "-wal")
        return not wal.exists() or wal.stat().st_size == 0
    except OSError:
        return False


def check_due(conn: Connection, book: Book) -> bool:
    """Whether this open runs ``PRAGMA quick_check``: always, unless the book is untouched since a clean
    close and its last passed check (recorded in the book) is under ``QUICK_CHECK_EVERY_MINUTES`` old."""
    if not untouched_since_clean_close(book):
        return True
    last = int(conn.exec_driver_sql("PRAGMA user_version").scalar() or 0)
    age = _minutes_now() - last
    return last <= 0 or not 0 <= age < QUICK_CHECK_EVERY_MINUTES  # a clock set back counts as due


def check_readable(book: Book, *, full: bool, quick: bool | None = True) -> None:
    """Corrupt or wrong key -> a clear error before anything writes. ``full`` runs PRAGMA integrity_check;
    otherwise PRAGMA quick_check runs on books up to ``QUICK_CHECK_MAX_BYTES`` when ``quick`` is True, or
    when it is None and the check is due (``check_due``). A passed check is recorded in a writable book at
    the current schema."""
    try:
        with book.engine.connect() as conn:
            conn.exec_driver_sql("SELECT count(*) FROM sqlite_master").scalar()
            size = book.path.stat().st_size if book.path is not None and book.path.exists() else 0
            # quick_check reads every page (about 0.1 s for 36 MB here); integrity_check also cross-checks
            # indexes and runs after an unclean exit.
            check = None
            if full:
                check = "integrity_check"
            elif size <= QUICK_CHECK_MAX_BYTES and (quick or (quick is None and check_due(conn, book))):
                check = "quick_check"
            if check is not None:
                rows = [r[0] for r in conn.exec_driver_sql(f"PRAGMA {check}").fetchall()]
                if rows != ["ok"]:
                    log.error("integrity check of %s: %s", book.path, "; ".join(rows[:3]))
                    raise CorruptBookError(_damaged(book))
                # Recorded only in a book at this version's schema: a newer book must be left byte for byte
                # as it was, and an older one is checked again after its upgrade.
                if not book.read_only and migrations.is_current(book):
                    conn.exec_driver_sql(f"PRAGMA user_version = {_minutes_now()}")
                    conn.commit()
    except DatabaseError as exc:
        message = str(exc.orig)
        log.error("opening %s: %s", book.path, message)  # SQLite's own words go to the log, not the sentence
        if book.key is not None and "not a database" in message:
            raise EncryptedBookError(_wrong_key()) from exc
        if "malformed" in message or "corrupt" in message or "not a database" in message:
            raise CorruptBookError(_damaged(book)) from exc
        raise NotABookError(
            _("The book could not be read (the details are in the log file); it was left untouched.")
        ) from exc
    except driver_errors() as exc:  # sqlcipher3 errors arrive unwrapped (SQLAlchemy knows sqlite3's classes)
        log.error("opening %s: %s", book.path, exc)
        if book.key is not None and "not a database" in str(exc):
            raise EncryptedBookError(_wrong_key()) from exc
        raise CorruptBookError(_damaged(book)) from exc


def _wrong_key() -> str:
    return _(
        "The passphrase or key does not open this book (or it is not a database); it was left untouched."
    )


def _damaged(book: Book) -> str:
    return _(
        "{name} is damaged. Restore the latest good backup (File → Backups…, or actdesk backup list / "
        "restore); the file was left untouched."
    ).format(name=book.path.name if book.path else _("The book"))


def open_book(
    target: str | Path | URL,
    *,
    migrate: bool = True,
    read_only: bool = False,
    key: str | None = None,
    integrity_check: bool | None = None,
) -> Book:
    """Open (and by default migrate) a book. ``integrity_check=None`` checks fully only after an unclean exit."""
    url = target if isinstance(target, URL) else book_url(target)
    path = _sqlite_path(url)
    lock = None
    if path is not None:
        key = resolve_key(path, key)
        if key is None:
            check_sqlite_file(path)  # a file that is no book: refused before its mode or lock is touched
        if not read_only:
            path.parent.mkdir(parents=True, exist_ok=True)
            lock = locks.acquire(path)
            # Holding the writer lock, nothing live owns the temporary copies of an interrupted operation.
            _removed[path] = remove_leftovers(path)
            if not path.exists():
                create_private(path)  # a new book is 0600 from its first byte (SQLite keeps the mode)
            make_book_private(path)
    try:
        book = connect(url, read_only=read_only, key=key)
    except BaseException:
        if lock is not None:
            lock.release()
        raise
    book.lock = lock
    try:
        if path is not None and path.exists() and path.stat().st_size > 0:
            full = integrity_check if integrity_check is not None else bool(lock and lock.unclean_shutdown)
            # A schema upgrade cannot be undone in place: the book is checked before it, whatever its record.
            upgrading = migrate and not read_only and not migrations.is_current(book)
            check_readable(book, full=full, quick=True if upgrading or read_only else None)
        if migrate and not read_only:
            hook = _backup_hook or migrations.sqlite_snapshot
            migrations.upgrade(book, backup=hook)
    except BaseException:
        book.dispose()
        raise
    return book
