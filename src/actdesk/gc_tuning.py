"""Python's garbage collector, tuned for a window that must not freeze.

A collection holds the global lock, so it stops the event loop whatever thread triggered it. With the
default thresholds (700, 10, 10) the allocations of an alert evaluation on a 10,000-household book
triggered full collections of 125-135 ms, stalling the window that long in one evaluation out of two or
three. With a young generation of 50,000 objects collections are rare enough that none fell inside an
evaluation in the benchmark (largest stall 13-25 ms), and the evaluation itself got faster (1.4-1.6 s
instead of 1.9-2.3 s). Reference counting still frees almost everything at once; the thresholds only
decide how often the collector looks for cycles.

A command (``actdesk alerts --json``, ``kpis``...) is a short process with no event loop to keep ticking: it
takes a young generation of 200,000 objects (``COMMAND_THRESHOLDS``), so that its imports and its work
trigger no young collection at all on a 150-household book; at 50,000 two collections of the objects its
imports had just made took 40-60 ms of an ``alerts --json`` run of 0.5 s (issue 21). Cyclic garbage still
cannot pile up beyond about 200,000 objects (``tests/test_gc_tuning.py``).
"""

from __future__ import annotations

import contextlib
import gc
import threading
from collections.abc import Iterator

THRESHOLDS = (50_000, 20, 10)
COMMAND_THRESHOLDS = (200_000, 20, 10)


def tune_garbage_collector() -> None:
    """Set the thresholds for this process (the window's and the child process's)."""
    gc.set_threshold(*THRESHOLDS)


def tune_for_command() -> None:
    """Set the thresholds of a command-line command's process (not the window's: ``cli.main``)."""
    gc.set_threshold(*COMMAND_THRESHOLDS)


_holds_lock = threading.Lock()
_holds = 0  # pauses in force, from any thread: automatic collection resumes when the last one ends
_resume_after = False  # automatic collection was on when the first of them began


def _hold() -> None:
    global _holds, _resume_after
    with _holds_lock:
        if _holds == 0:
            _resume_after = gc.isenabled()
            gc.disable()
        _holds += 1


def _release(*, freeze: bool = False) -> None:
    global _holds
    with _holds_lock:
        if _holds == 0:
            return  # not paused (a second resume): nothing to undo
        _holds -= 1
        if freeze:
            gc.freeze()
        if _holds == 0 and _resume_after:
            gc.enable()


def pause_collector() -> None:
    """Stop automatic collections (the window's start-up: ``ui/startup_gc.py``) until ``resume_collector``.
    Pauses nest, from any thread: collections resume when the last one ends, and only if they were on when
    the first began."""
    _hold()


def resume_collector() -> None:
    """Take what is alive now out of the collector's sight, then collect automatically again.

    Not a collection: over the window's heap after start-up (370,000 objects) that held the interpreter lock
    about 185 ms and freed only what start-up left in cycles (5,000 objects, under 1 MB: matplotlib markers
    and transforms, frames), which stays frozen with the rest."""
    _release(freeze=True)


@contextlib.contextmanager
def no_cycle_collection() -> Iterator[None]:
    """No automatic collection while building and reading records that hold no reference cycles (the book's
    plain records and the KPIs computed from them, ``services.analytics.kpis_for``).

    Reference counting frees all of it; looking for cycles among it finds none. On a 10,000-household book the
    young collections that its tuples, dicts and lists set off took 16-30 ms of each 230-300 ms computation
    (two or three a run at the window's thresholds). What is still alive when the block ends is looked at by
    the next collection as usual; nothing is frozen."""
    _hold()
    try:
        yield
    finally:
        _release()


_ENDS_WITH_COMMAND = False


def ends_with_command() -> None:
    """This process exits when its command is done (``python -m actdesk COMMAND``; not tests that call the
    command line's ``main()`` many times, nor the window): ``loading`` may then freeze what it loaded."""
    global _ENDS_WITH_COMMAND
    _ENDS_WITH_COMMAND = True


@contextlib.contextmanager
def loading() -> Iterator[None]:
    """No collections while a command loads its libraries and opens its book; then, in a process that ends
    with the command, what is alive is frozen (``gc.freeze``).

    Modules, classes and functions live until the process ends, so looking at them for cycles finds
    nothing, twice: a report's imports (SQLAlchemy, pandas, matplotlib) triggered 27 young collections
    (60 ms), and the interpreter's last collection at exit went through the whole heap again (0.25-0.3 s
    CPU at load 5, 0.05 s once that heap was frozen). The command's own work after the block is collected
    as before. A collector that was off stays off. In a process that goes on (tests), nothing is frozen:
    garbage cycles alive at that moment would stay for its whole life."""
    _hold()
    try:
        yield
    finally:
        _release(freeze=_ENDS_WITH_COMMAND)


def finished() -> None:
    """The command's work is done (its files written and closed, its book closed, its output flushed:
    ``cli.main`` calls this last for every command): in a process that ends with it, freeze what is left, so
    that the interpreter's last collection at exit does not look through it for cycles (0.1-0.2 s of CPU of
    ``alerts --json`` and ``kpis --json`` on 150 households, 30 ms more of a report's after ``loading``).
    Nothing is frozen in a process that goes on."""
    if _ENDS_WITH_COMMAND:
        gc.freeze()
