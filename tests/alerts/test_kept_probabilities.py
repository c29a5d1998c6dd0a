"""The retention probabilities the alert rules read, kept in the book between runs (issue 21).

A repeated ``alerts --json`` on an unchanged book reads the probabilities kept by the previous run instead of
loading the history and scoring; an evaluation's own writes (alerts, snapshots, the run record) keep them,
an edit of the data the model reads retires them, and the alerts are the same either way. Each command runs
in a fresh process, as an advisor's does: a kept answer in one process's memory would prove nothing. (A run
whose imports are not checked, whose output or writes a later fresh process is compared with or reads, runs
here through the CLI's entry function: that saves a process start and its imports, about a second each.)
"""

from __future__ import annotations

import json
import os
import shutil
import sqlite3
import subprocess
import sys
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from tests.reliability.conftest import cli_demo

from actdesk.cli import main
from actdesk.domain.analytics.config import AnalyticsConfig
from actdesk.services.alerts.analytics_inputs import (
    ANSWER,
    AnalyticsInputs,
    analytics_inputs,
    decode,
    encode,
    fresh_inputs,
)
from actdesk.storage.open import open_book

AS_OF = "2026-10-31"
HISTORY = "actdesk.storage.retention_history"  # loads the households' history for the model
KEPT = f"answer:{ANSWER}:{AS_OF}:%"
TIMES = ("created_at", "updated_at", "resolved_at")


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return cli_demo(tmp_path_factory, "--households", "150", "--seed", "1", "--as-of", AS_OF)


@pytest.fixture
def db(demo: Path, tmp_path: Path) -> Path:
    copy = tmp_path / "book.db"
    shutil.copy(demo, copy)
    return copy


def actdesk(db: Path, *args: str) -> tuple[str, set[str]]:
    """Run ``actdesk --db DB ARGS`` in a fresh process: its output and the modules it imported."""
    env = dict(os.environ)
    done = subprocess.run(
        [sys.executable, "-X", "importtime", "-m", "actdesk", "--db", str(db), *args],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    imported = {
        line.rsplit("|", 1)[1].strip() for line in done.stderr.splitlines() if line.startswith("import time:")
    }
    return done.stdout, imported


def here(capsys: pytest.CaptureFixture[str], db: Path, *args: str) -> str:
    """Run ``actdesk --db DB ARGS`` in this process: its output."""
    capsys.readouterr()
    assert main(["--db", str(db), *args]) == 0
    return capsys.readouterr().out


def alerts_here(capsys: pytest.CaptureFixture[str], db: Path, *extra: str) -> list[dict[str, Any]]:
    return json.loads(here(capsys, db, "alerts", "--json", "--as-of", AS_OF, *extra))


def alerts(db: Path, *extra: str) -> tuple[list[dict[str, Any]], set[str]]:
    out, imported = actdesk(db, "alerts", "--json", "--as-of", AS_OF, *extra)
    return json.loads(out), imported


def kept(db: Path) -> list[str]:
    with sqlite3.connect(db) as con:
        return [k for (k,) in con.execute("SELECT key FROM series_cache WHERE key LIKE ?", (KEPT,))]


def kept_households(db: Path) -> set[int]:
    """The households the kept probabilities are of."""
    with sqlite3.connect(db) as con:
        (text,) = con.execute("SELECT payload FROM series_cache WHERE key LIKE ?", (KEPT,)).fetchone()
    return set(decode(text).probabilities)


def drop_kept(db: Path) -> None:
    with sqlite3.connect(db) as con:
        con.execute("DELETE FROM series_cache WHERE key LIKE ?", (KEPT,))


def without_times(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [{k: v for k, v in row.items() if k not in TIMES} for row in rows]


def test_a_repeat_on_an_unchanged_book_reuses_the_kept_probabilities(db: Path) -> None:
    first, imported = alerts(db)
    assert HISTORY in imported  # computed: the history loaded and scored
    assert len(kept(db)) == 1
    assert len(kept_households(db)) > 50  # the model told the clients apart: the rule has probabilities
    again, imported = alerts(db)  # the first run wrote alerts, snapshots and its run record
    assert HISTORY not in imported and "actdesk.services.analytics" not in imported
    assert again == first  # the same alerts, the same records (nothing new to create or update)


def test_an_edit_of_what_the_model_reads_retires_them(db: Path, capsys: pytest.CaptureFixture[str]) -> None:
    first = alerts_here(capsys, db)
    client = first[0]["household_id"]
    here(capsys, db, "household", "leave", str(client), "--on", "2026-10-01", "--reason", "moved away")
    assert kept(db) == []  # the edit's write emptied the kept answers
    after, imported = alerts(db)
    assert HISTORY in imported  # computed again from the edited book
    assert len(kept(db)) == 1
    assert client not in kept_households(db)  # no longer a client on the as-of date
    assert after != first


def test_the_alerts_are_the_same_with_and_without_the_kept_probabilities(
    db: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    alerts_here(capsys, db)  # computes and keeps
    with_kept, imported = alerts(db, "--dry-run")
    assert HISTORY not in imported
    drop_kept(db)
    fresh, imported = alerts(db, "--dry-run")
    assert HISTORY in imported
    assert without_times(with_kept) == without_times(fresh)


def test_a_dry_run_keeps_nothing(db: Path) -> None:
    """``--dry-run`` writes nothing to the book: it may read kept probabilities but keeps none of its own."""
    _rows, imported = alerts(db, "--dry-run")
    assert HISTORY in imported  # computed
    assert kept(db) == []


def test_kept_probabilities_are_exactly_the_fresh_ones(db: Path) -> None:
    config = AnalyticsConfig()
    as_of = date.fromisoformat(AS_OF)
    book = open_book(db)
    try:
        computed = fresh_inputs(book, as_of, config)
        assert computed is not None and computed.probabilities
        assert decode(encode(computed)) == computed
        assert analytics_inputs(book, as_of, config) == computed  # computed and kept
        assert len(kept(db)) == 1
        assert analytics_inputs(book, as_of, config) == computed  # read from the kept row
        with sqlite3.connect(db) as con:  # the next call answers from the kept row: plant a marker there
            con.execute(
                "UPDATE series_cache SET payload = ? WHERE key LIKE ?", (encode(AnalyticsInputs()), KEPT)
            )
        assert analytics_inputs(book, as_of, config).probabilities == {}
        with sqlite3.connect(db) as con:  # kept by a build whose probabilities had other fields
            con.execute(
                "UPDATE series_cache SET payload = ? WHERE key LIKE ?",
                ('{"probabilities": [{"household_id": 1, "gone": 0.5}], "segments": null}', KEPT),
            )
        assert analytics_inputs(book, as_of, config) == computed  # computed again
    finally:
        book.dispose()
