"""The task runner: results reach the GUI thread by signal, and never a widget that was closed meanwhile."""

from __future__ import annotations

import threading

from PySide6.QtWidgets import QLabel

from actdesk.ui.tasks import TaskRunner


class _Receiver(QLabel):
    def __init__(self) -> None:
        super().__init__()
        self.results: list[object] = []

    def on_done(self, value: object) -> None:
        self.setText(str(value))
        self.results.append(value)


def test_result_arrives_on_the_gui_thread(qtbot) -> None:
    runner = TaskRunner()
    receiver = _Receiver()
    qtbot.addWidget(receiver)
    seen: list[str] = []

    def work(_state: object) -> str:
        seen.append(threading.current_thread().name)
        return "done"

    handle = runner.run_task(work, on_done=receiver.on_done)
    with qtbot.waitSignal(handle.sig_finished, timeout=5000):
        pass
    assert receiver.results == ["done"] and receiver.text() == "done"
    assert seen and seen[0].startswith("actdesk-db")
    runner.shutdown()


def test_result_for_a_deleted_widget_is_dropped_and_the_task_cancelled(qtbot) -> None:
    runner = TaskRunner()
    receiver = _Receiver()
    release = threading.Event()
    cancelled_seen: list[bool] = []

    def work(state) -> str:
        release.wait(5)
        cancelled_seen.append(state.cancelled)
        return "late"

    handle = runner.run_task(work, on_done=receiver.on_done)
    receiver.deleteLater()
    qtbot.waitUntil(lambda: handle.cancelled, timeout=5000)
    release.set()
    with qtbot.waitSignal(handle.sig_finished, timeout=5000):
        pass
    assert cancelled_seen == [True]
    runner.shutdown()


def test_errors_reach_on_error(qtbot, caplog) -> None:
    runner = TaskRunner()  # a real worker thread: the error crosses back to the GUI thread
    errors: list[BaseException] = []
    results: list[object] = []
    failure = ValueError("bad row")

    def work(_state: object) -> None:
        raise failure

    handle = runner.run_task(work, on_done=results.append, on_error=errors.append)
    assert runner.busy
    with qtbot.waitSignal(handle.sig_finished, timeout=5000):
        pass
    assert errors == [failure] and results == []  # the very exception, once; no result
    assert not runner.busy
    # Without on_error the failure is logged with its traceback, never swallowed.
    with qtbot.waitSignal(runner.run_task(work).sig_finished, timeout=5000):
        pass
    assert [r.exc_info[1] for r in caplog.records if r.message == "background task failed"] == [failure]
    runner.shutdown()
