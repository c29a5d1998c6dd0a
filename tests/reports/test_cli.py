"""``actdesk report`` through ``actdesk.cli.main``: every report in every format, and the errors."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from openpyxl import load_workbook
from pypdf import PdfReader

from actdesk.cli import main
from actdesk.services.reports.catalogue import REPORTS
from actdesk.storage.engine import Book

from .conftest import build_small_book


@pytest.fixture
def small_db(book: Book, db_path: Path) -> str:
    build_small_book(book)
    return str(db_path)


def test_list_names_every_report(capsys: pytest.CaptureFixture[str], db_path: Path) -> None:
    assert main(["--db", str(db_path), "report", "--list", "--json"]) == 0
    listed = json.loads(capsys.readouterr().out)
    assert [r["name"] for r in listed] == [r.key for r in REPORTS]
    assert {r["name"]: r["requires"] for r in listed}["compensation"] == "view_compensation"
    assert main(["--db", str(db_path), "report", "--list"]) == 0
    assert "stack-ranking" in capsys.readouterr().out


@pytest.mark.parametrize("fmt", ["pdf", "xlsx", "csv"])
def test_every_report_in_every_format(
    small_db: str, tmp_path: Path, fmt: str, capsys: pytest.CaptureFixture[str]
) -> None:
    for spec in REPORTS:
        out = tmp_path / f"{spec.key}.{fmt}"
        code = main(
            [
                "--db",
                small_db,
                "report",
                spec.key,
                "--as-of",
                "2026-06-30",
                "--format",
                fmt,
                "--out",
                str(out),
                "--json",
            ]
        )
        assert code == 0, spec.key
        result = json.loads(capsys.readouterr().out)
        assert result["report"] == spec.key and result["as_of"] == "2026-06-30"
        if fmt == "pdf":
            assert len(PdfReader(out).pages) >= 1
        elif fmt == "xlsx":
            assert load_workbook(out).sheetnames[0] == "Summary"
        else:
            assert out.read_text(encoding="utf-8-sig").splitlines()[0]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["report", "no-such", "--out", "{tmp}/x.pdf"], "unknown report 'no-such'"),
        (["report", "aging", "--out", "{tmp}/x.docx"], "unknown format"),
        (["report", "aging", "--format", "html", "--out", "{tmp}/x.pdf"], "unknown format 'html'"),
        (["report", "aging", "--out", "{tmp}/missing/x.pdf"], "does not exist"),
        (["report", "aging", "--out", "{tmp}"], "is a folder"),
        (["report", "aging"], "--out FILE"),
        (["report", "aging", "--as-of", "30/06/2026", "--out", "{tmp}/x.pdf"], "not a date"),
    ],
)
def test_bad_input_is_one_clear_line_and_exit_2(
    small_db: str, tmp_path: Path, capsys: pytest.CaptureFixture[str], args: list[str], message: str
) -> None:
    before = sorted(p.name for p in tmp_path.iterdir())
    code = main(["--db", small_db, *[a.replace("{tmp}", str(tmp_path)) for a in args]])
    err = capsys.readouterr().err
    assert code == 2
    assert message in err
    assert len(err.strip().splitlines()) == 1
    assert "Traceback" not in err
    assert sorted(p.name for p in tmp_path.iterdir()) == before  # nothing half-written


def test_readonly_folder_is_refused_without_leftovers(
    small_db: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    import os

    locked = tmp_path / "locked"
    locked.mkdir()
    locked.chmod(0o500)
    try:
        if os.access(locked, os.W_OK):
            pytest.skip("running as a user who can write anywhere")
        code = main(["--db", small_db, "report", "aging", "--out", str(locked / "x.pdf")])
        assert code == 2 and "Cannot write" in capsys.readouterr().err
        assert list(locked.iterdir()) == []
    finally:
        locked.chmod(0o700)
