"""The one place where threads meet Qt (after Orange3's concurrent utilities).

Work is a plain function ``fn(state, *args)`` that may call ``state.progress(0..1)``, ``state.partial(x)``
and check ``state.cancelled``. Database work goes through one single-worker executor, so writes never race;
results come back to the GUI thread through queued signals. ``inline=True`` runs tasks synchronously
(unit tests of controllers).
"""

from __future__ import annotations

import logging
import sys
import threading
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from typing import Any

import shiboken6
from PySide6.QtCore import QObject, Qt, Signal, Slot

log = logging.getLogger(__name__)
# How long a thread may hold the interpreter lock while another waits for it (Python's default: 5 ms). The
# GUI thread takes the lock for every slot, paint and event filter written in Python, many times per frame;
# behind busy workers (pandas, imports) each take waited up to 5 ms, and a frame's layout waited 100-300 ms.
# At 0.5 ms the longest stall at start fell from 0.18-0.36 s to 0.08-0.27 s, paired run by run, with the
# same CPU time (2,000 households, load 6-11; docs/performance.md, sixth wave).
SWITCH_INTERVAL_S = 0.0005


class TaskCancelled(Exception):
    """Raised inside a task by ``state.check()`` once cancellation was asked for."""


class TaskState:
    def __init__(self, relay: _Relay) -> None:
        self._relay = relay
        self._cancel = threading.Event()

    @property
    def cancelled(self) -> bool:
        return self._cancel.is_set()

    def cancel(self) -> None:
        self._cancel.set()

    def check(self) -> None:
        if self._cancel.is_set():
            raise TaskCancelled()

    def progress(self, fraction: float, message: str = "") -> None:
        self._relay.sig_progress.emit(float(fraction), message)

    def partial(self, value: Any) -> None:
        self._relay.sig_partial.emit(value)


class _Relay(QObject):
    """Lives in the GUI thread; signals emitted from the worker are queued to it."""

    sig_done = Signal(object)
    sig_failed = Signal(object)
    sig_progress = Signal(float, str)
    sig_partial = Signal(object)


def _owners(*callbacks: Callable[..., Any] | None) -> list[QObject]:
    """The widgets whose bound methods receive the result: a result for a closed widget is dropped."""
    return [cb.__self__ for cb in callbacks if isinstance(getattr(cb, "__self__", None), QObject)]  # type: ignore[union-attr]


class TaskHandle(QObject):
    """A running task: cancel it, or connect to its outcome.

    When the widget that asked for the work is deleted before the work ends (its panel or dialog closed),
    the task is cancelled and its result dropped instead of reaching a deleted widget.
    """

    sig_finished = Signal()

    def __init__(
        self,
        on_done: Callable[[Any], None] | None,
        on_error: Callable[[BaseException], None] | None,
        on_progress: Callable[[float, str], None] | None,
        on_partial: Callable[[Any], None] | None,
        owner: QObject | None = None,
    ) -> None:
        super().__init__()
        self.relay = _Relay()
        self.state = TaskState(self.relay)
        self.future: Future[Any] | None = None
        self._on_done = on_done
        self._on_error = on_error
        self._owners = _owners(on_done, on_error, on_progress, on_partial) + (
            [owner] if owner is not None else []
        )
        for obj in self._owners:
            obj.destroyed.connect(self.cancel)
        self.relay.sig_done.connect(self._done, Qt.ConnectionType.QueuedConnection)
        self.relay.sig_failed.connect(self._failed, Qt.ConnectionType.QueuedConnection)
        if on_progress:
            self.relay.sig_progress.connect(on_progress, Qt.ConnectionType.QueuedConnection)
        if on_partial:
            self.relay.sig_partial.connect(on_partial, Qt.ConnectionType.QueuedConnection)

    def cancel(self) -> None:
        self.state.cancel()

    @property
    def cancelled(self) -> bool:
        return self.state.cancelled

    def _owners_alive(self) -> bool:
        return all(shiboken6.isValid(obj) for obj in self._owners)

    @Slot(object)
    def _done(self, value: Any) -> None:
        try:
            if self._on_done and not self.state.cancelled and self._owners_alive():
                self._on_done(value)
        finally:
            self.sig_finished.emit()

    @Slot(object)
    def _failed(self, error: BaseException) -> None:
        try:
            if isinstance(error, TaskCancelled) or self.state.cancelled or not self._owners_alive():
                return
            if self._on_error:
                self._on_error(error)
            else:
                log.error("background task failed", exc_info=error)
        finally:
            self.sig_finished.emit()


class TaskRunner(QObject):
    """Runs tasks off the GUI thread. ``db`` tasks share one worker; ``compute`` tasks have their own."""

    def __init__(self, inline: bool = False) -> None:
        super().__init__()
        self.inline = inline
        if not inline:  # threads that will share the interpreter lock with the GUI thread
            sys.setswitchinterval(SWITCH_INTERVAL_S)
        self._db = ThreadPoolExecutor(max_workers=1, thread_name_prefix="actdesk-db")
        self._compute = ThreadPoolExecutor(max_workers=1, thread_name_prefix="actdesk-compute")
        self._running: set[TaskHandle] = set()
        self._closed = False

    def run_task(
        self,
        fn: Callable[..., Any],
        *args: Any,
        on_done: Callable[[Any], None] | None = None,
        on_error: Callable[[BaseException], None] | None = None,
        on_progress: Callable[[float, str], None] | None = None,
        on_partial: Callable[[Any], None] | None = None,
        pool: str = "db",
        owner: QObject | None = None,
    ) -> TaskHandle:
        handle = TaskHandle(on_done, on_error, on_progress, on_partial, owner)
        if self._closed:  # after shutdown (the session ended before the event loop did): nothing runs
            handle.state.cancel()
            return handle
        self._running.add(handle)
        handle.sig_finished.connect(lambda: self._running.discard(handle))

        def work() -> None:
            try:
                result = fn(handle.state, *args)
            except BaseException as exc:
                handle.relay.sig_failed.emit(exc)
            else:
                handle.relay.sig_done.emit(result)

        if self.inline:
            work()
        else:
            executor = self._db if pool == "db" else self._compute
            handle.future = executor.submit(work)
        return handle

    @property
    def busy(self) -> bool:
        """True while a task is queued or running (``gui --smoke`` waits for quiet before its screenshots)."""
        return bool(self._running)

    @property
    def closed(self) -> bool:
        """``shutdown()`` was called: nothing more runs here."""
        return self._closed

    def shutdown(self, wait: bool = True) -> None:
        """Cancel what is running and wait for the last task to end (called when the window closes)."""
        self._closed = True
        for handle in list(self._running):
            handle.cancel()
        self._db.shutdown(wait=wait, cancel_futures=True)
        self._compute.shutdown(wait=wait, cancel_futures=True)
