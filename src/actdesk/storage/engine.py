"""Engine, connection settings and the session factory for one book.

One ``Book`` per database. The caller owns each unit of work (``with book.session() as s:``) and its
transaction; sessions never cross threads.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import URL, make_url
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import Session, sessionmaker
from sqlalchemy.orm.exc import StaleDataError
from sqlalchemy.pool import QueuePool

from actdesk.i18n import _
from actdesk.storage.errors import BookNotWritableError, ConflictError, DiskFullError, NotABookError
from actdesk.storage.lock import BookLock

SQLITE_PRAGMAS = (
    "PRAGMA foreign_keys=ON",
    # FULL in WAL mode syncs the log on every commit, so a committed change survives a power loss.
    "PRAGMA synchronous=FULL",
    "PRAGMA busy_timeout=5000",
    "PRAGMA temp_store=MEMORY",
    "PRAGMA cache_size=-8000",
)


def book_url(target: str | Path) -> URL:
    """A database URL from a path or URL text (``postgresql+psycopg://...`` or ``sqlite:///...``)."""
    text = str(target)
    if "://" in text:
        return make_url(text)
    return URL.create("sqlite", database=str(Path(text).expanduser().resolve()))


def _on_sqlite_connect(dbapi_connection: Any, _record: Any) -> None:
    cursor = dbapi_connection.cursor()
    try:
        mode = cursor.execute("PRAGMA journal_mode").fetchone()[0]
        if str(mode).lower() not in ("wal", "memory"):
            cursor.execute("PRAGMA journal_mode=WAL")
        for pragma in SQLITE_PRAGMAS:
            cursor.execute(pragma)
    finally:
        cursor.close()


def make_engine(url: URL, *, read_only: bool = False, key: str | None = None, **kwargs: Any) -> Engine:
    if url.get_backend_name() == "sqlite":
        database = url.database or ""
        if database and database != ":memory:":
            Path(database).parent.mkdir(parents=True, exist_ok=True)
        if key is not None and database:
            from actdesk.storage.cipher import cipher_connect

            # SQLCipher through the plain dialect with a creator that applies the key; the pool reuses
            # connections because each key derivation costs tens of milliseconds.
            kwargs.setdefault("poolclass", QueuePool)
            engine = create_engine(
                "sqlite://",
                creator=lambda: cipher_connect(database, key, read_only=read_only, check=False),
                **kwargs,
            )
        elif read_only and database:
            uri = f"file:{Path(database).as_posix()}?mode=ro"
            kwargs.setdefault("poolclass", QueuePool)
            engine = create_engine(
                "sqlite://",
                creator=lambda: sqlite3.connect(uri, uri=True, check_same_thread=False),
                **kwargs,
            )
        else:
            engine = create_engine(url, connect_args={"check_same_thread": False}, **kwargs)
        event.listen(engine, "connect", _on_sqlite_connect)
        return engine
    from actdesk.storage.server import on_postgresql_connect, with_keyring_password

    engine = create_engine(with_keyring_password(url), pool_pre_ping=True, **kwargs)
    if url.get_backend_name() == "postgresql" and url.get_driver_name() == "psycopg":
        event.listen(engine, "connect", on_postgresql_connect)  # aggregates read back as SQLite's
    return engine


@dataclass
class Book:
    """An open book: its URL, engine and session factory."""

    url: URL
    engine: Engine
    sessions: sessionmaker[Session]
    read_only: bool = False
    # The writer lock (None for read-only opens and servers) and the SQLCipher key (None: plain file).
    lock: BookLock | None = None
    key: str | None = None

    @property
    def encrypted(self) -> bool:
        return self.key is not None

    @property
    def is_sqlite(self) -> bool:
        return self.url.get_backend_name() == "sqlite"

    @property
    def path(self) -> Path | None:
        return Path(self.url.database) if self.is_sqlite and self.url.database else None

    @contextmanager
    def session(self) -> Iterator[Session]:
        """One unit of work: commits on success, rolls back on any error.

        A full disk or a read-only file becomes a clear ``DiskFullError``/``BookNotWritableError`` after
        the rollback, so the caller can keep the user's input and say what to do.
        """
        try:
            with self.sessions() as session, session.begin():
                yield session
        except OperationalError as exc:
            raise storage_error(exc) from exc
        except StaleDataError as exc:  # a versioned row changed under us (another instance saved first)
            raise ConflictError(
                _(
                    "This record was changed by someone else since you opened it; nothing of yours was saved. "
                    "Reload it, then make your change again."
                )
            ) from exc

    @contextmanager
    def reader(self) -> Iterator[Session]:
        """A read-only unit of work (never commits)."""
        with self.sessions() as session:
            try:
                yield session
            finally:
                session.rollback()

    def dispose(self) -> None:
        self.engine.dispose()
        if self.lock is not None:
            lock, self.lock = self.lock, None
            lock.release()


def storage_error(exc: OperationalError) -> Exception:
    """The clear error for a write the disk refused; other operational errors pass through unchanged."""
    text = str(exc.orig).lower()
    if "disk is full" in text or "database or disk is full" in text:
        return DiskFullError(
            _(
                "The disk is full: the last change was not saved (nothing was half-written). "
                "Free some disk space, then save again."
            )
        )
    if "readonly" in text or "read-only" in text or "permission" in text:
        return BookNotWritableError(
            _(
                "The book cannot be written here (read-only file or folder, or no permission): the last change "
                "was not saved. Move the book to a folder you can write to, or open it read-only."
            )
        )
    return exc


def check_sqlite_file(path: Path) -> None:
    """Refuse a file that is not an SQLite database before SQLAlchemy or Alembic touches it."""
    if not path.exists() or path.stat().st_size == 0:
        return
    with path.open("rb") as fh:
        header = fh.read(16)
    if header != b"SQLite format 3\x00":
        raise NotABookError(
            _(
                "{path} is not an actdesk book (not an SQLite database, or encrypted); it was left untouched."
            ).format(path=path)
        )


def connect(
    target: str | Path | URL, *, read_only: bool = False, key: str | None = None, **engine_kwargs: Any
) -> Book:
    """Open (without migrating or locking) the book at ``target``; ``key`` opens an SQLCipher book."""
    from actdesk.storage.audit_log import install_audit
    from actdesk.storage.text_guard import install_text_guard

    url = target if isinstance(target, URL) else book_url(target)
    if key is None and url.get_backend_name() == "sqlite" and url.database and url.database != ":memory:":
        check_sqlite_file(Path(url.database))
    engine = make_engine(url, read_only=read_only, key=key, **engine_kwargs)
    sessions = sessionmaker(engine, expire_on_commit=False)
    install_text_guard(sessions)
    install_audit(sessions)
    if url.get_backend_name() == "postgresql":
        from actdesk.storage.notices import install_notices

        install_notices(sessions)  # other instances on the same server see this one's edits
    return Book(url=url, engine=engine, sessions=sessions, read_only=read_only, key=key)
