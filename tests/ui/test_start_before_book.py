"""The window paints before its book is open (issue 21), and a book that refuses is still shown clearly.

``app.start_window`` is the start path of ``actdesk`` / ``actdesk gui``: the window is built and painted, then
the book is opened (lock, integrity check, schema check) on the database worker. These tests drive that path
with the real window and real dialogs: a healthy book fills the first panel; a locked, damaged or newer book
gets its dialog over the window, nothing is read before the checks passed, and the file is left untouched.
"""

from __future__ import annotations

import gc
import json
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QMessageBox, QPushButton
from tests import factories as f
from tests.ui.test_gui_cli import (  # the window in a fresh process, offscreen, in its own folders
    probe_end,
    run_probe,
)

from actdesk.storage.open import open_book

# What the first paint must not wait for: SQLAlchemy and its ORM mapping, Alembic, opening and checking the
# book, and the analytics libraries.
NOT_AT_PAINT = (
    "sqlalchemy",
    "alembic",
    "actdesk.storage.engine",
    "actdesk.storage.open",
    "actdesk.storage.tables",
    "actdesk.services.integrity",
    "pandas",
    "numpy",
    "matplotlib",
)


def _small_book(path: Path, households: int = 2) -> None:
    book = open_book(path)
    with book.session() as s:
        for n in range(households):
            f.household(s, f"Household {n}")
    book.dispose()


PROBE = """
import json, sys
from PySide6.QtCore import QTimer
from actdesk.app import create_application, release, start_window
from actdesk.settings import load_settings

settings = load_settings()
app = create_application(settings)
window, ctx, opener = start_window(sys.argv[1], settings, smoke=True)
seen = {}
def painted():
    print("ACTDESK-FIRST-PAINT", file=sys.stderr, flush=True)
    seen["book_open_at_paint"] = ctx.book_open
    seen["label_at_paint"] = window.book_label.text()
    seen["loading_at_paint"] = window.loading.isVisible()
def first_data():
    seen["book_open"] = ctx.book_open
    seen["label"] = window.book_label.text()
    QTimer.singleShot(0, app.quit)
window.sig_first_painted.connect(painted)
window.sig_first_data_shown.connect(first_data)
opener.sig_given_up.connect(app.quit)
""" + probe_end(30_000)


def _modules_at_first_paint(tmp_path: Path, db: Path, plant: str = "") -> tuple[set[str], dict[str, object]]:
    """Every module (full dotted name) a fresh start imported before its first paint, by ``-X importtime``
    lines before the probe's marker, and what the probe saw."""
    done = run_probe(tmp_path, plant + PROBE, str(db), flags=("-X", "importtime"))
    before, marker, _after = done.stderr.partition("ACTDESK-FIRST-PAINT")
    assert marker, done.stderr[-2000:]
    names = {
        line.rsplit("|", 1)[1].strip()
        for line in before.splitlines()
        if line.startswith("import time:") and line.count("|") == 2
    }
    return names, json.loads(done.stdout.strip().splitlines()[-1])


def _found(names: set[str]) -> list[str]:
    return sorted(n for n in names if any(n == m or n.startswith(m + ".") for m in NOT_AT_PAINT))


def test_the_window_paints_before_sqlalchemy_and_the_book_then_opens_it(tmp_path: Path) -> None:
    db = tmp_path / "book.db"
    _small_book(db)
    names, seen = _modules_at_first_paint(tmp_path, db)
    assert "PySide6.QtWidgets" in names and "actdesk.ui.main_window" in names  # the detector reads the lines
    assert _found(names) == []
    # painted with its book named and the first panel's "Opening your book…" state; then really opened
    assert seen["book_open_at_paint"] is False and seen["loading_at_paint"] is True
    assert str(db) in str(seen["label_at_paint"])
    assert seen["book_open"] is True and str(db) in str(seen["label"])


def test_the_detector_sees_sqlalchemy_planted_before_the_paint(tmp_path: Path) -> None:
    db = tmp_path / "book.db"
    _small_book(db)
    names, _seen = _modules_at_first_paint(tmp_path, db, plant="import actdesk.storage.open\n")
    assert {"sqlalchemy", "actdesk.storage.engine", "actdesk.storage.open"} <= set(_found(names))


# -- the start path in this process, with its real dialogs ------------------------------------------------


