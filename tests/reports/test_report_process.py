"""``actdesk report`` as the program runs it (a fresh process, ``python -m actdesk``): the book, the builder and
the writer with their libraries load without garbage collections, and what they loaded is frozen, so the
interpreter's last collection at exit does not go through it again (issue 21)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from pypdf import PdfReader

from actdesk.storage.engine import Book

from .conftest import AS_OF

# The program's own entry (``main()`` without arguments), watched: each collection notes what was loaded.
WATCHED = """
import gc, json, runpy, sys
seen = []
def watch(phase, info):  # a collection after the report's modules began to load, before anything was frozen
    if phase == "start" and "actdesk.services.reports.base" in sys.modules and not gc.get_freeze_count():
        seen.append(sorted(n for n in ("sqlalchemy", "pandas", "matplotlib", "openpyxl") if n in sys.modules))
gc.callbacks.append(watch)
out = sys.argv[1]
sys.argv = ["actdesk", *sys.argv[2:]]
try:
    runpy.run_module("actdesk", run_name="__main__")
finally:
    print("WATCHED", json.dumps({"collections": seen, "frozen": gc.get_freeze_count()}), file=open(out, "w"))
"""


@pytest.mark.parametrize("fmt", ["pdf", "xlsx"])
def test_the_report_loads_without_collections_and_freezes_what_it_loaded(
    demo_book: Book, tmp_path: Path, fmt: str
) -> None:
    target = tmp_path / f"ranking.{fmt}"
    watched = tmp_path / "watched.json"
    env = dict(os.environ, ACTDESK_LANG="en", ACTDESK_CONFIG_DIR=str(tmp_path / "config"))
    env.pop("ACTDESK_DB", None)
    args = ["--db", str(demo_book.path), "report", "stack-ranking", "--as-of", AS_OF.isoformat()]
    done = subprocess.run(
        [sys.executable, "-c", WATCHED, str(watched), *args, "--format", fmt, "--out", str(target), "--json"],
        capture_output=True,
        text=True,
        timeout=180,
        env=env,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    assert json.loads(done.stdout)["has_data"] is True
    if fmt == "pdf":
        assert "Households by revenue" in PdfReader(target).pages[0].extract_text()
    report = json.loads(watched.read_text().removeprefix("WATCHED "))
    assert report["collections"] == []  # none while the book, pandas and the writer were loading
    assert report["frozen"] > 100_000  # the loaded libraries, frozen for the rest of the process
