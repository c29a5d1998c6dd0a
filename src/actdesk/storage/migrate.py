"""Schema upgrades: numbered Alembic steps, each in one transaction, the database backed up before any runs."""

from __future__ import annotations

import logging
import re
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy import inspect
from sqlalchemy.exc import DatabaseError

from actdesk.i18n import _
from actdesk.storage.cipher import driver_errors
from actdesk.storage.engine import Book
from actdesk.storage.errors import CorruptBookError, NewerBookError, NotABookError

if TYPE_CHECKING:
    from alembic.config import Config

# Alembic costs 0.15-0.3 s of imports; an up-to-date book (every start but the first after an upgrade) is
# recognised without it, from the revision identifiers written in the migration files.
_REVISION_LINE = re.compile(
    r"""^(down_revision|revision)\s*(?::[^=]*)?=\s*(None|"[^"]*"|'[^']*')\s*$""", re.M
)

log = logging.getLogger(__name__)
MIGRATIONS = Path(__file__).parent / "migrations"

# Set by the backup feature: takes a book and a reason, writes a verified backup and returns its path.
BackupHook = Callable[[Book, str], Path | None]


def alembic_config() -> Config:
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    return config


def head_revision() -> str:
    from alembic.script import ScriptDirectory

    head = ScriptDirectory.from_config(alembic_config()).get_current_head()
    assert head is not None
    return head


def known_revisions() -> set[str]:
    from alembic.script import ScriptDirectory

    return {rev.revision for rev in ScriptDirectory.from_config(alembic_config()).walk_revisions()}


def current_revision(book: Book) -> str | None:
    from alembic.runtime.migration import MigrationContext

    try:
        with book.engine.connect() as conn:
            return MigrationContext.configure(conn).get_current_revision()
    except DatabaseError as exc:
        log.error("reading the revision of %s: %s", book.url.render_as_string(hide_password=True), exc.orig)
        raise NotABookError(
            _("{book} could not be read as a database; it was left untouched.").format(
                book=book.path.name if book.path else book.url.render_as_string(hide_password=True)
            )
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


def file_head() -> str | None:
    """The head revision read from the migration files' ``revision``/``down_revision`` lines, or None when
    that is not certain (no files, a merge, several heads): callers then ask Alembic."""
    revisions: set[str] = set()
    parents: set[str] = set()
    for path in (MIGRATIONS / "versions").glob("*.py"):
        text = path.read_text(encoding="utf-8")
        found: dict[str, str] = {m.group(1): m.group(2) for m in _REVISION_LINE.finditer(text)}
        if "revision" not in found or "down_revision" not in found or found["revision"] == "None":
            if path.name != "__init__.py":
                return None
            continue
        revisions.add(found["revision"][1:-1])
        if found["down_revision"] != "None":
            parents.add(found["down_revision"][1:-1])
    heads = revisions - parents
    return heads.pop() if len(heads) == 1 and parents <= revisions else None


def is_current(book: Book) -> bool:
    """True when the book is certainly at the newest schema, decided without importing Alembic."""
    head = file_head()
    if head is None:
        return False
    try:
        with book.engine.connect() as conn:
            rows = conn.exec_driver_sql("SELECT version_num FROM alembic_version").fetchall()
    except DatabaseError:
        return False  # no version table (new or foreign file) or unreadable: the full path decides
    except driver_errors():  # sqlcipher3's errors arrive unwrapped
        return False
    return [r[0] for r in rows] == [head]


def upgrade(book: Book, backup: BackupHook | None = sqlite_snapshot) -> Path | None:
    """Bring the book to the newest schema. Refuses a book written by a newer actdesk."""
    if is_current(book):
        return None
    from alembic import command

    current = current_revision(book)
    head = head_revision()
    if current == head:
        return None
    if current is not None and current not in known_revisions():
        raise NewerBookError(
            _(
                "This book was written by a newer version of actdesk. Update actdesk to open it; the book was "
                "left untouched."
            )
        )
    if current is None and not is_empty(book):
        raise NotABookError(
            _("This database is not an actdesk book (it has other tables); it was left untouched.")
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
        log.error("upgrading %s: %s", book.path, exc.orig)
        raise CorruptBookError(
            _("The book could not be upgraded (the details are in the log file); it was left as it was.")
        ) from exc
    return backup_path
