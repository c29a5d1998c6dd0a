"""The garbage collector for commands (``actdesk.gc_tuning``, issue 21): the thresholds set by the command line
still bound cyclic garbage (vCard and iCalendar parsers build cycles); the collector is paused while a command
loads (``gc_tuning.loading``), back on after, and the loaded heap frozen only in a process that ends with its
command."""

from __future__ import annotations

import gc
import os
import subprocess
import sys
from collections.abc import Iterator

import pytest

from actdesk import gc_tuning
from actdesk.gc_tuning import COMMAND_THRESHOLDS, THRESHOLDS


@pytest.fixture
def thresholds() -> Iterator[None]:
    before = gc.get_threshold()
    yield
    gc.set_threshold(*before)


def test_a_command_runs_with_the_command_thresholds() -> None:
    code = "import gc, sys; from actdesk.cli import main; main(sys.argv[1:]); print(gc.get_threshold())"
    env = dict(os.environ, ACTDESK_LANG="en")
    done = subprocess.run(
        [sys.executable, "-c", code, "--version"], capture_output=True, text=True, timeout=60, env=env
    )
    assert done.returncode == 0, done.stderr[-2000:]
    assert done.stdout.strip().splitlines()[-1] == str(COMMAND_THRESHOLDS)
    assert COMMAND_THRESHOLDS != THRESHOLDS  # the window keeps its own (tests/alerts/test_child.py)


def test_cyclic_garbage_stays_bounded_under_the_command_thresholds(thresholds: None) -> None:
    """A million objects in reference cycles, made and dropped: the collector still runs, so at no time are
    there more than the young generation's threshold of them tracked (``gc.get_count()[0]``: objects made
    and not freed since the young generation was last collected), and afterwards no more than that is left."""
    gc.collect()
    gc.set_threshold(*COMMAND_THRESHOLDS)
    baseline = len(gc.get_objects())
    collections = gc.get_stats()[0]["collections"]
    most = 0
    for _ in range(500_000):
        a: list[object] = []
        b = [a]
        a.append(b)  # a cycle: reference counting alone never frees it
        most = max(most, gc.get_count()[0])
    assert 100_000 < most <= COMMAND_THRESHOLDS[0] + 1
    assert gc.get_stats()[0]["collections"] - collections >= 4  # 1,000,000 objects / 200,000
    assert len(gc.get_objects()) - baseline <= COMMAND_THRESHOLDS[0] + 20_000


@pytest.fixture
def collector() -> Iterator[None]:
    was_enabled, frozen = gc.isenabled(), gc.get_freeze_count()
    yield
    if gc.get_freeze_count() > frozen:
        gc.unfreeze()
    (gc.enable if was_enabled else gc.disable)()


def test_paused_while_loading_and_on_again_after(collector: None) -> None:
    gc.enable()
    frozen = gc.get_freeze_count()
    with gc_tuning.loading():
        assert not gc.isenabled()
        kept = [[] for _ in range(1000)]
    assert gc.isenabled()
    assert gc.get_freeze_count() == frozen  # a test process goes on: nothing frozen
    del kept


def test_a_collector_that_was_off_stays_off(collector: None) -> None:
    gc.disable()
    with gc_tuning.loading():
        pass
    assert not gc.isenabled()


def test_on_again_after_an_error(collector: None) -> None:
    gc.enable()
    with pytest.raises(RuntimeError), gc_tuning.loading():
        raise RuntimeError("the book could not be opened")
    assert gc.isenabled()


def test_nothing_frozen_when_done_in_a_process_that_goes_on(collector: None) -> None:
    frozen = gc.get_freeze_count()
    gc_tuning.finished()
    assert gc.get_freeze_count() == frozen


FROZEN = """
import gc
from actdesk import gc_tuning
gc_tuning.ends_with_command()
with gc_tuning.loading():
    import decimal, fractions
loaded = gc.get_freeze_count()
work = [[n] for n in range(5000)]
gc_tuning.finished()
print(gc.isenabled(), loaded > 1000, gc.get_freeze_count() >= loaded + 5000)
"""


