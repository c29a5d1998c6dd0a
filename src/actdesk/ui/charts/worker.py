"""Which task runner renders the window's charts (set by ``app.build_window``).

Kept apart from ``render.py`` so that the window can name the runner before its first paint without
importing matplotlib.
"""

from __future__ import annotations

from actdesk.ui.tasks import TaskRunner

_runner: TaskRunner | None = None


def render_with(runner: TaskRunner | None) -> None:
    """Render charts on ``runner``'s compute worker; ``None`` draws them on the GUI thread when painted."""
    global _runner
    _runner = runner


def render_runner() -> TaskRunner | None:
    """The runner, unless it was shut down (a closed window): charts are then drawn on the GUI thread."""
    return _runner if _runner is not None and not _runner.closed else None
