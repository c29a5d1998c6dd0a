"""The Book dashboard's first tiles have the window to themselves (issue 21, docs/performance.md NINTH_STALL).

The dashboard's module (pandas, numpy, matplotlib) is imported on the compute worker, and the child process
started, only once the first tiles are painted: beside them, their Python took the interpreter lock from the
tiles' query and their paint. The ORM's mappers of the tables the first numbers read are configured while the
book opens (the GUI thread then waits for it), not at the tiles' query. A fresh process (the start path of ``actdesk gui``, offscreen) says which modules were loaded when
the first numbers were shown, and that the dashboard is still built after them: for a book with households
and for an empty one (no tiles to show: the dashboard's import must not wait for them).
"""

from __future__ import annotations

import json
from pathlib import Path

from tests import factories as f
from tests.ui.test_gui_cli import (  # the window in a fresh process, offscreen, in its own folders
    probe_end,
    run_probe,
)

from actdesk.storage.open import open_book

# What the dashboard's import loads, the module itself, and the child process's client (imported to start
# the child once the tiles are painted).
HEAVY = ("pandas", "numpy", "matplotlib", "actdesk.ui.dashboard.book_panel", "actdesk.services.alerts.child")

PROBE = """
import json, sys
from PySide6.QtCore import QTimer
import actdesk.ui.first_panel_start as start
from actdesk.app import create_application, release, start_window
from actdesk.settings import load_settings

start.FIRST_DATA_TIMEOUT_MS = 600_000  # no fallback: only the first tiles' page may start the dashboard
settings = load_settings()
app = create_application(settings)
window, ctx, opener = start_window(sys.argv[1], settings, smoke=True)
seen = {}
HEAVY = json.loads(sys.argv[2])
def opened():
    from actdesk.storage.tables.base import Base
    seen["mappers_pending_at_open"] = Base.registry._new_mappers  # configured while the book opened
def first_data():
    seen["heavy_at_numbers"] = sorted(m for m in HEAVY if m in sys.modules)
    seen["tiles"] = window.first_tiles is not None and window.first_tiles.first is not None
def built():
    panel = window.panels.get("book")
    if panel is not None and getattr(panel, "built", True):
        seen["dashboard_built"] = True
        app.quit()
    else:
        QTimer.singleShot(20, built)
opener.sig_opened.connect(opened)
window.sig_first_data_shown.connect(first_data)
window.sig_first_painted.connect(built)
""" + probe_end(60_000)


def _book(path: Path, households: int) -> None:
    book = open_book(path)
    with book.session() as s:
        for n in range(households):
            h = f.household(s, f"Household {n}")
            f.contact(s, h, "Ann", f"Smith{n}")
    book.dispose()


def _start(tmp_path: Path, households: int) -> dict[str, object]:
    db = tmp_path / "book.db"
    _book(db, households)
    done = run_probe(tmp_path, PROBE, str(db), json.dumps(HEAVY))
    return dict(json.loads(done.stdout.strip().splitlines()[-1]))


def test_the_first_tiles_are_shown_before_the_dashboard_loads_pandas_and_matplotlib(tmp_path: Path) -> None:
    seen = _start(tmp_path, households=3)
    assert seen == {
        "mappers_pending_at_open": False,
        "heavy_at_numbers": [],
        "tiles": True,
        "dashboard_built": True,
    }


def test_an_empty_book_still_gets_its_dashboard(tmp_path: Path) -> None:
    seen = _start(tmp_path, households=0)
    assert seen.get("dashboard_built") is True  # the empty page said it was done: the import did not wait
