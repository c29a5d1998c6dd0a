"""Start-up shortcuts stay correct: the migration head read without Alembic equals Alembic's, an
up-to-date book opens without importing Alembic, and the window's command line needs only ``cmd_gui``."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from actdesk.cli import _window_only
from actdesk.storage import migrate
from actdesk.storage.open import open_book


def test_head_read_from_the_files_is_alembics_head() -> None:
    assert migrate.file_head() == migrate.head_revision()


def test_only_an_up_to_date_book_skips_alembic(db_path: Path) -> None:
    book = open_book(db_path)  # created and migrated through Alembic
    try:
        assert migrate.is_current(book)
        with book.engine.begin() as conn:
            conn.exec_driver_sql("UPDATE alembic_version SET version_num = '0008_audit'")
        assert not migrate.is_current(book)
    finally:
        book.dispose()


def test_opening_an_up_to_date_book_does_not_import_alembic(db_path: Path) -> None:
    open_book(db_path).dispose()
    probe = "import sys; from actdesk.storage.open import open_book; open_book(sys.argv[1]).dispose();"
    probe += "print('alembic' in sys.modules)"
    done = subprocess.run(
        [sys.executable, "-c", probe, str(db_path)], capture_output=True, text=True, timeout=60
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "False"


def test_window_command_lines_take_the_fast_parser() -> None:
    assert _window_only([])
    assert _window_only(["--db", "book.db"])
    assert _window_only(["--db", "book.db", "--lang", "es", "gui", "--smoke"])
    assert not _window_only(["--help"])
    assert not _window_only(["--db", "gui", "households", "list"])  # "gui" here is the book's name
    assert not _window_only(["alerts", "list"])
