"""The migrations build exactly the schema the ORM declares, and a newer or foreign database is refused."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext

from actdesk.storage import migrate
from actdesk.storage.errors import NewerBookError, NotABookError
from actdesk.storage.open import open_book
from actdesk.storage.tables import metadata


def test_migrations_match_the_orm(book) -> None:
    with book.engine.connect() as conn:
        diff = compare_metadata(MigrationContext.configure(conn, opts={"compare_type": False}), metadata)
    assert diff == []


def test_book_is_at_head(book) -> None:
    assert migrate.current_revision(book) == migrate.head_revision()


def test_newer_book_is_refused_and_untouched(db_path: Path) -> None:
    open_book(db_path).dispose()
    with sqlite3.connect(db_path) as conn:
        conn.execute("UPDATE alembic_version SET version_num='9999_future'")
    before = db_path.read_bytes()
    with pytest.raises(NewerBookError):
        open_book(db_path)
    assert db_path.read_bytes() == before


def test_not_a_database_is_refused_and_untouched(tmp_path: Path) -> None:
    path = tmp_path / "notes.db"
    path.write_text("these are my notes, not a database\n")
    with pytest.raises(NotABookError):
        open_book(path)
    assert path.read_text() == "these are my notes, not a database\n"


def test_foreign_sqlite_database_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "other.db"
    with sqlite3.connect(path) as conn:
        conn.execute("CREATE TABLE recipes (name TEXT)")
    with pytest.raises(NotABookError):
        open_book(path)


def test_upgrade_backs_up_first(db_path: Path) -> None:
    book = open_book(db_path, migrate=False)
    with book.engine.begin() as conn:
        config = migrate.alembic_config()
        config.attributes["connection"] = conn
        from alembic import command

        command.upgrade(config, "0001_book")
    backup = migrate.upgrade(book)
    book.dispose()
    assert backup is not None and backup.exists()
