"""Start to first paint, measured in fresh processes, against a bare PySide6 window (the floor).

Each run starts a tiny wrapper process that notes the wall-clock instant, starts ``python -m actdesk --db BOOK
gui --smoke`` (the same code path as the installed app, offscreen), waits for it and reports
``RUSAGE_CHILDREN.ru_maxrss`` (peak resident memory of the app). The app writes the instant of its first paint
(and of the settled window: every panel task finished) to ``ACTDESK_PAINT_TIMESTAMP_FILE`` (see
``actdesk.ui.smoke``). "Start to first paint" = paint instant - instant before the app process was spawned:
interpreter start, imports, opening the book and painting, all included.

Cold vs warm: *warm* runs follow a previous run, so Python, Qt and the book's pages are in the OS page cache
(the normal case of an advisor reopening actdesk). *Cold* runs follow ``sync; echo 3 >
/proc/sys/vm/drop_caches`` (root only), which empties the page cache: every library and book page is read
from disk again, as after a reboot. Where dropping is not permitted, cold runs are reported as not measured.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

WRAPPER = """
import json, resource, subprocess, sys, time
t0 = time.time()
code = subprocess.call(sys.argv[2:])
print(json.dumps({"t0": t0, "code": code, "maxrss_kb": resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss}))
sys.exit(0)
"""

# The floor: the least any PySide6 program pays to put a window on screen (interpreter, QtWidgets, paint).
BARE_WINDOW = """
import json, sys, time
from PySide6.QtCore import QEvent, QObject, QTimer
from PySide6.QtWidgets import QApplication, QWidget
app = QApplication(sys.argv[:1])
w = QWidget()
w.resize(1280, 800)
class Watch(QObject):
    def eventFilter(self, obj, event):
        if event.type() == QEvent.Type.Paint:
            with open(sys.argv[1], "w") as fh:
                json.dump({"paint": time.time(), "cpu": time.process_time()}, fh)
            QTimer.singleShot(0, app.quit)
        return False
watch = Watch()
w.installEventFilter(watch)
w.show()
app.exec()
"""


@dataclass
class StartRun:
    paint: float  # seconds from spawn to first paint
    idle: float | None  # seconds from spawn to every panel's data loaded
    maxrss_mb: float
    heavy_at_paint: list[str]
    maxrss_at_paint_mb: float | None = None
    cpu_at_paint: float | None = None  # CPU seconds of the app process up to its first paint
    maxrss_app_mb: float | None = None  # the window's process alone, once the first panel has loaded
    numbers: float | None = None  # seconds from spawn to the first panel's numbers on screen
    settled: float | None = None  # ... to the settled window: first alert evaluation and every task done
    max_stall: float | None = None  # the event loop's longest stall between first paint and settled
    cpu_at_numbers: float | None = None
    # where the GUI thread was during stalls over 50 ms (innermost actdesk frames, 10 ms samples)
    stall_culprits: list[tuple[str, int]] = field(default_factory=list)


def drop_page_cache() -> bool:
    """Empty the OS page cache (root on Linux); False when not permitted here."""
    try:
        os.sync()
        with open("/proc/sys/vm/drop_caches", "w", encoding="ascii") as fh:
            fh.write("3\n")
        return True
    except OSError:
        return False


def app_env(home: Path) -> dict[str, str]:
    """Offscreen, English, and settings/data in a private folder so the user's own files play no part.
    Compiled bytecode is kept (in ``bench/out/pycache``) as an installed app's is, even when the shell sets
    ``PYTHONDONTWRITEBYTECODE``: otherwise every start would measure Python compiling actdesk's sources."""
    from cli import bytecode_env

    env = bytecode_env()
    env.update(
        QT_QPA_PLATFORM="offscreen",
        ACTDESK_DATA_DIR=str(home / "data"),
        ACTDESK_CONFIG_DIR=str(home / "config"),
        ACTDESK_LANG="en",
    )
    env.pop("ACTDESK_DB", None)
    return env


def _wrapped(command: list[str], env: dict[str, str], stamp: Path, timeout: float) -> tuple[dict, dict]:
    stamp.unlink(missing_ok=True)
    env = dict(env, ACTDESK_PAINT_TIMESTAMP_FILE=str(stamp))
    done = subprocess.run(
        [sys.executable, "-c", WRAPPER, "--", *command],
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
        check=True,
    )
    outer = json.loads(done.stdout.strip().splitlines()[-1])
    if outer["code"] != 0 or not stamp.exists():
        raise RuntimeError(f"start-up run failed (exit {outer['code']}): {done.stderr.strip()[-800:]}")
    return outer, json.loads(stamp.read_text(encoding="utf-8"))


def app_start(db: Path, home: Path, timeout: float = 180.0) -> StartRun:
    """One start of the real app on ``db`` to first paint (and until it settles)."""
    stamp = home / "paint.json"
    command = [sys.executable, "-m", "actdesk", "--db", str(db), "gui", "--smoke"]
    outer, marks = _wrapped(command, app_env(home), stamp, timeout)
    idle, numbers, settled = marks.get("idle"), marks.get("numbers"), marks.get("settled")
    return StartRun(
        paint=marks["paint"] - outer["t0"],
        idle=idle - outer["t0"] if idle else None,
        numbers=numbers - outer["t0"] if numbers else None,
        settled=settled - outer["t0"] if settled else None,
        max_stall=marks.get("max_stall"),
        cpu_at_numbers=marks.get("cpu_at_numbers"),
        stall_culprits=[(str(w), int(n)) for w, n in marks.get("stall_culprits", [])],
        maxrss_mb=outer["maxrss_kb"] / 1024,
        heavy_at_paint=list(marks.get("heavy_at_paint", [])),
        maxrss_at_paint_mb=marks["maxrss_kb_at_paint"] / 1024 if "maxrss_kb_at_paint" in marks else None,
        cpu_at_paint=marks.get("cpu_at_paint"),
        maxrss_app_mb=marks["maxrss_kb_at_idle"] / 1024 if "maxrss_kb_at_idle" in marks else None,
    )


def bare_start(home: Path, timeout: float = 60.0) -> StartRun:
    """One start of a bare PySide6 window to first paint: the floor."""
    stamp = home / "bare.json"
    command = [sys.executable, "-c", BARE_WINDOW, str(stamp)]
    outer, marks = _wrapped(command, app_env(home), stamp, timeout)
    return StartRun(
        paint=marks["paint"] - outer["t0"],
        idle=None,
        maxrss_mb=outer["maxrss_kb"] / 1024,
        heavy_at_paint=[],
        cpu_at_paint=marks.get("cpu"),  # the floor's CPU too: under load the CPU ratio is the steadier one
    )


def private_home() -> Path:
    return Path(tempfile.mkdtemp(prefix="actdesk-bench-home-"))


if __name__ == "__main__":
    book = Path(sys.argv[1])
    folder = private_home()
    print("bare", bare_start(folder))
    for _ in range(int(sys.argv[2]) if len(sys.argv) > 2 else 3):
        print("app ", app_start(book, folder))
