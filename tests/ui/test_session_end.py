"""The platform's end of session (logout, shutdown) closes the window like SIGTERM does (issue 25, item 15).

Qt delivers it as ``QGuiApplication.commitDataRequest(QSessionManager&)``. A QSessionManager cannot be made
outside Qt, so the test checks that the application's signal is connected to the hook, then drives the hook
exactly as the signal does (with no manager) and checks the outcome: window closed, background stopped, the
alert child ended, the book disposed and its lock released, before the handler returned.
"""

from __future__ import annotations

import signal
from pathlib import Path

import pytest

pytestmark = pytest.mark.skipif(not hasattr(signal, "SIGHUP"), reason="POSIX signal handlers alongside")


def test_the_end_of_session_closes_the_window_and_releases_the_book(qtbot, book, db_path: Path) -> None:  # type: ignore[no-untyped-def]
    from PySide6.QtCore import SIGNAL
    from PySide6.QtWidgets import QApplication

    from actdesk.app import build_window, configure_qsettings, release
    from actdesk.settings import load_settings
    from actdesk.ui.quit_signals import quit_on_signals
    from actdesk.ui.tasks import TaskRunner

    configure_qsettings()
    window, ctx = build_window(
        book, load_settings(), tasks=TaskRunner(), welcome=False, first_panel="households", background=False
    )
    qtbot.addWidget(window)
    window.show()
    qtbot.waitUntil(lambda: window.current_key == "households", timeout=5000)
    lock_file = db_path.with_name(db_path.name + ".lock")
    assert book.lock is not None and lock_file.exists()
    child = ctx.child_process()
    assert child.run(int, "7", should_stop=lambda: False) == 7  # the child is up, as after an evaluation
    closing: list[bool] = []
    window.sig_closing.connect(lambda: closing.append(True))

    app = QApplication.instance()
    assert isinstance(app, QApplication)
    signature = SIGNAL("commitDataRequest(QSessionManager&)")
    receivers_before = app.receivers(signature)
    hook = quit_on_signals(window, window.close, lambda: release(ctx, book))
    assert hook is not None
    try:
        assert app.receivers(signature) == receivers_before + 1  # the platform's signal reaches the hook
        hook.session_ending(None)  # what Qt's commitDataRequest does, synchronously
        assert closing == [True] and not window.isVisible()
        assert book.lock is None  # released before the handler returned: no holder named in the lock file
        assert not (lock_file.exists() and lock_file.read_text().strip())
        assert child.shutdown() is True  # already ended: nothing left to end
        assert ctx.tasks.run_task(lambda _state: 1).cancelled  # nothing new runs after the end
        hook.session_ending(None)  # a second request is harmless
        assert closing == [True]
    finally:
        hook.uninstall()
    assert app.receivers(signature) == receivers_before
