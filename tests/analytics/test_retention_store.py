"""The fitted retention model kept between sessions: a reopened book scores instead of refitting, a
changed book is refitted (or, for the window, scored by the kept model with its date said), and the
kept file holds the model only, through the public faces (the CLI in a subprocess, the outlook service)."""

from __future__ import annotations

import json
import os
import shutil
import sqlite3
import subprocess
import sys
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest

from actdesk.cli import main
from actdesk.domain.analytics.config import AnalyticsConfig
from actdesk.services import analytics
from actdesk.services.retention_outlook import retention_outlooks
from actdesk.services.retention_store import cache_dir
from actdesk.storage.engine import book_url, connect

AS_OF = "2026-11-30"


@pytest.fixture(scope="module")
def demo_source(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    path = tmp_path_factory.mktemp("kept") / "demo.db"
    assert main(["--db", str(path), "demo", "--households", "300", "--seed", "11", "--as-of", AS_OF]) == 0
    yield path


@pytest.fixture
def demo(demo_source: Path, tmp_path: Path) -> Path:
    path = tmp_path / "demo.db"
    shutil.copy(demo_source, path)
    analytics._cache.clear()  # a fresh process as far as the model is concerned
    return path


def _here(capsys: pytest.CaptureFixture[str], *args: str) -> dict | list:
    """The CLI's entry function in this process, for a run whose kept model a fresh process then reads (its
    own reading is not the test): that saves a process start and its imports, about a second each."""
    capsys.readouterr()
    assert main(list(args)) == 0
    return json.loads(capsys.readouterr().out)


def _cli(*args: str) -> dict | list:
    done = subprocess.run(
        [sys.executable, "-m", "actdesk", *args],
        capture_output=True,
        text=True,
        env=os.environ.copy(),
        timeout=300,
        check=True,
    )
    return json.loads(done.stdout)


def test_a_reopened_book_scores_with_the_kept_model(demo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert not (cache_dir() / "retention").exists()
    fitted = _here(capsys, "--db", str(demo), "probabilities", "--as-of", AS_OF, "--json")  # fit: all history
    kept = list((cache_dir() / "retention").glob("*.json"))
    assert len(kept) == 1
    text = kept[0].read_text(encoding="utf-8")
    assert '"coef"' in text and "household_id" not in text  # the model, no household's figures
    reopened = _cli("--db", str(demo), "probabilities", "--as-of", AS_OF, "--json")  # kept: 25 months
    assert isinstance(fitted, list) and isinstance(reopened, list) and len(fitted) > 150
    assert [r["household_id"] for r in reopened] == [r["household_id"] for r in fitted]
    for a, b in zip(fitted, reopened, strict=True):
        assert b["probability"] == pytest.approx(a["probability"], abs=1e-12)
        assert b["factors"] == a["factors"] and (b["low"], b["high"]) == pytest.approx((a["low"], a["high"]))
    backtest = _cli("--db", str(demo), "probabilities", "--as-of", AS_OF, "--backtest", "--json")
    assert isinstance(backtest, dict) and backtest["fitted_on"] is not None and backtest["stale"] is False
    assert backtest["model"]["chance_decile_gap"] > 0


def test_a_changed_book_is_refitted_or_shown_with_the_kept_models_date(demo: Path) -> None:
    day = date.fromisoformat(AS_OF)
    book = connect(book_url(str(demo)), read_only=True)
    try:
        analytics.assessment_for(book, day, AnalyticsConfig())  # fitted and kept
        with sqlite3.connect(demo) as con:
            household = con.execute("SELECT id FROM households WHERE status = 'client' LIMIT 1").fetchone()[0]
            con.execute(
                "INSERT INTO activities (household_id, kind, subject, completed_at, created_at, all_day, version)"
                " VALUES (?, 'call', 'Check-in', '2026-11-20 10:00:00', '2026-11-20 10:00:00', 0, 1)",
                (household,),
            )
        analytics._cache.clear()
        window = retention_outlooks(book, day, AnalyticsConfig())  # the window: no waiting for a refit
        line = next(iter(window.values())).track_record
        assert line.startswith("Model fitted on ") and "latest changes" in line
        refitted = analytics.assessment_for(book, day, AnalyticsConfig())  # the CLI and the alerts: refit
        assert refitted.stale is False and refitted.fitted_on is None
        analytics._cache.clear()
        current = retention_outlooks(book, day, AnalyticsConfig())
        assert not next(iter(current.values())).track_record.startswith("Model fitted on ")
    finally:
        book.dispose()


def test_a_model_kept_by_the_previous_version_is_refitted_cleanly(
    demo: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """The previous version kept models without the review gap's spline terms: such a record is not read
    (its columns are other features), the book is refitted and the file rewritten with today's features."""
    from actdesk.domain.analytics.landmarks import FEATURES

    previous = [f for f in FEATURES if not f.startswith("review_gap_over_")]
    assert len(previous) == len(FEATURES) - 3
    fitted = _here(capsys, "--db", str(demo), "probabilities", "--as-of", AS_OF, "--json")
    kept = next((cache_dir() / "retention").glob("*.json"))
    data = json.loads(kept.read_text(encoding="utf-8"))
    for entry in data["fits"]:
        entry["record"]["features"] = previous
        model = entry["record"]["predictor"]["model"]
        model["columns"] = [c for c in model["columns"] if c < len(previous)]
    kept.write_text(json.dumps(data), encoding="utf-8")
    analytics._cache.clear()  # a reopened book (the CLI's kept answer aside: the model's own path)
    day = date.fromisoformat(AS_OF)
    book = connect(book_url(str(demo)), read_only=True)
    try:
        again = analytics.assessment_for(book, day, AnalyticsConfig(), allow_stale=True)
        assert again.fitted_on is None and not again.stale  # refitted, not scored by the unreadable record
        rewritten = json.loads(kept.read_text(encoding="utf-8"))
        assert [e["record"]["features"] for e in rewritten["fits"]] == [list(FEATURES)]
        analytics._cache.clear()
        reopened = analytics.assessment_for(book, day, AnalyticsConfig(), allow_stale=True)
        assert reopened.fitted_on is not None and not reopened.stale  # the rewritten record is read
    finally:
        book.dispose()
    assert isinstance(fitted, list)
    for row in fitted:
        p = again.probabilities[row["household_id"]]
        assert p.probability == pytest.approx(row["probability"], abs=1e-12) and p.factors == row["factors"]
        assert reopened.probabilities[row["household_id"]].probability == pytest.approx(
            p.probability, abs=1e-12
        )


def test_nothing_is_kept_for_an_encrypted_book(book) -> None:
    """An encrypted book's aggregates stay inside it: no kept model in the cache folder."""
    from dataclasses import replace

    from actdesk.services.retention_store import RetentionStore

    assert RetentionStore.for_book(book) is not None
    assert RetentionStore.for_book(replace(book, key="secret")) is None
