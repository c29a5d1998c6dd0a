"""Processes end with their owner: the alert child exits when its parent is killed, and SIGTERM or Ctrl+C
close the window cleanly (no traceback, no orphaned child), as finding 15 of issue 25 asks."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from actdesk.cli import main

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="POSIX signals and /proc")

PARENT = """
import sys, time
from actdesk.services.alerts.child import ChildProcess
child = ChildProcess()
child.run(int, "7", should_stop=lambda: False)
print("ready", child.runs, flush=True)
time.sleep(600)
"""


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    try:  # a zombie waiting for its reaper is gone for our purpose
        return Path(f"/proc/{pid}/stat").read_text().split()[2] != "Z"
    except OSError:
        return True


def _children(pid: int) -> list[int]:
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                if int((entry / "stat").read_text().rsplit(")", 1)[1].split()[1]) == pid:
                    found.append(int(entry.name))
            except (OSError, IndexError, ValueError):
                continue
    return found


def _first_children(window: subprocess.Popen[str], seconds: float = 60) -> list[int]:
    """The window's child processes once it has started one (a signal wait, not a fixed sleep)."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        assert window.poll() is None, window.stderr.read() if window.stderr else ""
        if found := _children(window.pid):
            return found
        time.sleep(0.1)
    raise AssertionError("the window started no child process")


def _gone_within(pids: list[int], seconds: float) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if not any(_alive(p) for p in pids):
            return True
        time.sleep(0.1)
    return False


def test_the_alert_child_exits_when_its_parent_is_killed() -> None:
    parent = subprocess.Popen([sys.executable, "-c", PARENT], stdout=subprocess.PIPE, text=True)
    assert parent.stdout is not None
    assert parent.stdout.readline().split() == ["ready", "1"]  # it ran in the child
    children = _children(parent.pid)  # the worker and the resource tracker
    assert len(children) >= 1 and all(_alive(p) for p in children)
    parent.send_signal(signal.SIGKILL)
    parent.wait()
    assert _gone_within(children, 15), "a child outlived its parent"


@pytest.mark.parametrize("signum", [signal.SIGTERM, signal.SIGINT])
def test_a_signal_closes_the_window_cleanly(signum: int, tmp_path: Path) -> None:
    db = tmp_path / "book.db"
    assert main(["--db", str(db), "demo", "--households", "20", "--seed", "1"]) == 0
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "ACTDESK_DATA_DIR": str(tmp_path / "data"),
           "ACTDESK_CONFIG_DIR": str(tmp_path / "config")}  # fmt: skip
    window = subprocess.Popen(
        [sys.executable, "-m", "actdesk", "--db", str(db)], env=env, stderr=subprocess.PIPE, text=True
    )
    children = _first_children(window)  # the window paints, then starts its alert child
    window.send_signal(signum)
    try:
        _out, err = window.communicate(timeout=60)
    except subprocess.TimeoutExpired:
        window.kill()
        raise AssertionError("the window did not close on the signal") from None
    assert "Traceback" not in err and "KeyboardInterrupt" not in err, err
    assert window.returncode == 0
    assert _gone_within(children, 15), "the window left a child process running"
    assert not (
        db.with_name(db.name + ".lock").exists() and db.with_name(db.name + ".lock").read_text().strip()
    )


def test_a_stale_lock_of_a_killed_process_is_taken_over_with_a_note(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], writer_factory
) -> None:  # type: ignore[no-untyped-def]
    from tests.reliability.conftest import kill_hard

    db = tmp_path / "book.db"
    assert main(["--db", str(db), "demo", "--households", "5", "--seed", "1"]) == 0
    holder = writer_factory(db, "hold")
    capsys.readouterr()
    assert (
        main(["--db", str(db), "spend", "add", "--source", "X", "--amount", "10", "--date", "2026-01-01"])
        == 1
    )
    assert "open" in capsys.readouterr().err  # held: a failure of the world, exit 1
    kill_hard(holder)
    assert main(["--db", str(db), "kpis", "--json"]) == 0
    err = capsys.readouterr().err
    assert "note" in err and f"process {holder.pid}" in err and "taken over" in err
    assert main(["--db", str(db), "kpis", "--json"]) == 0
    assert "note" not in capsys.readouterr().err  # once only
