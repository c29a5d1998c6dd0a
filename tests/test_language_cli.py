"""Messages of the storage layer and the demo content follow --lang: no English sentence in a Spanish run."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path


def _actdesk(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "actdesk", *args], capture_output=True, text=True, timeout=120, check=False
    )


def test_a_file_that_is_not_a_book_is_refused_in_spanish(tmp_path: Path) -> None:
    notes = tmp_path / "notes.txt"
    notes.write_text("shopping list\n", encoding="utf-8")
    result = _actdesk("--lang", "es", "--db", str(notes), "kpis")
    assert result.returncode == 2
    line = result.stderr.strip()
    assert "no es una cartera de actdesk" in line and "no se ha modificado" in line, line
    assert "not an actdesk book" not in line and "Traceback" not in result.stderr
    assert notes.read_text(encoding="utf-8") == "shopping list\n"


def test_a_spanish_demo_is_built_in_spanish(tmp_path: Path) -> None:
    db = tmp_path / "demo.db"
    result = _actdesk("--lang", "es", "--db", str(db), "demo", "--households", "8", "--seed", "3", "--json")
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["locale"] == "es_ES"


def test_storage_messages_go_through_the_catalogue() -> None:
    """No message of storage/ is built as a bare f-string or literal: each one is marked for translation
    (ValueError is a programming error, never shown: the window says "an unexpected error" instead; an
    AttributeError is Python's own protocol for a missing module attribute, as ``__getattr__`` requires)."""
    import ast

    root = Path(__file__).resolve().parents[1] / "src" / "actdesk" / "storage"
    offenders = []
    for path in root.rglob("*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Name)):
                continue
            if (
                not node.func.id.endswith("Error")
                or node.func.id in ("ValueError", "AttributeError")
                or not node.args
            ):
                continue
            first = node.args[0]
            if isinstance(first, ast.JoinedStr) or (
                isinstance(first, ast.Constant) and isinstance(first.value, str)
            ):
                offenders.append(f"{path.relative_to(root)}:{node.lineno}")
    assert not offenders, offenders
