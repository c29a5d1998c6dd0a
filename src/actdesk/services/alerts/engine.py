"""A Qt-free periodic runner for the alert evaluation, on its own thread.

The window (or a headless service) creates one ``AlertEngine`` with the work to run, starts it, asks for
runs (``request_run``: now, or debounced after data changes) and stops it when closing. At most one
evaluation runs at a time; requests arriving during a run are coalesced into one more run after it.
Results and errors are handed to callbacks on the engine's thread: the Qt layer re-emits them as queued
signals. ``stop()`` asks the running evaluation to give up at its next checkpoint, joins the thread and ends the
engine's child process (``child``: the long-lived process the heavy half of each evaluation runs in, so
that the GIL-holding pandas work never stalls the window).
"""

from __future__ import annotations

import gc
import logging
import threading
import time
from collections.abc import Callable
from typing import Any

from actdesk.services.alerts.child import ChildProcess

log = logging.getLogger(__name__)

Work = Callable[[Callable[[], bool]], Any]  # work(should_stop) -> result

_heap_frozen = False


def freeze_startup_heap() -> None:
    """Take the objects alive once the window is up (modules, classes, Qt wrappers) out of the collector's sight.

    A full (generation 2) collection scans every tracked object while holding the GIL, stopping the GUI
    thread too. Measured on a 10,000-household book: the merge's allocations triggered one or two of them
    per evaluation, each stalling the event loop for 55-67 ms; with the startup heap frozen, under 20 ms.
    Once per process, without a collection first: that collection was itself the window's longest stall at
    start (0.3-0.4 s at load 5 on the GUI thread, ~230,000 objects) and found no garbage to free (0
    unreachable objects with the Book dashboard shown; reference counting frees almost everything), so
    freezing costs nothing and at worst keeps the few cycles of start-up garbage alive.
    """
    global _heap_frozen
    if not _heap_frozen:
        _heap_frozen = True
        gc.freeze()


class AlertEngine:
    def __init__(
        self,
        work: Work,
        *,
        on_result: Callable[[Any], None] | None = None,
        on_error: Callable[[BaseException], None] | None = None,
        on_started: Callable[[], None] | None = None,
        interval_s: float | None = None,
        max_debounce_s: float = 30.0,
        name: str = "actdesk-alerts",
        child: ChildProcess | None = None,
    ) -> None:
        self._work = work
        self.child = child
        self._on_result = on_result
        self._on_error = on_error
        self._on_started = on_started
        self.interval_s = interval_s
        self.max_debounce_s = max_debounce_s
        self._cond = threading.Condition()
        self._stopping = False
        self._due: float | None = None
        self._first_request: float | None = None
        self._next_periodic: float | None = None
        self._busy = False
        self.runs = 0
        self._thread = threading.Thread(target=self._loop, name=name, daemon=True)

    # -- control (any thread) -------------------------------------------------------------------------
    def start(self, run_now: bool = True) -> None:
        with self._cond:
            if self.interval_s:
                self._next_periodic = time.monotonic() + self.interval_s
            if run_now:
                self._due = time.monotonic()
        self._thread.start()

    def request_run(self, delay_s: float = 0.0) -> None:
        """Run soon. With a delay, successive requests push the run back (debounce), up to ``max_debounce_s``."""
        now = time.monotonic()
        with self._cond:
            if self._first_request is None:
                self._first_request = now
            target = now + max(0.0, delay_s)
            target = min(target, self._first_request + self.max_debounce_s)
            self._due = target if self._due is None or delay_s > 0 else min(self._due, target)
            self._cond.notify_all()

    def set_interval(self, interval_s: float | None) -> None:
        with self._cond:
            self.interval_s = interval_s
            self._next_periodic = time.monotonic() + interval_s if interval_s else None
            self._cond.notify_all()

    def stop(self, timeout: float = 10.0) -> bool:
        """Ask the loop (and a running evaluation) to stop; wait up to ``timeout`` s. True if it ended."""
        with self._cond:
            self._stopping = True
            self._cond.notify_all()
        if self._thread.is_alive() and threading.current_thread() is not self._thread:
            self._thread.join(timeout)
        child_ended = self.child.shutdown() if self.child is not None else True
        return child_ended and not self._thread.is_alive()

    @property
    def busy(self) -> bool:
        return self._busy

    @property
    def alive(self) -> bool:
        return self._thread.is_alive()

    def should_stop(self) -> bool:
        return self._stopping

    # -- the engine's thread ----------------------------------------------------------------------------
    def _wait_for_work(self) -> bool:
        with self._cond:
            while not self._stopping:
                now = time.monotonic()
                if self._next_periodic is not None and now >= self._next_periodic and self._due is None:
                    self._due = now
                if self._due is not None and now >= self._due:
                    self._due = None
                    self._first_request = None
                    if self.interval_s:
                        self._next_periodic = now + self.interval_s
                    return True
                deadlines = [d for d in (self._due, self._next_periodic) if d is not None]
                self._cond.wait(min(deadlines) - now if deadlines else None)
            return False

    def _loop(self) -> None:
        while self._wait_for_work():
            self._busy = True
            try:
                if self._on_started:
                    self._on_started()
                result = self._work(self.should_stop)
            except BaseException as exc:  # reported, never kills the loop
                if not self._stopping:
                    log.warning("alert evaluation failed", exc_info=exc)
                    if self._on_error:
                        self._on_error(exc)
            else:
                self.runs += 1
                if self._on_result and not self._stopping:
                    self._on_result(result)
            finally:
                self._busy = False
