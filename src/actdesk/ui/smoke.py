"""``actdesk gui --smoke [--screenshot DIR]``: start the whole window, paint it, optionally photograph every
panel, the contact card and the welcome, then exit. Used by CI, the installers and UI reviews."""

from __future__ import annotations

import json
import os
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any, cast

from PySide6.QtCore import QEventLoop, QTimer
from PySide6.QtWidgets import QApplication

from actdesk.ui import startup_gc
from actdesk.ui.context import AppContext
from actdesk.ui.main_window import MainWindow
from actdesk.ui.welcome import Welcome

SETTLE_TIMEOUT = 20.0
GALLERY_SIZE = (1366, 768)
# Benchmarks (bench/startup.py) set this: wall-clock instants of the first paint, of the first panel's
# numbers on screen ("numbers"), of every panel task finished ("idle") and of the settled window (the first
# alert evaluation done too: "settled"), peak memory at each, which heavy modules were loaded at each, and
# the event loop's longest stall between the first paint and the settled window, written as JSON.
PAINT_TIMESTAMP_ENV = "ACTDESK_PAINT_TIMESTAMP_FILE"
STALL_TICK_MS = 5
POLL_MS = 10  # how often the harness checks whether the window is idle or settled
STALL_REPORT_S = 0.05  # gaps longer than the goal are attributed to the code running on the GUI thread
TIMELINE_SAMPLES = 120  # the first samples of stalls, in order, with what the other threads ran
IDLE_FRAMES = {
    "wait",
    "_worker",
    "select",
    "poll",
    "get",
    "_wait_for_tstate_lock",
    "accept",
    "recv_bytes",
    "_recv",
}
QT_NATIVE = "Qt (no Python frame: layout, paint, or waiting for the GIL)"
# SQLAlchemy and Alembic too: the window paints before the book is opened (issue 21, ui/book_opening.py)
HEAVY_MODULES = ("pandas", "numpy", "matplotlib", "lifelines", "scipy", "faker", "sqlalchemy", "alembic")


