"""The fitted retention model kept between sessions, so that reopening a book scores instead of refitting.

Fitting means loading ten years of monthly history and running the backtest (seconds on a large book);
scoring with a kept model reads only the last two years of records (``landmarks.HISTORY_NEEDED``). One
JSON file per book in the user's cache folder, named by a digest of the book's path, holds the last few
fits, each keyed by its as-of date, settings and the book's data version (``analytics.book_state``).
Only the model is kept (``domain.analytics.model_record``), never a household's figures, and nothing at
all for an encrypted book or one not in a file: its aggregates stay inside the encrypted file.

A fit whose data version matches is current. A fit from an earlier data version is used only where the
caller accepts it (the window, so that it never waits for a refit) and is then labelled with its date
(``Assessment.stale``); the alert evaluation in the child process refits and replaces it whenever the
book changes.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
from dataclasses import astuple, dataclass
from datetime import date
from pathlib import Path
from typing import Any

import platformdirs

from actdesk import APP_AUTHOR, APP_NAME
from actdesk.domain.analytics.config import AnalyticsConfig
from actdesk.domain.analytics.model_record import from_record, to_record
from actdesk.domain.analytics.survival import FittedRetention
from actdesk.paths import atomic_write
from actdesk.storage.engine import Book

log = logging.getLogger(__name__)

KEEP = 4  # fits kept per book (the window's as-of date, a report's, the CLI's)


def cache_dir() -> Path:
    """``ACTDESK_CACHE_DIR``, else a "cache" folder beside an overridden data folder (tests, portable
    installs), else the platform's cache folder."""
    override = os.environ.get("ACTDESK_CACHE_DIR")
    data = os.environ.get("ACTDESK_DATA_DIR")
    if override:
        return Path(override)
    if data:
        return Path(data) / "cache"
    return Path(platformdirs.user_cache_dir(APP_NAME, APP_AUTHOR))


def digest(value: Any) -> str:
    return hashlib.sha256(repr(value).encode("utf-8")).hexdigest()[:32]


@dataclass(frozen=True)
class KeptFit:
    fitted: FittedRetention
    fitted_on: date  # the day it was fitted
    current: bool  # fitted on the book's present data version


class RetentionStore:
    """The kept fits of one book."""

    def __init__(self, path: Path) -> None:
        self.path = path

    @classmethod
    def for_book(cls, book: Book) -> RetentionStore | None:
        """None for an encrypted book or one not in a file (nothing of theirs is written outside them)."""
        if book.encrypted or book.path is None or str(book.path) in ("", ":memory:"):
            return None
        name = hashlib.sha256(str(book.path.resolve()).encode("utf-8")).hexdigest()[:24]
        return cls(cache_dir() / "retention" / f"{name}.json")

    def _entries(self) -> list[dict[str, Any]]:
        try:
            data = json.loads(self.path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return []
        return [e for e in data.get("fits", []) if isinstance(e, dict)] if isinstance(data, dict) else []

    def find(self, as_of: date, config: AnalyticsConfig, state: str, *, accept_stale: bool) -> KeptFit | None:
        """The fit for ``as_of`` at data version ``state``; with ``accept_stale``, else the latest fit
        with the same settings on an as-of date up to ``as_of`` (labelled as not current)."""
        settings = digest(astuple(config))
        best: tuple[tuple[str, str], dict[str, Any]] | None = None
        for entry in self._entries():
            if entry.get("settings") != settings or str(entry.get("as_of", "")) > as_of.isoformat():
                continue
            if entry.get("as_of") == as_of.isoformat() and entry.get("state") == state:
                return self._read(entry, current=True)
            rank = (str(entry.get("fitted_at", "")), str(entry.get("as_of", "")))
            if accept_stale and (best is None or rank > best[0]):
                best = (rank, entry)
        return self._read(best[1], current=False) if best is not None else None

    @staticmethod
    def _read(entry: dict[str, Any], *, current: bool) -> KeptFit | None:
        fitted = from_record(entry.get("record") or {})
        try:
            fitted_on = date.fromisoformat(str(entry["fitted_at"])[:10])
        except (KeyError, ValueError):
            return None
        return KeptFit(fitted, fitted_on, current) if fitted is not None else None

    def save(self, fitted: FittedRetention, config: AnalyticsConfig, state: str, today: date) -> None:
        """Keep ``fitted`` (replacing an earlier fit of the same as-of date); a failure only costs a refit."""
        entry = {
            "as_of": fitted.as_of.isoformat(),
            "settings": digest(astuple(config)),
            "state": state,
            "fitted_at": today.isoformat(),
            "record": to_record(fitted),
        }
        kept = [e for e in self._entries() if e.get("as_of") != entry["as_of"]]
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            atomic_write(self.path, json.dumps({"fits": [entry, *kept][:KEEP]}))
        except OSError:
            log.warning("retention model not kept in %s", self.path, exc_info=True)
