"""Command-line figures: each command as a whole process, with its floors measured in the same run.

A command is timed from just before its process is spawned to its exit (wall), with the CPU time of the
process (user + system, ``RUSAGE_CHILDREN`` of a small wrapper, so it includes interpreter start). Beside
them, in the same run: ``python -c pass`` (the least any Python command costs) and the hand-written SQL for
AUM, flows and revenue in a fresh process (``sqlite3`` and four queries: the least the KPIs can cost as a
command).

**Fixed overhead.** For every command one extra run under ``python -X importtime`` splits the process into
interpreter start (the ``python -c pass`` floor), imports (sum of the top-level modules' cumulative import
times) and the rest: parsing, opening the book and the work itself. The split is reported beside the figure
(`extra`), so that a small book's figure can be read as "overhead + work".
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

import books
from measure import Figure

WRAPPER = """
import json, resource, subprocess, sys, time
t0 = time.perf_counter()
done = subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
wall = time.perf_counter() - t0
use = resource.getrusage(resource.RUSAGE_CHILDREN)
print(json.dumps({"wall": wall, "cpu": use.ru_utime + use.ru_stime, "code": done.returncode,
                  "maxrss_kb": use.ru_maxrss, "stderr": done.stderr.decode(errors="replace")[-4000:]}))
"""

FLOOR_SQL = """
import sqlite3, sys
con = sqlite3.connect("file:" + sys.argv[1] + "?mode=ro", uri=True)
for sql, args in QUERIES:
    con.execute(sql, args).fetchall()
con.close()
"""


@dataclass(frozen=True)
class Command:
    key: str
    label: str
    args: tuple[str, ...]  # after ``python -m actdesk --db BOOK``; "{out}" is a scratch file
    target: float | None = None  # seconds (the goal on the 150-household book)
    cold: bool = False  # the book's kept answers (services/answers.py) are dropped before each run


def commands(as_of: str) -> list[Command]:
    return [
        Command("cli_help", "`actdesk --help`", ("--help",), 0.25),
        Command("cli_kpis", "`actdesk kpis --json`", ("kpis", "--json", "--as-of", as_of), 0.6),
        Command("cli_alerts", "`actdesk alerts --json`", ("alerts", "--json", "--as-of", as_of), 0.8),
        Command(
            "cli_kpis_cold",
            "`actdesk kpis --json`, cold (no kept answer)",
            ("kpis", "--json", "--as-of", as_of),
            cold=True,
        ),
        Command(
            "cli_probabilities",
            "`actdesk probabilities --json`",
            ("probabilities", "--json", "--as-of", as_of),
            1.0,
        ),
        Command(
            "cli_probabilities_cold",
            "`actdesk probabilities --json`, cold (no kept answer)",
            ("probabilities", "--json", "--as-of", as_of),
            cold=True,
        ),
        Command(
            "cli_report",
            "`actdesk report stack-ranking --format pdf`",
            ("report", "stack-ranking", "--format", "pdf", "--out", "{out}", "--as-of", as_of),
            1.5,
        ),
    ]


def bytecode_env(env: dict[str, str] | None = None) -> dict[str, str]:
    """An environment whose Python reads and writes compiled bytecode (in ``bench/out/pycache``), as an
    installed app does. Without it (``PYTHONDONTWRITEBYTECODE`` in a development shell) every start
    recompiles every module it imports, which measures the compiler, not actdesk."""
    env = dict(os.environ if env is None else env)
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    env["PYTHONPYCACHEPREFIX"] = str(books.OUT / "pycache")
    return env


def cli_env(home: Path) -> dict[str, str]:
    env = bytecode_env()
    env.update(
        ACTDESK_DATA_DIR=str(home / "data"),
        ACTDESK_CONFIG_DIR=str(home / "config"),
        ACTDESK_LANG="en",
        QT_QPA_PLATFORM="offscreen",
    )
    env.pop("ACTDESK_DB", None)
    return env


DROP_ANSWERS = """
import sys
from sqlalchemy import text
from actdesk.storage.open import open_book
book = open_book(sys.argv[1])
try:
    with book.session() as s:
        s.execute(text("DELETE FROM series_cache WHERE key LIKE :key"), {"key": sys.argv[2]})
finally:
    book.dispose()
"""


def drop_answers(db: Path, command: str, env: dict[str, str]) -> None:
    """Forget the answers ``command --json`` kept in the book (``kpis``, ``probabilities``), so that its
    next run computes. Done through actdesk, as an edit in the app retires them: a write by another program
    (``sqlite3``) would make the next open scan every page (``storage/open.py``, ``check_due``), which an
    advisor's cold command does not pay."""
    subprocess.run(
        [sys.executable, "-c", DROP_ANSWERS, str(db), f"answer:{command}:%"], env=env, check=True, timeout=120
    )


