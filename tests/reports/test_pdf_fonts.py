"""The PDF's fonts after the subsetter was deferred (issue 21): names outside Latin-1 still print, in a
fresh process the subsetter is never loaded for our Type 3 pages, and a caller that does need it gets the
real module."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from pypdf import PdfReader

NAMES = ("Łukasz Żółkiewski", "Đặng Thị Hương", "Øyvind Ødegård", "Σοφία Παπαδοπούλου")

SCRIPT = """
import sys
from datetime import date
from decimal import Decimal
from pathlib import Path

from actdesk.services.reports.model import Column, ReportData, Section, table
from actdesk.services.reports.render import PageSetup, export_report

names = sys.argv[2:]
rows = [(name, Decimal(1000 * (i + 1))) for i, name in enumerate(names)]
report = ReportData(
    "names", "Names", "As of June 30, 2026", date(2026, 6, 30),
    [Section("t", "Households", table=table((Column("h", "Household"), Column("aum", "AUM", "money")), rows))],
)
export_report(report, "pdf", Path(sys.argv[1]), PageSetup("Ærø Wealth", "letter"))
print(type(sys.modules["fontTools.subset"]).__name__)
from fontTools import subset
print(subset.Subsetter.__name__, type(sys.modules["fontTools.subset"]).__name__)
"""


def test_non_latin_names_print_and_the_subsetter_waits(tmp_path: Path) -> None:
    path = tmp_path / "names.pdf"
    done = subprocess.run(
        [sys.executable, "-c", SCRIPT, str(path), *NAMES], capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 0, done.stderr[-2000:]
    before, after = done.stdout.split()[0], done.stdout.split()[1:]
    assert before == "_LazyModule"  # the PDF was written without loading the subsetter
    assert after == ["Subsetter", "module"]  # ... which loads when it is used
    text = "".join(page.extract_text() for page in PdfReader(path).pages)
    for name in (*NAMES, "Ærø Wealth"):
        assert name in text, name
