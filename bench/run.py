"""The benchmark runner: one command measures actdesk on books of three sizes and rewrites docs/performance.md.

    python bench/run.py                          # solo, practice and stress books, 5 runs each
    python bench/run.py --sizes solo --runs 3    # one size, fewer runs
    python bench/run.py --report-only            # rewrite docs/performance.md from the saved results

Books are built once with the demo generator and cached in ``bench/out/`` (see ``books.py``). Every figure
is measured several times and reported as median and spread, with CPU time and the load average, against its
target and, where one exists, as a ratio to a floor measured in the same run. Results are saved as JSON in
``bench/out/results-<size>.json`` (and ``results-common.json`` for the figures that do not depend on the
book's size); the report is regenerated from whichever result files exist.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import sys
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
sys.path.insert(0, str(Path(__file__).resolve().parent))

import books
import cli
import report
import startup
import suite
from measure import Figure

DOC = Path(__file__).resolve().parents[1] / "docs" / "performance.md"


def log(text: str) -> None:
    print(f"[{datetime.now():%H:%M:%S}] {text}", flush=True)


# The goals for the first panel's numbers and the settled window, per book size (seconds).
NUMBERS_TARGETS = {"solo": 1.0, "practice": 1.5}
SETTLED_TARGETS = {"solo": 4.0, "practice": 4.0}


def measure_startup(db: Path, runs: int, cold_runs: int, warmup: int, size: str = "") -> list[Figure]:
    """Bare-window floor, warm and cold app starts to first paint, to the first panel's numbers and to the
    settled window, the event loop's longest stall meanwhile, and peak memory of the warm starts."""
    floor = Figure("start_floor", "Floor: bare PySide6 window, start to first paint")
    warm = Figure("start_warm", "Start to first paint, warm", target=1.5, floor="start_floor")
    warm.extra["ratio_target"] = 3.0
    numbers = Figure(
        "start_numbers",
        "Start to the first panel's numbers on screen, warm",
        target=NUMBERS_TARGETS.get(size),
    )
    settled = Figure(
        "start_settled",
        "Start to settled (first alert evaluation and every panel task done), warm",
        target=SETTLED_TARGETS.get(size),
    )
    stall = Figure("start_stall", "Event loop's longest stall, first paint to settled", target=0.050)
    cold = Figure("start_cold", "Start to first paint, cold (page cache dropped)", floor="start_cold_floor")
    cold_floor = Figure("start_cold_floor", "Floor: bare PySide6 window, cold")
    idle = Figure("start_idle", "Start until the first panel's data is loaded, warm")
    memory = Figure(
        "memory", "Peak memory (RSS) with the book open, largest process", target=400.0, unit="MB"
    )
    app_memory = Figure("memory_app", "Peak memory (RSS) of the window's process", unit="MB")
    painted_memory = Figure("memory_at_paint", "Peak memory (RSS) at first paint", unit="MB")
    copy = books.scratch_copy(db)  # the app may write (alerts, settings): never into the cached book
    home = startup.private_home()
    try:
        for _ in range(warmup):
            startup.bare_start(home)
            startup.app_start(copy, home)
        for _ in range(runs):
            bare = startup.bare_start(home)
            floor.add(bare.paint, bare.cpu_at_paint)
            run = startup.app_start(copy, home)
            warm.add(run.paint, run.cpu_at_paint)
            if run.idle is not None:
                idle.add(run.idle)
            if run.numbers is not None:
                numbers.add(run.numbers, run.cpu_at_numbers)
            if run.settled is not None:
                settled.add(run.settled)
            if run.max_stall is not None:
                if run.max_stall >= max((s.wall for s in stall.samples), default=0.0):
                    stall.extra["culprits"] = run.stall_culprits  # the worst run's: where the GUI thread was
                stall.add(run.max_stall)
            memory.add(run.maxrss_mb)
            if run.maxrss_app_mb is not None:
                app_memory.add(run.maxrss_app_mb)
            if run.maxrss_at_paint_mb is not None:
                painted_memory.add(run.maxrss_at_paint_mb)
            warm.extra["heavy_modules_at_paint"] = run.heavy_at_paint
        for _ in range(cold_runs):
            if not startup.drop_page_cache():
                cold.note = cold_floor.note = "not measured: dropping the page cache needs root"
                break
            cold_floor.add(startup.bare_start(home).paint)
            startup.drop_page_cache()
            cold.add(startup.app_start(copy, home).paint)
        if not cold_runs:
            cold.note = cold_floor.note = "not measured in this run"
    finally:
        books.drop_scratch(copy)
        shutil.rmtree(home, ignore_errors=True)
    return [warm, floor, numbers, settled, stall, cold, cold_floor, idle, memory, app_memory, painted_memory]


STEPS = ("start-up", "command line", "card and search", "KPIs", "alerts", "month view", "dashboard")