def run_process(argv: list[str], env: dict[str, str], timeout: float = 300.0) -> dict[str, Any]:
    """Wall and CPU seconds of one process (spawn to exit), measured by a wrapper."""
    done = subprocess.run(
        [sys.executable, "-c", WRAPPER, *argv],
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
        check=True,
    )
    result: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
    if result["code"] != 0:
        raise RuntimeError(f"{' '.join(argv[:6])} failed (exit {result['code']}): {result['stderr']}")
    return result


def import_split(argv: list[str], env: dict[str, str], timeout: float = 300.0) -> dict[str, Any]:
    """Seconds spent importing (top-level modules' cumulative times under ``-X importtime``) and which of
    the heavy libraries the command loaded."""
    done = subprocess.run(
        [sys.executable, "-X", "importtime", *argv], env=env, capture_output=True, text=True, timeout=timeout
    )
    total = 0.0
    loaded = set()
    for line in done.stderr.splitlines():
        if not line.startswith("import time:") or line.count("|") != 2:
            continue
        _self, cumulative, name = line[len("import time:") :].split("|")
        if cumulative.strip().isdigit() and not name.startswith("  "):  # depth 0: a top-level import
            total += int(cumulative) / 1e6
        loaded.add(name.strip().split(".")[0])
    heavy = sorted(loaded & {"pandas", "numpy", "matplotlib", "lifelines", "scipy", "sqlalchemy", "PySide6"})
    return {"imports_s": total, "heavy": heavy}


def measure(db: Path, runs: int, as_of: str) -> list[Figure]:
    """The command-line figures on a scratch copy of ``db`` (``alerts`` records its evaluation)."""
    home = Path(tempfile.mkdtemp(prefix="actdesk-bench-cli-"))
    copy = books.scratch_copy(db)
    env = cli_env(home)
    out = home / "report.pdf"
    floor_pass = Figure("cli_floor_pass", "Floor: `python -c pass`")
    floor_sql = Figure("cli_floor_sql", "Floor: hand-written SQL for AUM, flows, revenue, fresh process")
    figures: list[Figure] = []
    try:
        script = floor_script(as_of)
        specs = commands(as_of)
        mine = {c.key: Figure(c.key, c.label, target=c.target, floor="cli_floor_pass") for c in specs}
        mine["cli_kpis"].floor = "cli_floor_sql"
        argv_of = {
            c.key: [sys.executable, "-m", "actdesk", "--db", str(copy), *(a.format(out=out) for a in c.args)]
            for c in specs
        }
        failed: set[str] = set()
        for c in specs:  # warm-up: bytecode compiled, page cache warm, the first alert evaluation done
            try:
                run_process(argv_of[c.key], env)
            except RuntimeError as exc:  # reported in the table, the other figures still measured
                mine[c.key].note = "failed: " + str(exc).strip().splitlines()[-1][:200]
                failed.add(c.key)
        cold = {c.key: c.args[0] for c in specs if c.cold}
        for _ in range(runs):
            for figure, argv in (
                (floor_pass, [sys.executable, "-c", "pass"]),
                (floor_sql, [sys.executable, "-c", script, str(copy)]),
                *((mine[c.key], argv_of[c.key]) for c in specs if c.key not in failed),
            ):
                if figure.key in cold:
                    drop_answers(copy, cold[figure.key], env)
                result = run_process(argv, env)
                figure.add(result["wall"], result["cpu"])
                figure.extra.setdefault("maxrss_mb", []).append(round(result["maxrss_kb"] / 1024, 1))
        for c in specs:
            if c.key in failed:
                continue
            if c.cold:
                drop_answers(copy, c.args[0], env)
            split = import_split(argv_of[c.key][1:], env)
            mine[c.key].extra.update(split)
        figures = [floor_pass, floor_sql, *mine.values()]
    finally:
        books.drop_scratch(copy)
        shutil.rmtree(home, ignore_errors=True)
    return figures


def floor_script(as_of: str) -> str:
    from datetime import date

    import bench_analytics
    from actdesk.domain.analytics.dates import shift_months

    day = date.fromisoformat(as_of)
    d, s = day.isoformat(), shift_months(day, -12).isoformat()
    queries = [
        (bench_analytics.FLOOR_AUM, {"d": d}),
        (bench_analytics.FLOOR_AUM, {"d": s}),
        (bench_analytics.FLOOR_FLOWS, {"s": s, "d": d}),
        (bench_analytics.FLOOR_FEES, {"s": s, "d": d}),
    ]
    return FLOOR_SQL.replace("QUERIES", repr(queries))


if __name__ == "__main__":
    book = Path(sys.argv[1])
    for fig in measure(book, int(sys.argv[2]) if len(sys.argv) > 2 else 3, books.AS_OF.isoformat()):
        s = fig.summary()
        print(f"{fig.label:60} median {s['median']:.3f} s  cpu {s['cpu_median']:.3f} s  {fig.extra}")
