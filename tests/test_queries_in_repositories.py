"""Queries live in repositories (storage/): the window, the command line and the services ask storage,
never write SQL; services orchestrate.

A query written inline in a view is the next one to be copied (household names were queried five ways)."""

from __future__ import annotations

import ast
from pathlib import Path

SRC = Path(__file__).resolve().parents[1] / "src" / "actdesk"
QUERY_NAMES = {"select", "text", "insert", "update", "delete", "func", "and_", "or_", "case", "exists"}
# Moved into repositories by the reports/analytics work (issue 21, branch wave3-21); nothing else may join.
PENDING: set[str] = set()
LAYERS = ("ui", "cli", "services")


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


def offenders(root: Path) -> dict[str, list[str]]:
    """Modules of the query-free layers under ``root`` that write SQL, with what they import for it."""
    return {
        rel: names
        for layer in LAYERS
        for path in sorted((root / layer).rglob("*.py"))
        if (rel := path.relative_to(root).as_posix()) not in PENDING
        and (names := inline_sql(path.read_text(encoding="utf-8")))
    }


def test_ui_cli_and_services_write_no_queries() -> None:
    assert offenders(SRC) == {}


def test_pending_lists_only_modules_that_still_write_queries() -> None:
    """An entry leaves PENDING once its queries have moved: the list cannot hide a fixed module."""
    stale = {rel for rel in PENDING if not inline_sql((SRC / rel).read_text(encoding="utf-8"))}
    assert stale == set()


def test_a_planted_service_query_is_caught(tmp_path: Path) -> None:
    planted = tmp_path / "services" / "planted.py"
    planted.parent.mkdir()
    planted.write_text("from sqlalchemy import select, func\n", encoding="utf-8")
    assert offenders(tmp_path) == {"services/planted.py": ["select", "func"]}


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