def measure_size(
    name: str, out: Path, runs: int, cold_runs: int, warmup: int, only: list[str] | None = None
) -> dict[str, Any]:
    """Every step on the ``name`` book; with ``only``, just those steps, merged into the saved results."""
    size = books.SIZES[name]
    db = books.ensure_book(size, folder=out)
    result: dict[str, Any] = {
        "size": name,
        "book": db.name,
        "rows": books.row_counts(db),
        "started": datetime.now(UTC).isoformat(timespec="seconds"),
        "machine": machine(),
    }
    figures: list[Figure] = []
    steps = [
        ("start-up", lambda: measure_startup(db, runs, cold_runs, warmup, name)),
        ("command line", lambda: cli.measure(db, runs, books.AS_OF.isoformat())),
        ("card and search", lambda: list(suite.card_and_search(db, runs))),
        ("KPIs", lambda: list(suite.kpis(db, runs))),
        ("alerts", lambda: list(suite.alerts(db, runs))),
        ("month view", lambda: [suite.month_view(db, runs)]),
        ("dashboard", lambda: [suite.dashboard(db, runs)]),
    ]
    for label, step in steps:
        if only and label not in only:
            continue
        log(f"{name}: {label}")
        start = time.perf_counter()
        try:
            measured = step()
            figures.extend(measured)
            for line in report.console_lines([f.as_dict() for f in measured]):
                log(line)
        except Exception as exc:  # one broken step must not lose the others' samples
            log(f"{name}: {label} FAILED: {type(exc).__name__}: {exc}")
            result.setdefault("failed_steps", []).append(f"{label}: {type(exc).__name__}: {exc}"[:300])
            continue
        log(f"{name}: {label} done in {time.perf_counter() - start:.0f} s")
    result["figures"] = [f.as_dict() for f in figures]
    result["finished"] = datetime.now(UTC).isoformat(timespec="seconds")
    saved = out / f"results-{name}.json"
    if only and saved.exists():
        previous = json.loads(saved.read_text(encoding="utf-8"))
        fresh = {f["key"]: f for f in result["figures"]}
        merged = []
        for old in previous["figures"]:
            new = fresh.pop(old["key"], None)
            # a figure not measured this time (e.g. --cold-runs 0) keeps its earlier samples
            merged.append(new if new is not None and (new["samples"] or not old["samples"]) else old)
        result["figures"] = merged + list(fresh.values())
        result["started"] = previous["started"]
        result["remeasured"] = sorted(only)
    return result


def measure_common(runs: int, import_rows: int, recipients: int, messages: int) -> dict[str, Any]:
    result: dict[str, Any] = {
        "size": "common",
        "started": datetime.now(UTC).isoformat(timespec="seconds"),
        "machine": machine(),
    }
    figures: list[Figure] = []
    for label, step in (
        ("CSV import", lambda: list(suite.csv_import(import_rows, runs))),
        ("campaign outbox", lambda: [suite.outbox(recipients, runs)]),
        ("SMTP sending", lambda: [suite.smtp_send(messages, runs)]),
    ):
        log(f"common: {label}")
        figures.extend(step())
    result["figures"] = [f.as_dict() for f in figures]
    result["finished"] = datetime.now(UTC).isoformat(timespec="seconds")
    return result


def machine() -> dict[str, Any]:
    import sqlite3

    import PySide6

    cpu = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text(encoding="utf-8").splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    try:
        memory = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30
    except (ValueError, OSError, AttributeError):
        memory = float("nan")
    return {
        "cpu": cpu,
        "cores": os.cpu_count(),
        "memory_gb": round(memory, 1),
        "os": platform.platform(),
        "python": platform.python_version(),
        "pyside6": PySide6.__version__,
        "sqlite": sqlite3.sqlite_version,
        "load_average": [round(x, 2) for x in os.getloadavg()],
    }


def save(out: Path, result: dict[str, Any]) -> Path:
    out.mkdir(parents=True, exist_ok=True)
    path = out / f"results-{result['size']}.json"
    path.write_text(json.dumps(result, indent=1, default=str), encoding="utf-8")
    return path


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--sizes", nargs="*", default=["solo", "practice", "stress"], choices=list(books.SIZES)
    )
    parser.add_argument("--runs", type=int, default=5, help="samples per figure (default 5)")
    parser.add_argument("--cold-runs", type=int, default=3, help="cold start-ups per size (default 3)")
    parser.add_argument("--warmup", type=int, default=1, help="unrecorded start-ups before the warm ones")
    parser.add_argument("--no-common", action="store_true", help="skip import, outbox and SMTP figures")
    parser.add_argument("--import-rows", type=int, default=50_000)
    parser.add_argument("--recipients", type=int, default=5_000)
    parser.add_argument("--messages", type=int, default=300)
    parser.add_argument("--out", type=Path, default=books.OUT, help="cached books and JSON results")
    parser.add_argument("--doc", type=Path, default=DOC, help="the report to regenerate")
    parser.add_argument("--only", nargs="*", choices=STEPS, help="re-measure these steps, keep the rest")
    parser.add_argument("--report-only", action="store_true")
    args = parser.parse_args(argv)
    if not args.report_only:
        for name in args.sizes:
            books.ensure_book(books.SIZES[name], folder=args.out)
        for name in args.sizes:
            result = measure_size(name, args.out, args.runs, args.cold_runs, args.warmup, args.only)
            save(args.out, result)
            report.write(args.out, args.doc)
        if not args.no_common and not args.only:
            save(args.out, measure_common(args.runs, args.import_rows, args.recipients, args.messages))
    written = report.write(args.out, args.doc)
    log(f"wrote {written}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
