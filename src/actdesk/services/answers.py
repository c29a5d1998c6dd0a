"""The read-only analytics commands' answers kept in the book (issue 21): ``kpis --json`` and
``probabilities --json`` print the answer computed from the book as it is now without loading pandas or
the analytics when nothing has changed since the last run.

An answer is keyed by what it depends on besides the book: the command, the as-of date, the analytics
settings, the language and locale of its texts, and the version of actdesk that computed it. It is used only
while the book's fingerprint (``storage/repositories/answer_cache.py``) is the one it was computed from, so
it is always the book's current answer, never an older one. This module imports neither pandas nor the
analytics: it is the whole path of a repeated command.
"""

from __future__ import annotations

import hashlib
import logging
from dataclasses import astuple, dataclass
from datetime import date

from sqlalchemy.exc import SQLAlchemyError

from actdesk import __version__
from actdesk.domain.analytics.config import AnalyticsConfig
from actdesk.i18n import current_currency, current_language, current_locale
from actdesk.storage.engine import Book
from actdesk.storage.repositories import answer_cache

log = logging.getLogger(__name__)

# Bumped when an answer's JSON changes shape or meaning within one version of actdesk.
# 2: the retention model reads the shape of the review gap (issue 20): kept probabilities are recomputed.
# 3: the fee-rate change over the average assets and the backtest's recalibration rule (issue 20).
ANSWER_FORMAT = 3


@dataclass(frozen=True)
class Slot:
    """Where an answer is kept, and the book's fingerprint when it was looked up (before computing)."""

    key: str
    state: str


def answer_key(command: str, as_of: date, config: AnalyticsConfig) -> str:
    settings = hashlib.sha256(repr(astuple(config)).encode()).hexdigest()[:16]
    language = f"{current_language()}-{current_locale()}-{current_currency()}"
    return (
        f"{answer_cache.PREFIX}{command}:{as_of.isoformat()}:{language}:{settings}:"
        f"{__version__}:{ANSWER_FORMAT}"
    )


def find(book: Book, command: str, as_of: date, config: AnalyticsConfig) -> tuple[str | None, Slot]:
    """The kept answer if the book has not changed since it was computed, and the slot to keep a new one."""
    key = answer_key(command, as_of, config)
    try:
        with book.reader() as s:
            state = answer_cache.answer_state(s)
            return answer_cache.read(s, key, state), Slot(key, state)
    except SQLAlchemyError:  # e.g. a book of an older schema opened read-only: computed, never kept
        log.info("no kept answers in this book", exc_info=True)
        return None, Slot(key, "")


def keep(book: Book, slot: Slot, text: str) -> bool:
    """Keep an answer computed after ``slot`` was taken; a book that cannot be written (read-only, busy)
    or that changed meanwhile keeps nothing. True when kept."""
    if book.read_only or not slot.state:
        return False
    try:
        with book.session() as s:
            return answer_cache.write(s, slot.key, slot.state, text)
    except Exception:
        log.info("answer not kept", exc_info=True)
        return False
