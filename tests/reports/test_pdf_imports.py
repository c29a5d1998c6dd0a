"""Importing the PDF backend for a report (``render/pdf_imports.py``): in a fresh process the artists' property
lists are left out of ``set()``'s docstrings and signatures while it loads; ``set()`` behaves as matplotlib's
own, and everything is matplotlib's own afterwards."""

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
print(matplotlib.artist.Artist._update_set_signature_and_docstring.__func__.__module__)
print("width" in inspect.signature(Rectangle.set).parameters, "set_width" in dir(Rectangle))
print("Properties" in (Rectangle.set.__doc__ or ""))
box = Rectangle((0, 0), 1, 1)
box.set(width=2, lw=3)  # properties and their aliases, as always
try:
    box.set(wdith=2)
except AttributeError as exc:
    print(box.get_width(), box.get_linewidth(), "unexpected keyword argument 'wdith'" in str(exc))

class Later(Rectangle):
    pass

print("Properties" in (Later.set.__doc__ or ""), "width" in inspect.signature(Later.set).parameters)
print(type(sys.modules["fontTools.subset"]).__name__)
"""


def test_docstrings_wait_and_the_rest_is_matplotlibs_own(tmp_path: Path) -> None:
    path = tmp_path / "names.pdf"
    done = subprocess.run(
        [sys.executable, "-c", SCRIPT, str(path)], capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 0, done.stderr[-2000:]
    restored, restored_set, signature, trimmed, behaves, later, subsetter = done.stdout.splitlines()
    assert restored == "matplotlib.artist kwdoc"  # put back after the import
    assert restored_set == "matplotlib.artist"  # the signature builder too
    assert signature == "False True"  # no property list in set()'s signature; the setters are untouched
    assert trimmed == "False"  # nor in its docstring, while the backend loaded
    assert behaves == "2 3.0 True"  # set() takes and checks the same properties
    assert later == "True True"  # ... and a class defined afterwards gets matplotlib's own
    assert subsetter == "_LazyModule"  # fontTools' subsetter not loaded by a Type 3 document
    text = PdfReader(path).pages[0].extract_text()
    assert "Adams household" in text and "Harbor Point Wealth" in text
