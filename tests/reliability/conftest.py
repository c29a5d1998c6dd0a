"""Helpers for the reliability tests: real writer processes and raw looks at the database file."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest

WRITER = Path(__file__).with_name("writer.py")


def cli_demo(tmp_path_factory: pytest.TempPathFactory, *args: str) -> Path:
    """A demo book made by ``actdesk demo ARGS`` (in-process), for a module-scoped fixture whose tests each
    take a copy: generating it again for every test was most of those tests' CPU. It runs in data and config
    folders of its own, as every test does (a module fixture is set up before the per-test ones)."""
    from actdesk.cli import main

    home = tmp_path_factory.mktemp("demo-home")
    db = tmp_path_factory.mktemp("demo") / "book.db"
    with pytest.MonkeyPatch.context() as env:
        env.setenv("ACTDESK_DATA_DIR", str(home / "data"))
        env.setenv("ACTDESK_CONFIG_DIR", str(home / "config"))
        env.setenv("ACTDESK_LANG", "en")
        assert main(["--db", str(db), "demo", *args]) == 0
    return db


def start_writer(db: Path, mode: str, *args: str) -> subprocess.Popen[str]:
    """A separate actdesk writer process (its own interpreter, its own lock)."""
    env = {**os.environ, "PYTHONUNBUFFERED": "1"}
    proc = subprocess.Popen(
        [sys.executable, str(WRITER), str(db), mode, *args],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
    )
    assert proc.stdout is not None
    first = proc.stdout.readline().strip()
    if first != "ready":
        proc.kill()
        raise AssertionError(f"writer did not start: {first!r} {proc.stderr.read() if proc.stderr else ''}")
    return proc


def kill_hard(proc: subprocess.Popen[str]) -> list[str]:
    """SIGKILL (no cleanup, no atexit, like a power cut for the process); returns what it had printed."""
    proc.send_signal(signal.SIGKILL)
    out, _err = proc.communicate(timeout=10)
    return out.splitlines()


@pytest.fixture
def writer_factory():
    started: list[subprocess.Popen[str]] = []

    def make(db: Path, mode: str, *args: str) -> subprocess.Popen[str]:
        proc = start_writer(db, mode, *args)
        started.append(proc)
        return proc

    yield make
    for proc in started:
        if proc.poll() is None:
            proc.kill()
            proc.communicate(timeout=10)
