"""``actdesk gui --smoke`` and ``--screenshot`` in a real process; the window paints before pandas/matplotlib."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from tests import factories as f

from actdesk.storage.open import open_book

ROOT = Path(__file__).resolve().parents[2]


def _env(tmp_path: Path) -> dict[str, str]:
    env = dict(os.environ)
    env.update(
        QT_QPA_PLATFORM="offscreen",
        ACTDESK_DATA_DIR=str(tmp_path / "data"),
        ACTDESK_CONFIG_DIR=str(tmp_path / "config"),
        ACTDESK_LANG="en",
    )
    env.pop("DISPLAY", None)
    return env


def run_probe(
    tmp_path: Path, code: str, *args: str, flags: tuple[str, ...] = ()
) -> subprocess.CompletedProcess[str]:
    """``python [flags] -c code args`` in a fresh process with the window's environment (``_env``), which
    must succeed: the probes that start the window and print what they saw."""
    done = subprocess.run(
        [sys.executable, *flags, "-c", code, *args],
        env=_env(tmp_path),
        capture_output=True,
        text=True,
        timeout=120,
        cwd=tmp_path,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    return done


def probe_end(timeout_ms: int) -> str:
    """The end of a probe that started the window with ``app.start_window`` (``window``, ``ctx``, ``opener``)
    and collects what it sees in ``seen``: show it at 1280x800, run until the probe quits (or
    ``timeout_ms``), release the book, print ``seen`` as the last line of output."""
    return f"""
window.resize(1280, 800)
window.show()
QTimer.singleShot({timeout_ms}, app.quit)
app.exec()
release(ctx, opener=opener)
print(json.dumps(seen))
"""


def _small_book(path: Path) -> None:
    book = open_book(path)
    with book.session() as s:
        h = f.household(s, "Smith household")
        f.contact(s, h, "Ann", "Smith", email="ann@example.com", city="Austin")
    book.dispose()


def test_smoke_exits_zero_and_creates_the_default_book(tmp_path: Path) -> None:
    done = subprocess.run(
        [sys.executable, "-m", "actdesk", "gui", "--smoke"],
        env=_env(tmp_path),
        capture_output=True,
        text=True,
        timeout=120,
        cwd=tmp_path,
    )
    assert done.returncode == 0, done.stderr
    assert (tmp_path / "data" / "book.db").stat().st_size > 0


def test_screenshot_saves_every_panel_the_card_and_the_welcome(tmp_path: Path) -> None:
    from actdesk.ui.panels import available_panels

    db = tmp_path / "book.db"
    _small_book(db)
    shots = tmp_path / "shots"
    done = subprocess.run(
        [sys.executable, "-m", "actdesk", "--db", str(db), "gui", "--smoke", "--screenshot", str(shots)],
        env=_env(tmp_path),
        capture_output=True,
        text=True,
        timeout=180,
        cwd=tmp_path,
    )
    assert done.returncode == 0, done.stderr
    names = {p.name for p in shots.glob("*.png")}
    expected = {f"panel-{spec.key}.png" for spec in available_panels()} | {"card.png", "welcome.png"}
    assert expected <= names
    for name in expected:
        data = (shots / name).read_bytes()
        assert data.startswith(b"\x89PNG") and len(data) > 5000


def test_not_a_database_is_refused_and_left_untouched(tmp_path: Path) -> None:
    notes = tmp_path / "notes.db"
    notes.write_bytes(b"these are my notes, not a database\n" * 10)
    before = notes.read_bytes()
    done = subprocess.run(
        [sys.executable, "-m", "actdesk", "--db", str(notes), "gui", "--smoke"],
        env=_env(tmp_path),
        capture_output=True,
        text=True,
        timeout=120,
        cwd=tmp_path,
    )
    assert done.returncode == 2, done.stderr  # a refusal of bad input, not a failure of the world
    # one clear line that names the file and says what it is not and that it was kept
    [line] = done.stderr.strip().splitlines()
    assert str(notes) in line and "is not an actdesk book" in line and "left untouched" in line
    assert notes.read_bytes() == before


def test_a_book_open_elsewhere_is_refused_and_left_untouched(tmp_path: Path) -> None:
    from actdesk.storage import lock as locks

    db = tmp_path / "book.db"
    _small_book(db)
    before = db.read_bytes()
    held = locks.acquire(db)  # this process plays the other actdesk
    try:
        done = subprocess.run(
            [sys.executable, "-m", "actdesk", "--db", str(db), "gui", "--smoke"],
            env=_env(tmp_path),
            capture_output=True,
            text=True,
            timeout=120,
            cwd=tmp_path,
        )
    finally:
        held.release()
    assert done.returncode != 0
    assert "Traceback" not in done.stderr and len(done.stderr.strip().splitlines()) == 1
    assert db.read_bytes() == before


def test_no_display_gives_one_clear_line(tmp_path: Path) -> None:
    env = _env(tmp_path)
    env.pop("QT_QPA_PLATFORM")
    env.pop("WAYLAND_DISPLAY", None)
    done = subprocess.run(
        [sys.executable, "-m", "actdesk", "--db", str(tmp_path / "b.db")],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        cwd=tmp_path,
    )
    assert done.returncode == 2
    assert done.stderr.count("\n") == 1 and "display" in done.stderr


LAZY_PROBE = """
import json, sys
from pathlib import Path
from actdesk.app import build_window, create_application
from actdesk.settings import load_settings
from actdesk.storage.open import open_book

settings = load_settings()
app = create_application(settings)
book = open_book(Path(sys.argv[1]))
window, ctx = build_window(book, settings, welcome=False)
seen = {}
def painted():
    seen["heavy"] = sorted(m for m in ("pandas", "numpy", "matplotlib", "lifelines", "faker") if m in sys.modules)
    app.quit()
window.sig_first_painted.connect(painted)
window.show()
app.exec()
ctx.tasks.shutdown()
print(json.dumps(seen))
"""


def test_window_paints_before_pandas_and_matplotlib_load(tmp_path: Path) -> None:
    db = tmp_path / "book.db"
    _small_book(db)
    done = run_probe(tmp_path, LAZY_PROBE, str(db))
    seen = json.loads(done.stdout.strip().splitlines()[-1])
    assert seen == {"heavy": []}