def _press_in_turn(texts: list[str], seen: list[str]) -> None:
    """Press ``texts`` in the message boxes as they come, one per box (the dialogs are real; the advisor is
    not); each box's words go to ``seen``."""
    pending = list(texts)

    def press() -> None:
        box = QApplication.activeModalWidget()
        buttons = box.findChildren(QPushButton) if isinstance(box, QMessageBox) else []
        chosen = next((b for b in buttons if b.text() == pending[0]), None)
        if isinstance(box, QMessageBox) and chosen is not None:
            seen.append(box.text() + " " + box.informativeText())
            pending.pop(0)
            chosen.click()
        if pending:
            QTimer.singleShot(20, press)

    QTimer.singleShot(20, press)


@pytest.fixture
def start(qtbot) -> Iterator[object]:  # type: ignore[no-untyped-def]
    from actdesk.app import configure_qsettings, release, start_window
    from actdesk.settings import load_settings

    configure_qsettings()
    started: list[tuple[object, object, object]] = []

    def begin(target: Path):  # type: ignore[no-untyped-def]
        window, ctx, opener = start_window(str(target), load_settings(), smoke=False)
        qtbot.addWidget(window)
        window.resize(1280, 800)
        window.show()
        started.append((window, ctx, opener))
        return window, ctx, opener

    yield begin
    for window, ctx, opener in started:
        window.close()  # type: ignore[attr-defined]
        release(ctx, opener=opener)  # type: ignore[arg-type]


