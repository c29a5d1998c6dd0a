"""Commands import only what they need (issue 21): measured in fresh processes with ``python -X importtime``.

``--help`` and every sub-command's registration load no pandas, numpy, matplotlib, lifelines, SciPy or
SQLAlchemy; KPIs that show no retention probability never load lifelines or SciPy. The detector itself is
proven on a planted violation, so a green run means the modules really were absent.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

HEAVY = ("pandas", "numpy", "matplotlib", "lifelines", "scipy", "sqlalchemy")
MODEL = ("lifelines", "scipy")


def imported(args: list[str], env_extra: dict[str, str] | None = None) -> tuple[set[str], str]:
    """Top-level packages a fresh ``python -X importtime ARGS`` imported, and its standard output."""
    env = dict(os.environ, ACTDESK_LANG="en", **(env_extra or {}))
    done = subprocess.run(
        [sys.executable, "-X", "importtime", *args], capture_output=True, text=True, timeout=120, env=env
    )
    assert done.returncode == 0, done.stderr[-2000:]
    names = set()
    for line in done.stderr.splitlines():
        if line.startswith("import time:") and line.count("|") == 2:
            names.add(line.rsplit("|", 1)[1].strip().split(".")[0])
    return names, done.stdout


def test_the_detector_sees_a_planted_heavy_import() -> None:
    names, _ = imported(["-c", "import actdesk.cli, pandas"])
    assert "pandas" in names and "numpy" in names


def test_help_imports_no_heavy_module(tmp_path: Path) -> None:
    names, out = imported(["-m", "actdesk", "--help"], {"ACTDESK_CONFIG_DIR": str(tmp_path)})
    assert "kpis" in out and "alerts" in out and "report" in out  # every sub-command is listed
    assert names.isdisjoint(HEAVY), sorted(names & set(HEAVY))


@pytest.mark.parametrize("command", ["kpis", "alerts", "report", "import", "backup", "db", "mail", "user"])
def test_a_sub_commands_help_imports_no_heavy_module(command: str, tmp_path: Path) -> None:
    names, out = imported(["-m", "actdesk", command, "--help"], {"ACTDESK_CONFIG_DIR": str(tmp_path)})
    assert "usage:" in out
    assert names.isdisjoint(HEAVY), sorted(names & set(HEAVY))


@pytest.fixture(scope="module")
def demo_book(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return demo_book_by_cli(tmp_path_factory, seed=3)


def test_kpis_never_import_a_model_library(demo_book: Path) -> None:
    env = {"ACTDESK_CONFIG_DIR": str(demo_book.parent / "config")}
    names, out = imported(["-m", "actdesk", "--db", str(demo_book), "kpis", "--json"], env)
    assert '"aum"' in out  # the KPIs were computed
    assert names.isdisjoint({"lifelines", "scipy", "sklearn", "matplotlib"}), sorted(names)


@pytest.mark.parametrize("command", ["kpis", "probabilities"])
def test_a_repeated_json_answer_loads_no_analytics(demo_book: Path, command: str) -> None:
    """The second run of an unchanged book prints the kept answer (services/answers.py): no pandas, numpy
    or analytics module is imported, and the text is the first run's."""
    env = {"ACTDESK_CONFIG_DIR": str(demo_book.parent / "config")}
    argv = ["-m", "actdesk", "--db", str(demo_book), command, "--json", "--as-of", "2026-10-31"]
    cold_names, cold = imported(argv, env)
    assert {"pandas", "numpy"} <= cold_names  # the first run computed
    modules, warm = full_names_and_output(argv, env)
    names = {m.split(".")[0] for m in modules}
    assert warm == cold and warm.strip().startswith(("{", "["))
    assert names.isdisjoint({"pandas", "numpy", "matplotlib", "lifelines", "scipy"}), sorted(names)
    analytics = {m for m in modules if m.startswith("actdesk.domain.analytics.")}
    assert analytics <= {"actdesk.domain.analytics.config", "actdesk.domain.analytics.dates"}, analytics
    assert "actdesk.services.analytics" not in modules


def test_a_repeated_alert_evaluation_loads_neither_pandas_nor_numpy(demo_book: Path, tmp_path: Path) -> None:
    """``alerts --json`` with the retention probabilities kept by the first run: the facts and the rules are
    plain Python (issue 21), so the whole evaluation, merge and write run without pandas or numpy."""
    book = tmp_path / "book.db"
    shutil.copy(demo_book, book)  # the evaluation writes its alerts: not into the module's shared book
    env = {"ACTDESK_CONFIG_DIR": str(demo_book.parent / "config")}
    argv = ["-m", "actdesk", "--db", str(book), "alerts", "--json", "--as-of", "2026-10-31"]
    cold_names, cold = imported(argv, env)
    assert {"pandas", "numpy"} <= cold_names  # the first run fitted the retention model
    names, warm = imported(argv, env)
    assert json.loads(warm) == json.loads(cold) != []  # the same alerts: the rules ran and fired
    assert names.isdisjoint({"pandas", "numpy", "matplotlib", "lifelines", "scipy"}), sorted(names)


def full_names(args: list[str], env_extra: dict[str, str]) -> set[str]:
    return full_names_and_output(args, env_extra)[0]


def full_names_and_output(args: list[str], env_extra: dict[str, str]) -> tuple[set[str], str]:
    """The modules a fresh ``python -X importtime ARGS`` imported (full dotted names), and its output."""
    env = dict(os.environ, ACTDESK_LANG="en", **env_extra)
    done = subprocess.run(
        [sys.executable, "-X", "importtime", *args], capture_output=True, text=True, timeout=120, env=env
    )
    assert done.returncode == 0, done.stderr[-2000:]
    names = {
        line.rsplit("|", 1)[1].strip()
        for line in done.stderr.splitlines()
        if line.startswith("import time:") and line.count("|") == 2
    }
    return names, done.stdout


def demo_book_by_cli(tmp_path_factory: pytest.TempPathFactory, seed: int) -> Path:
    """A 20-household demo book made by ``actdesk demo``, with data and config folders of its own beside it
    (``book.parent / "config"``), for the module-scoped fixtures of the fresh-process tests. Made through the
    CLI's entry function in this process: the book is their input, not what they test, and a process of its
    own cost a start and the generator's imports (as tests/reliability/conftest.py ``cli_demo`` does)."""
    from actdesk.cli import main

    path = tmp_path_factory.mktemp("demo") / "book.db"
    with pytest.MonkeyPatch.context() as env:
        env.setenv("ACTDESK_LANG", "en")
        env.setenv("ACTDESK_DATA_DIR", str(path.parent / "data"))
        env.setenv("ACTDESK_CONFIG_DIR", str(path.parent / "config"))
        assert main(["--db", str(path), "demo", "--households", "20", "--seed", str(seed)]) == 0
    return path
