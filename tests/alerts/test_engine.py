"""The Qt-free AlertEngine: runs on its thread, coalesces requests, reports errors, stops cleanly."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable

from actdesk.services.alerts.engine import AlertEngine


def test_runs_at_start_and_on_request_then_stops() -> None:
    results: list[int] = []
    done = threading.Event()
    threads: set[str] = set()

    def work(should_stop: Callable[[], bool]) -> int:
        threads.add(threading.current_thread().name)
        return len(results)

    def record(n: int) -> None:
        results.append(n)
        done.set()

    engine = AlertEngine(work, on_result=record)
    engine.start(run_now=True)
    assert done.wait(5)
    done.clear()
    engine.request_run()
    assert done.wait(5)
    assert engine.stop(5) and not engine.alive
    assert results == [0, 1] and threads == {"actdesk-alerts"}


def test_requests_during_a_run_coalesce_into_one_more_run() -> None:
    release = threading.Event()
    started = threading.Event()
    finished: list[int] = []
    all_done = threading.Event()

    def work(should_stop: Callable[[], bool]) -> int:
        started.set()
        release.wait(5)
        return 1

    def record(n: int) -> None:
        finished.append(n)
        if len(finished) == 2:
            all_done.set()

    engine = AlertEngine(work, on_result=record)
    engine.start()
    assert started.wait(5)
    for _ in range(5):
        engine.request_run()
    release.set()
    assert all_done.wait(5)
    assert engine.stop(5)
    assert engine.runs == 2


def test_debounced_requests_wait_for_quiet() -> None:
    done = threading.Event()
    ran_at: list[float] = []

    def work(stop: Callable[[], bool]) -> int:
        ran_at.append(time.monotonic())
        return 1

    engine = AlertEngine(work, on_result=lambda _r: done.set())
    engine.start(run_now=False)
    asked = time.monotonic()
    engine.request_run(delay_s=0.2)
    engine.request_run(delay_s=0.2)  # a second request inside the quiet period: still one run
    assert done.wait(5)
    assert ran_at[0] - asked >= 0.2  # the run waited for the quiet period, measured, not slept for
    assert engine.stop(5) and engine.runs == 1


def test_errors_are_reported_and_the_loop_survives() -> None:
    errors: list[BaseException] = []
    ok = threading.Event()
    calls = iter([RuntimeError("database is locked"), None])

    def work(should_stop: Callable[[], bool]) -> str:
        exc = next(calls)
        if exc:
            raise exc
        return "fine"

    engine = AlertEngine(work, on_result=lambda _r: ok.set(), on_error=errors.append)
    engine.start()
    engine.request_run()
    assert ok.wait(5)
    assert engine.stop(5)
    assert [str(e) for e in errors] == ["database is locked"]


def test_stop_interrupts_a_running_evaluation() -> None:
    started = threading.Event()
    results: list[object] = []

    def work(should_stop: Callable[[], bool]) -> str:
        started.set()
        while not should_stop():
            threading.Event().wait(0.005)
        return "stopped early"

    engine = AlertEngine(work, on_result=results.append)
    engine.start()
    assert started.wait(5)
    assert engine.stop(5) and not engine.alive
    assert results == []  # nothing is reported after a stop was asked for


def test_periodic_runs() -> None:
    count = threading.Semaphore(0)
    engine = AlertEngine(lambda stop: 1, on_result=lambda _r: count.release(), interval_s=0.05)
    engine.start(run_now=False)
    assert count.acquire(timeout=5) and count.acquire(timeout=5)
    assert engine.stop(5)
