"""One long-lived child process for the alert evaluation's heavy half.

A ``spawn`` ``ProcessPoolExecutor`` with one worker, started on the first run and kept alive, so the
child's imports (pandas, lifelines, SQLAlchemy: about a second) are paid once per session. ``run`` waits
for the child while polling ``should_stop``, so closing the window never waits for a computation;
``shutdown`` ends the child (gracefully when idle, terminated when busy) so no process outlives the window.

When no process can be started, or the child dies (killed, out of memory), ``run`` raises
``ChildUnavailable`` and the caller computes in its own thread; after ``MAX_START_FAILURES`` consecutive
failures the child is not tried again this session. An error raised BY the computation (a vanished book,
a corrupt file) is re-raised as is: a thread would fail the same way.
"""

from __future__ import annotations

import concurrent.futures as cf
import logging
import multiprocessing
import threading
import weakref
from collections.abc import Callable
from concurrent.futures.process import BrokenProcessPool
from typing import Any, ClassVar

from actdesk.gc_tuning import tune_garbage_collector
from actdesk.services.alerts.compute import EvaluationCancelled

log = logging.getLogger(__name__)

MAX_START_FAILURES = 2
POLL_S = 0.05


class ChildUnavailable(Exception):
    """No child process could run the computation; compute in the thread instead."""


class ChildProcess:
    instances: ClassVar[weakref.WeakSet[ChildProcess]] = weakref.WeakSet()  # for tests: none left running

    def __init__(self) -> None:
        ChildProcess.instances.add(self)
        self._lock = threading.Lock()
        self._executor: cf.ProcessPoolExecutor | None = None
        self._future: cf.Future[Any] | None = None  # the computation running or last run
        self._closed = False
        self.failures = 0  # consecutive start/crash failures
        self.runs = 0  # computations the child completed
        self.fallbacks = 0  # runs the caller had to do in its thread

    @property
    def available(self) -> bool:
        return not self._closed and self.failures < MAX_START_FAILURES

    @property
    def processes(self) -> list[multiprocessing.process.BaseProcess]:
        """The executor's live worker processes (for tests and diagnostics)."""
        executor = self._executor
        # ProcessPoolExecutor offers no public accessor before Python 3.14.
        procs = getattr(executor, "_processes", None) or {}
        return [p for p in list(procs.values()) if p.is_alive()]

    def _pool(self) -> cf.ProcessPoolExecutor:
        with self._lock:
            if self._closed:
                raise ChildUnavailable("the child process was shut down")
            if self._executor is None:
                self._executor = cf.ProcessPoolExecutor(
                    max_workers=1,
                    mp_context=multiprocessing.get_context("spawn"),
                    initializer=_child_init,
                )
            return self._executor

    def _broken(self, exc: BaseException) -> ChildUnavailable:
        self.failures += 1
        self.fallbacks += 1
        log.warning("the alert child process is unavailable (%s); evaluating in the thread", exc)
        with self._lock:
            executor, self._executor = self._executor, None
        if executor is not None:
            _end(executor, busy=True)
        return ChildUnavailable(str(exc))

    def run(self, fn: Callable[..., Any], *args: Any, should_stop: Callable[[], bool]) -> Any:
        """``fn(*args)`` in the child; EvaluationCancelled as soon as ``should_stop()`` turns true."""
        return self.wait(self.submit(fn, *args), should_stop=should_stop)

    def submit(self, fn: Callable[..., Any], *args: Any) -> cf.Future[Any]:
        """Start ``fn(*args)`` in the child and return at once (``wait`` collects it): the caller can do
        other work meanwhile, the child computing on the other core."""
        if not self.available:
            raise ChildUnavailable("the child process is disabled for this session")
        try:
            future = self._future = self._pool().submit(_in_language, _language(), fn, *args)
        except ChildUnavailable:
            raise
        except (BrokenProcessPool, OSError, RuntimeError) as exc:  # could not start (or was broken)
            raise self._broken(exc) from exc
        return future

    def wait(self, future: cf.Future[Any], *, should_stop: Callable[[], bool]) -> Any:
        """The result of a ``submit``; EvaluationCancelled as soon as ``should_stop()`` turns true."""
        while True:
            if should_stop():
                future.cancel()
                raise EvaluationCancelled()
            done, _ = cf.wait([future], timeout=POLL_S)
            if done:
                break
        try:
            result = future.result()
        except BrokenProcessPool as exc:  # the child died under the computation
            raise self._broken(exc) from exc
        self.failures = 0
        self.runs += 1
        return result

    def prewarm(self, modules: tuple[str, ...]) -> None:
        """Start the child now and import ``modules`` in it, so that its first computation does not wait for
        a process start and its imports (about a second): the window calls this at its first paint, and the
        child starts on the other core while the window loads its first panel."""
        if not self.available:
            return
        try:
            self._future = self._pool().submit(_import_modules, modules)
        except ChildUnavailable:
            return
        except (BrokenProcessPool, OSError, RuntimeError) as exc:
            self._broken(exc)

    def shutdown(self) -> bool:
        """End the child: gracefully if idle, terminated if busy. True once no worker is alive."""
        with self._lock:
            self._closed = True
            executor, self._executor = self._executor, None
            future, self._future = self._future, None
        if executor is None:
            return True
        return _end(executor, busy=future is not None and not future.done())


Language = tuple[str, str, str]


def _language() -> Language:
    from actdesk import i18n

    return (i18n.current_language(), i18n.current_locale(), i18n.current_currency())


def _in_language(language: Language, fn: Callable[..., Any], *args: Any) -> Any:
    """Run in the child in the window's language: explanations it writes (an alert's "Why") are read there.

    The child is spawned, so it starts in English; the language travels with every run (the advisor may
    switch it in Preferences while the child lives)."""
    from actdesk import i18n

    if _language() != language:
        i18n.set_language(language[0], language[1], language[2])
    return fn(*args)


def _import_modules(modules: tuple[str, ...]) -> None:
    import importlib

    for name in modules:
        importlib.import_module(name)


def _end(executor: cf.ProcessPoolExecutor, *, busy: bool) -> bool:
    """Shut ``executor`` down; its manager thread joins (reaps) the worker, so we never join it ourselves:
    two threads waiting on one process race, and the loser sees a dead child as alive."""
    processes = list((getattr(executor, "_processes", None) or {}).values())
    if busy:  # a computation nobody waits for any more: end it now rather than wait for it
        for p in processes:
            p.terminate()
    executor.shutdown(wait=True, cancel_futures=True)  # an idle worker exits at the sentinel
    return all(p.exitcode is not None for p in processes)


def _child_init() -> None:
    """In the child: tune the collector and end with the parent (a killed window must not leave its 200 MB
    worker, nor the resource tracker it keeps alive, running)."""
    tune_garbage_collector()
    watch_parent()


def watch_parent() -> None:
    """Exit as soon as the parent process is gone: a watchdog thread waits on the parent's sentinel (a pipe
    handle that becomes ready when it dies, on every platform). Not Linux's parent-death signal: that fires
    when the *thread* that spawned the child ends, and the pool may be started from a task thread."""
    import os

    parent = multiprocessing.parent_process()
    if parent is None:
        return

    def wait_for_parent() -> None:
        from multiprocessing.connection import wait

        wait([parent.sentinel])
        os._exit(0)

    threading.Thread(target=wait_for_parent, name="actdesk-parent-watchdog", daemon=True).start()