def test_a_process_that_ends_with_its_command_freezes_what_it_loaded_then_what_is_left() -> None:
    done = subprocess.run([sys.executable, "-c", FROZEN], capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr[-2000:]
    assert done.stdout.split() == ["True", "True", "True"]


EVERY_COMMAND = """
import gc, sys
from actdesk.cli import main
sys.argv = ["actdesk", "--db", sys.argv[1], "kpis", "--json"]
code = main()
print(code, gc.get_freeze_count() > 10_000, gc.isenabled(), file=sys.stderr)
"""


def test_every_command_leaves_its_heap_frozen_for_the_exit_once_its_book_is_closed(tmp_path) -> None:  # type: ignore[no-untyped-def]
    """The program's own run of any command (here ``kpis --json``): its output complete, its book closed and
    unlocked, then what is alive frozen, so the interpreter's last collection does not walk it."""
    db = tmp_path / "book.db"
    made = subprocess.run(
        [sys.executable, "-m", "actdesk", "--db", str(db), "demo", "--households", "12", "--seed", "3"],
        capture_output=True,
        text=True,
        timeout=300,
        env=dict(os.environ, ACTDESK_LANG="en"),
    )
    assert made.returncode == 0, made.stderr[-2000:]
    done = subprocess.run(
        [sys.executable, "-c", EVERY_COMMAND, str(db)],
        capture_output=True,
        text=True,
        timeout=120,
        env=dict(os.environ, ACTDESK_LANG="en"),
    )
    assert done.returncode == 0, done.stderr[-2000:]
    assert done.stderr.split()[-3:] == ["0", "True", "True"]
    import json

    assert json.loads(done.stdout)["clients"] > 0  # the whole answer was written before the freeze
    from actdesk.storage import lock as locks

    assert not (tmp_path / "book.db-wal").exists()  # closed cleanly: the log checkpointed into the file
    locks.acquire(db).release()  # and unlocked


def test_no_cycle_collection_pauses_and_resumes(collector: None) -> None:
    gc.enable()
    with gc_tuning.no_cycle_collection():
        assert not gc.isenabled()
        with gc_tuning.no_cycle_collection():  # nested: still paused when the inner one ends
            pass
        assert not gc.isenabled()
    assert gc.isenabled()
    gc.disable()
    with gc_tuning.no_cycle_collection():
        pass
    assert not gc.isenabled()  # a collector that was off stays off


def test_pauses_from_two_threads_end_with_the_last(collector: None) -> None:
    """The window's start-up pause and a computation's on a worker thread: whichever ends first leaves the
    collector paused for the other; it resumes when the last one ends, and after an error too."""
    import threading

    gc.enable()
    entered, release = threading.Event(), threading.Event()

    def worker() -> None:
        with gc_tuning.no_cycle_collection():
            entered.set()
            release.wait(10)

    thread = threading.Thread(target=worker)
    thread.start()
    assert entered.wait(10)
    gc_tuning.pause_collector()
    release.set()
    thread.join(10)
    assert not gc.isenabled()  # the worker's pause ended; start-up's has not
    gc_tuning.resume_collector()
    assert gc.isenabled()
    gc_tuning.resume_collector()  # a second resume (the window closed, then deleted) changes nothing
    assert gc.isenabled()
    with pytest.raises(ValueError), gc_tuning.no_cycle_collection():
        raise ValueError("no such book")
    assert gc.isenabled()


def test_kpis_are_computed_with_the_collector_paused_and_it_resumes_after(collector: None, book) -> None:  # type: ignore[no-untyped-def]
    """``kpis_for`` without the model: no collection runs while the records are read and the KPIs computed,
    only the one that resumes collecting at the end (the same work with the collector on sets off dozens at
    this threshold), and automatic collection is back on afterwards."""
    from datetime import date

    from actdesk.domain.analytics.config import AnalyticsConfig
    from actdesk.domain.analytics.kpis import compute_kpis
    from actdesk.services.analytics import kpis_for
    from actdesk.services.demo.generator import DemoOptions, generate_demo
    from actdesk.storage.book_records import load_book_records

    as_of, config = date(2026, 10, 31), AnalyticsConfig()
    generate_demo(book, DemoOptions(households=12, seed=3, as_of=as_of))
    seen: list[int] = []

    def watch(phase: str, info: dict[str, int]) -> None:
        if phase == "start":
            seen.append(info["generation"])

    def unpaused() -> dict[str, object]:
        with book.reader() as s:
            records = load_book_records(s, as_of)
        return compute_kpis(records, as_of, config)

    gc.enable()
    before = gc.get_threshold()
    gc.set_threshold(50)  # a collection every 50 objects while the collector is on
    gc.callbacks.append(watch)
    try:
        expected = unpaused()
        without_pause, seen[:] = len(seen), []
        kpis = kpis_for(book, as_of, config, with_probabilities=False)
    finally:
        gc.callbacks.remove(watch)
        gc.set_threshold(*before)
    assert kpis == expected
    assert without_pause > 20
    assert len(seen) <= 1
    assert gc.isenabled()
