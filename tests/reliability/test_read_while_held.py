"""Read-only commands work while the window holds the book (read-only open beside the writer, as SQLite's
WAL allows); a command that writes is told who holds it (finding 13 of issue 25)."""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from actdesk.cli import main

HOLD = (
    "import sys; from actdesk.storage.open import open_book; b = open_book(sys.argv[1]);"
    " print('ready', flush=True); sys.stdin.read()"
)


@pytest.fixture
def held(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> Iterator[Path]:
    db = tmp_path / "book.db"
    assert main(["--db", str(db), "demo", "--households", "15", "--seed", "3", "--as-of", "2026-06-30"]) == 0
    holder = subprocess.Popen(
        [sys.executable, "-c", HOLD, str(db)], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True
    )
    assert holder.stdout is not None and holder.stdout.readline().strip() == "ready"
    capsys.readouterr()
    yield db
    holder.communicate("", timeout=30)


def test_read_only_commands_work_while_the_book_is_held(
    held: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["--db", str(held), "kpis", "--as-of", "2026-06-30", "--json"]) == 0
    assert "aum" in json.dumps(json.loads(capsys.readouterr().out)).lower()
    assert main(["--db", str(held), "outbox", "--json"]) == 0
    assert json.loads(capsys.readouterr().out) == []
    out = tmp_path / "ranking.csv"
    assert (
        main(["--db", str(held), "report", "stack-ranking", "--as-of", "2026-06-30", "--out", str(out)]) == 0
    )
    assert out.exists()
    capsys.readouterr()
    assert main(["--db", str(held), "db", "check", "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["lock"]["held_by_us"] is False


def test_a_writing_command_is_refused_while_held(held: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code = main(
        ["--db", str(held), "spend", "add", "--source", "X", "--amount", "10", "--date", "2026-01-01"]
    )
    err = capsys.readouterr().err
    assert code == 1 and "process" in err and len(err.strip().splitlines()) == 1
