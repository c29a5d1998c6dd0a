"""Queries live in repositories (storage/): the window and the command line ask storage, never write SQL.

A query written inline in a view is the next one to be copied (household names were queried five ways)."""

from __future__ import annotations

import ast
from pathlib import Path

SRC = Path(__file__).resolve().parents[1] / "src" / "actdesk"
QUERY_NAMES = {"select", "text", "insert", "update", "delete", "func", "and_", "or_", "case", "exists"}
# Written by the CLI-validation work (issue 25) while this rule landed; to move into a repository.
PENDING = {"cli/validation.py"}


def inline_sql(source: str) -> list[str]:
    """The SQL-building names a module imports from SQLAlchemy, and any ORM table it imports."""
    found: list[str] = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.ImportFrom) and node.module:
            if node.module.startswith("sqlalchemy"):
                found += [a.name for a in node.names if a.name in QUERY_NAMES]
            elif node.module.startswith("actdesk.storage.tables"):
                found += [f"{node.module}.{a.name}" for a in node.names]
    return found


def test_ui_and_cli_write_no_queries() -> None:
    offenders = {
        rel: names
        for path in sorted([*(SRC / "ui").rglob("*.py"), *(SRC / "cli").rglob("*.py")])
        if (rel := path.relative_to(SRC).as_posix()) not in PENDING
        and (names := inline_sql(path.read_text(encoding="utf-8")))
    }
    assert offenders == {}


def test_the_check_sees_a_planted_query() -> None:
    planted = "def f(s):\n    from sqlalchemy import select\n    from actdesk.storage.tables.book import HouseholdRow\n"
    assert inline_sql(planted) == ["select", "actdesk.storage.tables.book.HouseholdRow"]
    assert inline_sql("from sqlalchemy.engine import make_url\n") == []


# Services whose queries moved into storage/repositories (issue 24 item 4, issue 21 item 6); they stay clean.
ORCHESTRATING = (
    "services/analytics.py",
    "services/dashboard/client.py",
    "services/dashboard/coaching.py",
    "services/dashboard/snapshot.py",
    "services/dashboard/book.py",
)


def test_orchestrating_services_write_no_queries() -> None:
    offenders = {rel: names for rel in ORCHESTRATING if (names := inline_sql((SRC / rel).read_text("utf-8")))}
    assert offenders == {}
    assert not (SRC / "services" / "reports" / "queries.py").exists()  # now storage/repositories/reports.py
