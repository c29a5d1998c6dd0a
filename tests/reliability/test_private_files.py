"""Book, backup and temporary files are 0600; a killed decrypt or backup leaves no plaintext copy behind for
long: the next writer open removes it and ``db check`` names it (findings 4 and 16 of issue 25)."""

from __future__ import annotations

import io
import json
import os
import signal
import stat
import subprocess
import sys
import time
from pathlib import Path

import pytest

from actdesk.cli import main
from actdesk.storage.files import leftovers

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="POSIX file modes")


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


@pytest.fixture
def demo(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> Path:
    db = tmp_path / "book.db"
    assert main(["--db", str(db), "demo", "--households", "40", "--seed", "5"]) == 0
    capsys.readouterr()
    return db


def test_book_wal_and_backups_are_private(demo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert _mode(demo) == 0o600
    for side in ("-wal", "-shm"):
        extra = demo.with_name(demo.name + side)
        if extra.exists():
            assert _mode(extra) == 0o600
    assert main(["--db", str(demo), "backup", "create", "--json"]) == 0
    backup = Path(json.loads(capsys.readouterr().out)["path"])
    assert _mode(backup) == 0o600 and _mode(backup.with_suffix(".json")) == 0o600


def test_an_older_world_readable_book_is_tightened(demo: Path) -> None:
    demo.chmod(0o644)
    assert main(["--db", str(demo), "kpis", "--json"]) == 0
    assert _mode(demo) == 0o600


def _kill_when(proc: subprocess.Popen[bytes], appears: Path, timeout: float = 60) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline and proc.poll() is None:
        if appears.exists() and appears.stat().st_size > 0:
            proc.send_signal(signal.SIGKILL)
            proc.wait()
            return True
        time.sleep(0.002)
    proc.wait()
    return False


def test_a_killed_decrypt_leaves_a_private_copy_that_the_next_start_removes(
    demo: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("sys.stdin", io.StringIO("a long enough passphrase\n"))
    assert main(["--db", str(demo), "db", "encrypt", "--passphrase-stdin"]) == 0
    temporary = demo.with_name(f".{demo.name}.decrypting")
    env = {**os.environ, "ACTDESK_DB_PASSPHRASE": "a long enough passphrase"}
    killed = False
    for _attempt in range(5):  # the copy may finish before we see it on a fast machine: try again
        proc = subprocess.Popen(
            [sys.executable, "-m", "actdesk", "--db", str(demo), "db", "decrypt"],
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        killed = _kill_when(proc, temporary)
        if killed and temporary.exists():
            break
        if not killed:  # it finished: encrypt again and retry
            monkeypatch.setattr("sys.stdin", io.StringIO("a long enough passphrase\n"))
            assert main(["--db", str(demo), "db", "encrypt", "--passphrase-stdin"]) == 0
    if not (killed and temporary.exists()):
        pytest.skip("the decrypt always finished before it could be killed")
    assert _mode(temporary) == 0o600
    assert temporary in leftovers(demo)
    monkeypatch.setenv("ACTDESK_DB_PASSPHRASE", "a long enough passphrase")
    capsys.readouterr()
    main(["--db", str(demo), "db", "check", "--json"])
    report = json.loads(capsys.readouterr().out)
    assert str(temporary) in report["leftover_files"]["removed"]
    assert report["leftover_files"]["present"] == [] and not temporary.exists()


def test_a_killed_backup_partial_is_removed_and_reported(
    demo: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from actdesk.services.backup import book_folder

    folder = book_folder(demo)
    folder.mkdir(parents=True, exist_ok=True)
    partial = folder / ".20261205-000000-manual.partial"
    partial.write_bytes(b"SQLite format 3\x00" + b"\x00" * 4096)
    assert partial in leftovers(demo)
    assert main(["--db", str(demo), "db", "check", "--json"]) == 0
    report = json.loads(capsys.readouterr().out)
    assert report["leftover_files"]["removed"] == [str(partial)] and not partial.exists()


def test_db_check_read_only_reports_what_it_cannot_remove(
    demo: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    holder = subprocess.Popen(  # the window holds the book: db check opens it read-only
        [sys.executable, "-c", "import sys; from actdesk.storage.open import open_book; b = open_book(sys.argv[1]);"
         " print('ready', flush=True); sys.stdin.read()", str(demo)],
        stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True,
    )  # fmt: skip
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "ready"
        stray = demo.with_name(f".{demo.name}.encrypting")
        stray.write_bytes(b"x" * 1024)
        code = main(["--db", str(demo), "db", "check", "--json"])
        report = json.loads(capsys.readouterr().out)
        assert code == 1 and report["leftover_files"]["present"] == [str(stray)]
    finally:
        holder.communicate("", timeout=30)
