"""The benchmark runner end to end on the tiny book with one run of everything, so that it cannot rot.

No timing assertions: the figures depend on the machine. The test checks that every figure was measured (or
says why not), that the JSON results and the regenerated report hold them, and that the start-up probe saw
the window painted.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
SIZE_FIGURES = {
    "start_warm",
    "start_floor",
    "start_cold",
    "start_cold_floor",
    "start_idle",
    "start_numbers",
    "start_settled",
    "start_stall",
    "cli_floor_pass",
    "cli_floor_sql",
    "cli_help",
    "cli_kpis",
    "cli_kpis_cold",
    "cli_alerts",
    "cli_probabilities",
    "cli_probabilities_cold",
    "cli_report",
    "memory",
    "memory_app",
    "memory_at_paint",
    "card",
    "search",
    "kpis",
    "first_tiles",
    "kpis_floor",
    "kpis_one_core",
    "alerts",
    "alerts_stall",
    "month",
    "dashboard",
}
COMMON_FIGURES = {"import", "import_floor", "outbox", "send"}


@pytest.mark.slow  # about 40 s: CI runs it (.ci/run sets ACTDESK_RUN_SLOW=1), the README's command does not
def test_runner_measures_everything_on_the_tiny_book(tmp_path: Path) -> None:
    out, doc = tmp_path / "out", tmp_path / "performance.md"
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", ACTDESK_DATA_DIR=str(tmp_path / "data"))
    env["ACTDESK_CONFIG_DIR"] = str(tmp_path / "config")
    small = ["--runs", "1", "--cold-runs", "0", "--warmup", "0", "--import-rows", "40", "--recipients", "5"]
    done = subprocess.run(
        [
            sys.executable,
            str(ROOT / "bench" / "run.py"),
            "--sizes",
            "tiny",
            *small,
            "--messages",
            "2",
            "--out",
            str(out),
            "--doc",
            str(doc),
        ],
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
        cwd=tmp_path,
    )
    assert done.returncode == 0, done.stdout[-2000:] + done.stderr[-3000:]

    tiny = json.loads((out / "results-tiny.json").read_text(encoding="utf-8"))
    figures = {f["key"]: f for f in tiny["figures"]}
    assert set(figures) == SIZE_FIGURES
    for key in SIZE_FIGURES - {"start_cold", "start_cold_floor", "dashboard", "kpis_one_core"}:
        assert figures[key]["summary"]["n"] >= 1, key
        assert figures[key]["summary"]["median"] > 0, key
    assert figures["start_cold"]["note"] == "not measured in this run"
    assert figures["dashboard"]["samples"] or figures["dashboard"]["note"] == "not built"
    assert figures["kpis_one_core"]["samples"] or "not measured" in figures["kpis_one_core"]["note"]
    assert figures["kpis"]["extra"]["same_sums"] is True
    assert figures["first_tiles"]["extra"]["same_sums"] is True
    # the runner prints each figure with its goal, and each command with its fixed overhead
    assert (
        "`actdesk kpis --json`:" in done.stderr + done.stdout
        and "fixed overhead" in done.stderr + done.stdout
    )
    assert figures["search"]["summary"]["n"] == len(figures["search"]["extra"]["typed"])
    assert tiny["rows"]["households"] == 12

    common = json.loads((out / "results-common.json").read_text(encoding="utf-8"))
    assert {f["key"] for f in common["figures"]} == COMMON_FIGURES
    assert all(f["summary"]["n"] == 1 for f in common["figures"])

    text = doc.read_text(encoding="utf-8")
    assert "## Tiny book" in text and "## Independent of the book's size" in text
    assert "Start to first paint, warm" in text and "× floor" in text
    # the window's start imported neither pandas nor matplotlib before its first paint
    assert figures["start_warm"]["extra"]["heavy_modules_at_paint"] == []