def test_a_healthy_book_opens_behind_the_painted_window(qtbot, start, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    db = tmp_path / "book.db"
    _small_book(db, households=3)
    window, ctx, _opener = start(db)
    painted: list[bool] = []
    frame: list[tuple[int, list[str]]] = []  # where the panels start, and the menu bar's titles

    collecting: list[bool] = []  # the collector is paused while the window starts (ui/startup_gc.py)

    def look() -> None:
        painted.append(ctx.book_open)
        collecting.append(gc.isenabled())
        bar = window.menuBar()
        frame.append((window.pages.geometry().top(), [a.text() for a in bar.actions()]))

    window.sig_first_painted.connect(look)
    qtbot.waitUntil(lambda: window.first_data_shown, timeout=20000)
    assert painted == [False]  # painted first, the book opened after
    assert ctx.book_open and not ctx.read_only
    assert window.stack.currentWidget() is not window.loading  # the first numbers replaced "Opening…"
    assert hasattr(window, "menus")  # the menus and the work behind the window were wired once it opened
    # the menu bar was there at the first paint (its titles disabled), so nothing moved when it was filled
    top, titles = frame[0]
    assert titles == ["&File", "&Edit", "&View", "&Help"] and top > 0
    assert window.pages.geometry().top() == top
    assert collecting == [False]
    # resumed once the window settled (the first alert evaluation in), well before its 20 s deadline
    qtbot.waitUntil(gc.isenabled, timeout=15000)
    assert all(action.isEnabled() for action in window.menuBar().actions())
    assert len(window.menuBar().actions()) == 4


HOLD_LOCK = """
import sys
from pathlib import Path
from actdesk.storage import lock as locks
held = locks.acquire(Path(sys.argv[1]))
print("held", flush=True)
sys.stdin.read()
held.release()
"""


def test_a_locked_book_is_offered_read_only_over_the_window(qtbot, start, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    db = tmp_path / "book.db"
    _small_book(db)
    before = db.read_bytes()
    other = subprocess.Popen(  # another actdesk holds the book
        [sys.executable, "-c", HOLD_LOCK, str(db)], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True
    )
    assert other.stdout is not None and other.stdout.readline().strip() == "held"
    try:
        shown: list[str] = []
        _press_in_turn(["Open read-only"], shown)
        window, ctx, _opener = start(db)
        qtbot.waitUntil(lambda: ctx.book_open, timeout=20000)
        assert "already open" in shown[0]
        assert ctx.read_only and "read-only" in window.book_label.text()
        qtbot.waitUntil(lambda: window.first_data_shown, timeout=20000)
    finally:
        other.communicate("", timeout=30)
    assert db.read_bytes() == before


def test_a_newer_book_is_explained_over_the_window_and_left_untouched(qtbot, start, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    db = tmp_path / "book.db"
    _small_book(db)
    book = open_book(db)
    with book.engine.begin() as conn:
        conn.exec_driver_sql("UPDATE alembic_version SET version_num = '9999_from_the_future'")
    book.dispose()  # the last connection closed: the log is written back into the file
    before = db.read_bytes()
    shown: list[str] = []
    _press_in_turn(["Quit"], shown)
    window, ctx, opener = start(db)
    gave_up: list[bool] = []
    opener.sig_given_up.connect(lambda: gave_up.append(True))
    qtbot.waitUntil(lambda: bool(gave_up), timeout=20000)
    assert "needs a newer actdesk" in shown[0] and "not changed" in shown[0]
    assert not ctx.book_open and window.first_data_shown is False  # nothing was shown as the book's numbers
    assert opener.error is None  # the advisor chose to quit: no error left for the command line
    assert db.read_bytes() == before


def test_another_book_chosen_after_a_refusal_is_named_while_it_opens(  # type: ignore[no-untyped-def]
    qtbot, start, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from PySide6.QtWidgets import QFileDialog

    refused, other = tmp_path / "newer.db", tmp_path / "other" / "book.db"
    _small_book(refused)
    book = open_book(refused)
    with book.engine.begin() as conn:  # written by a newer actdesk: refused, nothing to recover
        conn.exec_driver_sql("UPDATE alembic_version SET version_num = '9999_from_the_future'")
    book.dispose()
    other.parent.mkdir()
    _small_book(other)
    shown: list[str] = []
    _press_in_turn(["Open another book…"], shown)
    asked: list[str] = []

    def pick(_parent: object, caption: str, folder: str, _filter: str) -> tuple[str, str]:
        asked.append(folder)  # the system's file dialog: the advisor picks the other book
        return str(other), _filter

    monkeypatch.setattr(QFileDialog, "getOpenFileName", staticmethod(pick))
    window, ctx, opener = start(refused)
    named: list[tuple[str, bool]] = []  # the status bar as each opening starts, and whether a book was open
    opener.sig_opening.connect(lambda _where: named.append((window.book_label.text(), ctx.book_open)))
    qtbot.waitUntil(lambda: ctx.book_open, timeout=20000)
    assert "needs a newer actdesk" in shown[0] and asked == [str(tmp_path)]
    # named at once, before it opened: not the refused file any more
    assert named[-1] == ("Book: " + str(other), False)
    assert ctx.book.path == other and window.book_label.text() == "Book: " + str(other)
    qtbot.waitUntil(lambda: window.first_data_shown, timeout=20000)


def test_a_damaged_book_is_offered_its_backup_over_the_window(qtbot, start, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    db = tmp_path / "book.db"
    db.write_bytes(b"SQLite format 3\x00" + os.urandom(8192))  # a header, then damage; no backup exists
    before = db.read_bytes()
    shown: list[str] = []
    # the damaged-book dialog (no backup verifies), then the refusal's own dialog
    _press_in_turn(["Other choices…", "Quit"], shown)
    _window, ctx, opener = start(db)
    gave_up: list[bool] = []
    opener.sig_given_up.connect(lambda: gave_up.append(True))
    qtbot.waitUntil(lambda: bool(gave_up), timeout=20000)
    assert "damaged" in shown[0] and "damaged" in shown[1]
    assert not ctx.book_open and db.read_bytes() == before


def _damage(path: Path) -> None:
    data = bytearray(path.read_bytes())
    for offset in range(2 * 4096, len(data), 4096):
        data[offset : offset + 64] = os.urandom(64)
    path.write_bytes(bytes(data))


def test_a_damaged_book_is_restored_from_its_latest_good_backup_over_the_window(  # type: ignore[no-untyped-def]
    qtbot, start, tmp_path: Path
) -> None:
    from actdesk.services.backup import backup_now
    from actdesk.storage.errors import CorruptBookError
    from actdesk.storage.repositories.households import count_households

    db = tmp_path / "book.db"
    _small_book(db, households=30)
    book = open_book(db)
    backup_now(book, "scheduled")
    book.dispose()
    _damage(db)
    with pytest.raises(CorruptBookError):  # damaged indeed
        open_book(db).dispose()
    shown: list[str] = []
    _press_in_turn(["Restore the latest good backup"], shown)
    window, ctx, _opener = start(db)
    qtbot.waitUntil(lambda: ctx.book_open, timeout=30000)
    assert "not closed properly and is damaged" in shown[0] and "30 households" in shown[0]
    with ctx.book.reader() as s:
        assert count_households(s) == 30
    assert any(p.name != db.name and db.stem in p.name and "damaged" in p.name for p in tmp_path.iterdir())
    qtbot.waitUntil(lambda: window.first_data_shown, timeout=20000)


def test_the_status_bar_names_a_server_book_without_its_password() -> None:
    from actdesk.settings import Settings
    from actdesk.ui.book_opening import location_text
    from actdesk.ui.context import AppContext, BookNotOpenError

    ctx = AppContext(settings=Settings())
    with pytest.raises(BookNotOpenError):  # nothing can read a book that has not passed its checks
        _ = ctx.book
    url = "postgresql+psycopg://advisor:s3cret@db.example:5432/book"
    assert location_text(ctx, url) == "postgresql+psycopg://advisor:***@db.example:5432/book"
    assert "s3cret" not in location_text(ctx, url)