def _record(marks: dict[str, object], key: str) -> None:
    target = os.environ.get(PAINT_TIMESTAMP_ENV)
    if not target:
        return
    marks[key] = time.time()
    marks[f"cpu_at_{key}"] = time.process_time()  # this process's CPU seconds: the work, without the waiting
    marks[f"heavy_at_{key}"] = [m for m in HEAVY_MODULES if m in sys.modules]
    if sys.platform != "win32":
        import resource

        marks[f"maxrss_kb_at_{key}"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    Path(target).write_text(json.dumps(marks), encoding="utf-8")


def run_until(done: Callable[[], bool], timeout: float) -> bool:
    """Run Qt's event loop (as ``app.exec()`` does) until ``done()`` or ``timeout`` seconds; ``done`` is
    polled every ``POLL_MS``. The harness once spun ``processEvents`` and slept 10 ms between spins: the
    probe's timer could not tick during those sleeps, and the stalls it measured were partly its own."""
    deadline = time.monotonic() + timeout
    loop = QEventLoop()
    met = [done()]
    if met[0]:
        return True

    def poll() -> None:
        if done():
            met[0] = True
            loop.quit()
        elif time.monotonic() >= deadline:
            loop.quit()

    timer = QTimer()
    timer.setInterval(POLL_MS)
    timer.timeout.connect(poll)
    timer.start()
    loop.exec()
    timer.stop()
    return met[0]


def wait_until_idle(app: QApplication, ctx: AppContext, timeout: float = SETTLE_TIMEOUT) -> bool:
    """Run the event loop until no background task has run for three polls (a panel has loaded its data)."""
    quiet = [0]

    def idle() -> bool:
        quiet[0] = quiet[0] + 1 if not ctx.tasks.busy else 0
        return quiet[0] >= 3

    return run_until(idle, timeout)


def alerts_settled(window: MainWindow) -> bool:
    """The alert watcher has finished its first evaluation and is idle (``startup_gc.alerts_settled``)."""
    return startup_gc.alerts_settled(window, window.ctx)


def wait_until_settled(app: QApplication, window: MainWindow, ctx: AppContext) -> bool:
    deadline = time.monotonic() + SETTLE_TIMEOUT
    while time.monotonic() < deadline:
        remaining = max(0.1, deadline - time.monotonic())
        if not run_until(lambda: alerts_settled(window), remaining):
            return False
        if wait_until_idle(app, ctx, max(0.1, deadline - time.monotonic())) and alerts_settled(window):
            return True
    return False


class StallProbe:
    """A 5 ms timer on the GUI thread; the longest gap between its ticks is the longest stall.

    A watcher thread (``actdesk-stall-watch``, benchmarks only) looks every 10 ms at how long ago the timer
    last ticked and, during a gap over ``STALL_REPORT_S``, notes where the GUI thread is (its innermost
    actdesk frames): the bench says what stalled, not only how long."""

    def __init__(self) -> None:
        import threading

        from PySide6.QtCore import QTimer

        self.ticks: list[float] = []
        self.timer = QTimer()
        self.timer.setInterval(STALL_TICK_MS)
        self.timer.timeout.connect(lambda: self.ticks.append(time.perf_counter()))
        self.gui_thread = threading.get_ident()
        self.culprits: dict[
            str, int
        ] = {}  # where the GUI thread was during stalls -> times seen (10 ms each)
        self.elsewhere: dict[str, int] = {}  # what other threads ran during stalls -> times seen
        # each sample in order: (seconds after the first paint, the GUI thread's place, the others' places)
        self.timeline: list[tuple[float, str, list[str]]] = []
        self._stop = threading.Event()
        self._watch = threading.Thread(target=self._watch_loop, name="actdesk-stall-watch", daemon=True)

    def start(self) -> None:
        self.ticks.append(time.perf_counter())
        self.timer.start()
        self._watch.start()

    def stop(self) -> float:
        self.timer.stop()
        self._stop.set()
        self.ticks.append(time.perf_counter())
        return max((b - a for a, b in zip(self.ticks, self.ticks[1:], strict=False)), default=0.0)

    def stalls(self) -> list[tuple[float, float]]:
        """Every gap over ``STALL_REPORT_S``: (seconds after the first paint, its length), longest first."""
        start = self.ticks[0] if self.ticks else 0.0
        gaps = [(a - start, b - a) for a, b in zip(self.ticks, self.ticks[1:], strict=False)]
        return sorted(
            ((round(t, 3), round(g, 3)) for t, g in gaps if g > STALL_REPORT_S), key=lambda x: -x[1]
        )

    def _watch_loop(self) -> None:
        import traceback

        while not self._stop.wait(0.01):
            if not self.ticks or time.perf_counter() - self.ticks[-1] < STALL_REPORT_S:
                continue
            frame = sys._current_frames().get(self.gui_thread)
            if frame is None:
                continue
            if frame.f_code is run_until.__code__:
                # The event loop itself with no Python above it: Qt laying out or painting, or the GUI
                # thread waiting for the interpreter lock to call a slot (``stall_elsewhere`` says who had it).
                where = QT_NATIVE
            else:
                mine = [f for f in traceback.extract_stack(frame) if "actdesk" in f.filename][-3:]
                where = " < ".join(f"{Path(f.filename).stem}:{f.lineno} {f.name}" for f in reversed(mine))
            self.culprits[where] = self.culprits.get(where, 0) + 1
            others = self._note_others(traceback)
            if len(self.timeline) < TIMELINE_SAMPLES:
                self.timeline.append((round(time.perf_counter() - self.ticks[0], 2), where, others))

    def _note_others(self, traceback: Any) -> list[str]:
        """What the window's other threads run meanwhile: a GUI thread waiting for the interpreter lock
        shows only its event loop, the thread holding the lock is among these."""
        import threading

        seen: list[str] = []
        names = {t.ident: t.name for t in threading.enumerate()}
        for ident, frame in sys._current_frames().items():
            if ident in (self.gui_thread, threading.get_ident()):
                continue
            stack = traceback.extract_stack(frame)
            if stack and stack[-1].name in IDLE_FRAMES:
                continue
            top = " < ".join(f"{Path(f.filename).stem}:{f.lineno} {f.name}" for f in reversed(stack[-4:]))
            where = f"[{names.get(ident, '?')}] {top}"
            self.elsewhere[where] = self.elsewhere.get(where, 0) + 1
            seen.append(where)
        return seen


def run_smoke(app: QApplication, window: MainWindow, ctx: AppContext, screenshot_dir: Path | None) -> int:
    painted: list[bool] = []
    marks: dict[str, object] = {}
    probe = StallProbe() if os.environ.get(PAINT_TIMESTAMP_ENV) else None

    def first_paint() -> None:
        _record(marks, "paint")
        painted.append(True)

    window.sig_first_painted.connect(first_paint)
    if probe is not None:
        window.sig_first_painted.connect(probe.start)
    window.sig_first_data_shown.connect(lambda: _record(marks, "numbers"))
    window.resize(1280, 800)
    window.show()
    if not run_until(lambda: bool(painted), SETTLE_TIMEOUT):
        print("actdesk: the window was never painted", file=sys.stderr, flush=True)
        return 1
    wait_until_idle(app, ctx)  # the book opens behind the painted window, then the first panel loads
    if not ctx.book_open:  # refused: app.run reports why
        window.close()
        app.processEvents()
        return 1
    _record(marks, "idle")
    if os.environ.get(PAINT_TIMESTAMP_ENV):
        if wait_until_settled(app, window, ctx):
            _record(marks, "settled")
        if probe is not None:
            marks["max_stall"] = probe.stop()
            marks["stall_culprits"] = sorted(probe.culprits.items(), key=lambda kv: -kv[1])[:8]
            marks["stalls"] = probe.stalls()[:12]
            marks["stall_elsewhere"] = sorted(probe.elsewhere.items(), key=lambda kv: -kv[1])[:12]
            marks["stall_timeline"] = probe.timeline
            marks["settled_after_paint"] = time.time() - float(cast(float, marks["paint"]))
            _record(marks, "end")
    if screenshot_dir is not None:
        window.resize(*GALLERY_SIZE)  # the gallery of docs/ui.md: the laptop size advisors use most
        wait_until_idle(app, ctx)
        take_screenshots(app, window, ctx, screenshot_dir)
    window.close()
    app.processEvents()
    return 0


def _grab(widget: Any, path: Path) -> Path:
    widget.grab().save(str(path))
    return path


def take_screenshots(app: QApplication, window: MainWindow, ctx: AppContext, folder: Path) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    saved: list[Path] = []
    for spec in window.specs:
        window.show_panel(spec.key)
        wait_until_idle(app, ctx)
        path = folder / f"panel-{spec.key}.png"
        window.grab().save(str(path))
        saved.append(path)
    households: Any = window.panels.get("households")
    card = getattr(households, "card", None)
    if households is not None and card is not None:
        window.show_panel("households")
        wait_until_idle(app, ctx)
        model = getattr(households, "model", None)
        rows = [model.item(r) for r in range(model.rowCount())] if model is not None else []
        for status, name in (("client", "client"), ("prospect", "prospect"), ("former_client", "former")):
            # the richest of each status shows every section of its card
            chosen = max(
                (r for r in rows if r.status.value == status), key=lambda r: (r.aum, r.members), default=None
            )
            if chosen is None:
                continue
            households.open_household(chosen.id)
            wait_until_idle(app, ctx)
            saved.append(_grab(window, folder / f"card-{name}.png"))
            if status == "client":  # the names of the first gallery
                saved.append(_grab(window, folder / "panel-households-card.png"))
                saved.append(_grab(card, folder / "card.png"))
    for key, name in (("schedule", "schedule-week"), ("alerts", "alert-list")):
        if any(spec.key == key for spec in window.specs):
            window.show_panel(key)
            set_view = getattr(window.panels.get(key), "set_view", None)
            if callable(set_view):
                set_view("week")
            wait_until_idle(app, ctx)
            saved.append(_grab(window, folder / f"{name}.png"))
    welcome = Welcome(demo_available=window.demo_builder is not None)
    welcome.resize(window.size())
    welcome.show()
    app.processEvents()
    path = folder / "welcome.png"
    welcome.grab().save(str(path))
    welcome.close()
    saved.append(path)
    return saved
