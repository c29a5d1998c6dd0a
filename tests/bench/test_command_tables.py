"""Commands map only the tables they use (issue 21, sixth wave), seen in fresh processes with ``-X importtime``.

Opening a book used to map all 39 tables (the audit trail's import of its own table imported the whole
package): about 0.1 s of every command. ``alerts --json`` and a cold ``kpis`` / ``probabilities --json``
(no kept answer) now map the book's, the alerts', the client periods', the trail's and the series cache's
tables only. The detector is proven on a command that needs the whole schema (``db check`` walks every
table), so a green run means the modules really were absent.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from tests.bench.test_import_hygiene import demo_book_by_cli, full_names

ELSEWHERE = {
    f"actdesk.storage.tables.{name}"
    for name in ("engagement", "mail", "mail_inbox", "pipeline", "schedule", "team", "imports")
}


@pytest.fixture(scope="module")
def demo_book(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return demo_book_by_cli(tmp_path_factory, seed=5)


def forget_answers(book: Path) -> None:
    with sqlite3.connect(book) as raw:
        raw.execute("DELETE FROM series_cache WHERE key LIKE 'answer:%'")
    raw.close()


def test_the_detector_sees_every_table_where_the_whole_schema_is_needed(demo_book: Path) -> None:
    env = {"ACTDESK_CONFIG_DIR": str(demo_book.parent / "config")}
    modules = full_names(["-m", "actdesk", "--db", str(demo_book), "db", "check", "--json"], env)
    assert modules >= ELSEWHERE


@pytest.mark.parametrize("command", ["alerts", "kpis", "probabilities"])
def test_a_computing_command_maps_only_the_tables_it_uses(demo_book: Path, command: str) -> None:
    env = {"ACTDESK_CONFIG_DIR": str(demo_book.parent / "config")}
    forget_answers(demo_book)  # computed, not printed from a kept answer
    argv = ["-m", "actdesk", "--db", str(demo_book), command, "--json", "--as-of", "2026-10-31"]
    modules = full_names(argv, env)
    assert {"pandas", "actdesk.storage.tables.book"} <= modules  # it computed
    assert not modules & ELSEWHERE, sorted(modules & ELSEWHERE)
