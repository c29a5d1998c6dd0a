"""The collector while a command loads (``gc_tuning.loading``): paused inside, back on after, and the loaded
heap frozen only in a process that ends with its command."""

from __future__ import annotations

import gc
import subprocess
import sys
from collections.abc import Iterator

import pytest

from actdesk import gc_tuning


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
