"""The child process the window tests of one worker share (the ``warm_child`` fixture in tests/conftest.py).

The app keeps one child process for its session (``services/alerts/child.py``); a test whose window started
its own paid its start and imports (Python, pandas, lifelines, SQLAlchemy: about 1.3 s of CPU) each time.
Tests hand the shared one to ``build_window(child=...)`` or ``AppContext(child=...)`` where the child's start
or end is not what they test: closing a window leaves it running, and it ends with the session. Starting,
killing and ending a cold child stay tested in tests/alerts/test_child.py and on children of their own in
tests/alerts/test_panel.py. What runs in it is keyed by the book's path and state (each test has its own
book; a module's shared book is only read), and each run carries the window's language. The child keeps its
retention models in the cache folder of the test that started it.
"""

from __future__ import annotations

import multiprocessing

from actdesk.services.alerts.child import ChildProcess


class SharedChild(ChildProcess):
    def shutdown(self) -> bool:
        """A window's close (and the autouse fixture ending leftover children) leaves it to the next test."""
        return True

    def close(self) -> bool:
        return super().shutdown()


def processes_of_others() -> set[multiprocessing.process.BaseProcess]:
    """The shared child's processes, if a test of this worker started it: a test checking that no child of
    its own is left running leaves these out."""
    return {
        p for child in list(ChildProcess.instances) if isinstance(child, SharedChild) for p in child.processes
    }
