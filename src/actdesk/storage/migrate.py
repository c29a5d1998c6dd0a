"""Schema upgrades: numbered Alembic steps, each in one transaction, the database backed up before any runs."""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import inspect
from sqlalchemy.exc import DatabaseError

from actdesk.storage.engine import Book
from actdesk.storage.errors import CorruptBookError, NewerBookError, NotABookError

log = logging.getLogger(__name__)
MIGRATIONS = Path(__file__).parent / "migrations"

# Set by the backup feature: takes a book and a reason, writes a verified backup and returns its path.
BackupHook = Callable[[Book, str], Path | None]


def alembic_config() -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    return config


def head_revision() -> str:
    head = ScriptDirectory.from_config(alembic_config()).get_current_head()
    assert head is not None
    return head


def known_revisions() -> set[str]:
    return {rev.revision for rev in ScriptDirectory.from_config(alembic_config()).walk_revisions()}


def current_revision(book: Book) -> str | None:
    try:
        with book.engine.connect() as conn:
            return MigrationContext.configure(conn).get_current_revision()
    except DatabaseError as exc:
        raise NotABookError(
            f"{book.url.render_as_string(hide_password=True)} could not be read as a database: {exc.orig}"
        ) from exc


def is_empty(book: Book) -> bool:
    with book.engine.connect() as conn:
        return not inspect(conn).get_table_names()


def sqlite_snapshot(book: Book, reason: str) -> Path | None:
    """A consistent copy next to the database (VACUUM INTO, never a file copy of a live database)."""
    if not book.is_sqlite or book.path is None or not book.path.exists():
        return None
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%S")
    target = book.path.with_name(f"{book.path.stem}.{reason}-{stamp}{book.path.suffix}")
    with book.engine.connect() as conn:
        conn.exec_driver_sql("VACUUM INTO ?", (str(target),))
    return target


def upgrade(book: Book, backup: BackupHook | None = sqlite_snapshot) -> Path | None:
    """Bring the book to the newest schema. Refuses a book written by a newer actdesk."""
    current = current_revision(book)
    head = head_revision()
    if current == head:
        return None
    if current is not None and current not in known_revisions():
        raise NewerBookError(
            "This book was written by a newer version of actdesk. Update actdesk to open it; the book was left untouched."
        )
    if current is None and not is_empty(book):
        raise NotABookError(
            "This database is not an actdesk book (it has other tables); it was left untouched."
        )
    backup_path = None
    if current is not None and backup is not None:
        backup_path = backup(book, "pre-migration")
        log.info("backed up before migrating to %s", backup_path)
    try:
        with book.engine.begin() as conn:
            config = alembic_config()
            config.attributes["connection"] = conn
            command.upgrade(config, "head")
    except DatabaseError as exc:
        raise CorruptBookError(
            f"The book could not be upgraded ({exc.orig}); it was left as it was."
        ) from exc
    return backup_path
