"""The one atomic write (actdesk.paths): the settings, backup manifests, exports, reports and calendars use it."""

from __future__ import annotations

from pathlib import Path

import pytest

from actdesk.paths import atomic_path, atomic_write


def test_a_write_replaces_the_file_whole(tmp_path: Path) -> None:
    target = tmp_path / "settings.json"
    target.write_text("old", encoding="utf-8")
    atomic_write(target, "new ñ")
    assert target.read_text(encoding="utf-8") == "new ñ"
    atomic_write(target, b"\x00bytes")
    assert target.read_bytes() == b"\x00bytes"
    assert [p.name for p in tmp_path.iterdir()] == ["settings.json"]  # no temporary file left


def test_a_failed_write_leaves_the_old_file_and_no_litter(tmp_path: Path) -> None:
    target = tmp_path / "report.pdf"
    target.write_bytes(b"the last good report")
    with pytest.raises(RuntimeError), atomic_path(target) as tmp:
        tmp.write_bytes(b"half a rep")
        raise RuntimeError("the renderer crashed")
    assert target.read_bytes() == b"the last good report"
    assert [p.name for p in tmp_path.iterdir()] == ["report.pdf"]


def test_the_copies_are_gone() -> None:
    """Eight modules each had their own mkstemp + os.replace; now only actdesk.paths writes that way
    (the database swaps in crypto, backup and restore move SQLite files with their -wal, and stay apart)."""
    src = Path(__file__).resolve().parents[1] / "src" / "actdesk"
    own = {"paths.py", "services/crypto.py", "services/backup/create.py", "services/backup/restore.py"}
    copies = [
        p.relative_to(src).as_posix()
        for p in src.rglob("*.py")
        if "os.replace(" in p.read_text(encoding="utf-8") and p.relative_to(src).as_posix() not in own
    ]
    assert copies == []
