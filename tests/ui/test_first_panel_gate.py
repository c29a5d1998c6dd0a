"""The gate of the work behind the window (issue 21): it opens once the first panel's data is shown and the
panel is built (or after its timeout), and runs what waits for it one import per task, never while the
first panel is busy."""

from __future__ import annotations

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QWidget

from actdesk.ui import first_panel_gate
from actdesk.ui.first_panel_gate import FirstPanelGate
from actdesk.ui.panels import BuiltInSteps
from actdesk.ui.tasks import TaskRunner


class FakeWindow(QObject):
    sig_first_data_shown = Signal()
    sig_first_panel_built = Signal()

    def __init__(self) -> None:
        super().__init__()
        self.ctx = type("Ctx", (), {"tasks": TaskRunner(inline=True)})()


class SteppedPanel(QWidget):
    sig_built = Signal()

    def __init__(self) -> None:
        super().__init__()
        self.built = False
        self.building = True


def test_the_gate_opens_after_the_first_data_and_the_last_card_and_waits_while_the_panel_is_busy(
    qtbot,
) -> None:  # type: ignore[no-untyped-def]
    window = FakeWindow()
    gate = FirstPanelGate(window)  # type: ignore[arg-type]
    opened: list[str] = []
    window.sig_first_panel_built.connect(lambda: opened.append("opened"))
    done: list[str] = []
    gate.import_quietly(["json", "csv"], lambda: done.append("imported"))
    panel = SteppedPanel()
    assert isinstance(panel, BuiltInSteps)
    gate.watch(panel)
    window.sig_first_data_shown.emit()
    qtbot.wait(2 * first_panel_gate.PAINT_MS)
    assert opened == [] and done == []  # the data is shown, the cards are not built
    panel.built = True
    panel.sig_built.emit()
    qtbot.waitUntil(lambda: opened == ["opened"], timeout=2_000)
    qtbot.wait(5 * first_panel_gate.POLL_MS)
    assert done == []  # open, but the panel still draws: nothing is imported
    ran: list[str] = []
    gate.when_quiet(lambda: ran.append("step"))
    assert ran == []
    panel.building = False
    qtbot.waitUntil(lambda: done == ["imported"] and ran == ["step"], timeout=2_000)
    gate.import_quietly(["json"], lambda: done.append("again"))  # after the gate opened: at once
    qtbot.waitUntil(lambda: done == ["imported", "again"], timeout=2_000)


def test_a_panel_that_never_reports_is_not_waited_for_past_the_timeouts(qtbot, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setattr(first_panel_gate, "TIMEOUT_MS", 100)
    monkeypatch.setattr(first_panel_gate, "QUIET_WAIT_S", 0.1)
    window = FakeWindow()
    gate = FirstPanelGate(window)  # type: ignore[arg-type]
    done: list[str] = []
    gate.import_quietly(["json"], lambda: done.append("imported"))
    gate.watch(SteppedPanel())  # never built, always busy
    window.sig_first_data_shown.emit()
    qtbot.waitUntil(lambda: gate.opened and done == ["imported"], timeout=3_000)


def test_a_panel_built_in_one_go_opens_the_gate_with_the_first_data(qtbot) -> None:  # type: ignore[no-untyped-def]
    window = FakeWindow()
    gate = FirstPanelGate(window)  # type: ignore[arg-type]
    gate.watch(None)
    assert not gate.opened
    window.sig_first_data_shown.emit()
    qtbot.waitUntil(lambda: gate.opened, timeout=2_000)
