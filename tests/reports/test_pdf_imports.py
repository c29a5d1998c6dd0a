"""Importing the PDF backend for a report (``render/pdf_imports.py``): in a fresh process the artists' property
lists are left out of docstrings while it loads, and everything else is matplotlib's own afterwards."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from pypdf import PdfReader

SCRIPT = """
import inspect, sys
from datetime import date
from pathlib import Path

from actdesk.services.reports.model import Column, ReportData, Section, table
from actdesk.services.reports.render import PageSetup, export_report

assert "matplotlib.figure" not in sys.modules
report = ReportData(
    "names", "Names", "As of June 30, 2026", date(2026, 6, 30),
    [Section("t", "Households", table=table((Column("h", "Household"),), [("Adams household",)]))],
)
export_report(report, "pdf", Path(sys.argv[1]), PageSetup("Harbor Point Wealth", "letter"))

import matplotlib.artist
from matplotlib.patches import Rectangle
print(matplotlib.artist.kwdoc.__module__, matplotlib.artist.kwdoc.__name__)
print("width" in inspect.signature(Rectangle.set).parameters, "set_width" in dir(Rectangle))
print("Properties" in (Rectangle.set.__doc__ or ""))

class Later(Rectangle):
    pass

print("Properties" in (Later.set.__doc__ or ""))
"""


def test_docstrings_wait_and_the_rest_is_matplotlibs_own(tmp_path: Path) -> None:
    path = tmp_path / "names.pdf"
    done = subprocess.run(
        [sys.executable, "-c", SCRIPT, str(path)], capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 0, done.stderr[-2000:]
    restored, signature, trimmed, later = done.stdout.splitlines()
    assert restored == "matplotlib.artist kwdoc"  # put back after the import
    assert signature == "True True"  # set()'s signature and the setters are untouched
    assert trimmed == "False"  # the property list was not built while the backend loaded
    assert later == "True"  # ... and a class defined afterwards gets its own
    text = PdfReader(path).pages[0].extract_text()
    assert "Adams household" in text and "Harbor Point Wealth" in text
