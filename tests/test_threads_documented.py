"""Every module that starts a thread or a process is listed in docs/architecture.md ("Threads and processes"),
so that the next engineer finds them all in one place."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SRC = ROOT / "src" / "actdesk"
STARTS = re.compile(
    r"threading\.Thread\(|ThreadPoolExecutor\(|ProcessPoolExecutor\(|subprocess\.(run|Popen)\("
)


def starters() -> set[str]:
    return {
        p.relative_to(SRC).as_posix()
        for p in SRC.rglob("*.py")
        if STARTS.search(p.read_text(encoding="utf-8"))
    }


def test_every_thread_and_process_is_documented() -> None:
    doc = (ROOT / "docs" / "architecture.md").read_text(encoding="utf-8")
    section = doc.split("## Threads and processes", 1)[1].split("\n## ", 1)[0]
    missing = sorted(m for m in starters() if f"`{m}`" not in section)
    assert missing == [], f"start threads or processes but are not in the table: {missing}"


def test_the_scan_finds_the_known_ones() -> None:
    assert {"ui/tasks.py", "services/alerts/engine.py", "services/alerts/child.py"} <= starters()
