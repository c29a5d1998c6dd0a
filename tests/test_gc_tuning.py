"""The garbage collector's thresholds for commands (``actdesk.gc_tuning``, issue 21): set by the command line,
and still bounding cyclic garbage (vCard and iCalendar parsers build cycles)."""

from __future__ import annotations

import gc
import os
import subprocess
import sys
from collections.abc import Iterator

import pytest

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
    there more than the young generation's threshold of them (plus what was alive before) tracked."""
    gc.collect()
    gc.set_threshold(*COMMAND_THRESHOLDS)
    baseline = len(gc.get_objects())
    most = 0
    for i in range(500_000):
        a: list[object] = []
        b = [a]
        a.append(b)  # a cycle: reference counting alone never frees it
        if i % 10_000 == 0:
            most = max(most, len(gc.get_objects()) - baseline)
    assert 100_000 < most <= COMMAND_THRESHOLDS[0] + 20_000
