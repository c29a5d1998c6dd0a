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

import gc

THRESHOLDS = (50_000, 20, 10)
COMMAND_THRESHOLDS = (200_000, 20, 10)


def tune_garbage_collector() -> None:
    """Set the thresholds for this process (the window's and the child process's)."""
    gc.set_threshold(*THRESHOLDS)


def tune_for_command() -> None:
    """Set the thresholds of a command-line command's process (not the window's: ``cli.main``)."""
    gc.set_threshold(*COMMAND_THRESHOLDS)


def pause_collector() -> None:
    """Stop automatic collections (the window's start-up: ``ui/startup_gc.py``)."""
    gc.disable()


def resume_collector() -> None:
    """Take what is alive now out of the collector's sight, then collect automatically again.

    Not a collection: over the window's heap after start-up (370,000 objects) that held the interpreter lock
    about 185 ms and freed only what start-up left in cycles (5,000 objects, under 1 MB: matplotlib markers
    and transforms, frames), which stays frozen with the rest."""
    gc.freeze()
    gc.enable()
