"""The cache of computed series (``series_cache``, migration 0014): read a row only when it was computed
from the book as it is now, write one after a computation.

Two guards keep a row from outliving what it was computed from: the migration's triggers empty the table
on any write to the source tables, and each row carries the digest of ``book_state`` at the time, which
``read`` compares with the book's digest now (a row written by a load that overlapped a write is refused).
"""

from __future__ import annotations

import hashlib
import json
from datetime import datetime
from typing import Any

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from actdesk.storage.repositories.book_state import book_state
from actdesk.storage.tables.series_cache import SeriesCacheRow


def state_digest(state: tuple[Any, ...]) -> str:
    """A short stable digest of a ``book_state`` fingerprint."""
    return hashlib.sha256(repr(state).encode()).hexdigest()[:32]


def current_digest(s: Session) -> str:
    return state_digest(book_state(s))


def read(s: Session, key: str, digest: str) -> tuple[dict[str, Any], datetime] | None:
    """The payload stored under ``key`` and when it was computed, if computed from the book in state
    ``digest``; None when missing or stale."""
    row = s.execute(
        select(SeriesCacheRow.payload, SeriesCacheRow.computed_at).where(
            SeriesCacheRow.key == key, SeriesCacheRow.state == digest
        )
    ).first()
    if row is None:
        return None
    return json.loads(row[0]), row[1]


def write(s: Session, key: str, digest: str, payload: dict[str, Any]) -> bool:
    """Store ``payload`` under ``key`` unless the book changed since ``digest`` was taken (then the
    computation may already be stale and nothing is stored). True when stored."""
    if current_digest(s) != digest:
        return False
    s.execute(delete(SeriesCacheRow).where(SeriesCacheRow.key == key))
    s.add(SeriesCacheRow(key=key, state=digest, payload=json.dumps(payload, separators=(",", ":"))))
    return True


def keys(s: Session) -> list[str]:
    """The keys stored now (for tests and the bench)."""
    return list(s.execute(select(SeriesCacheRow.key)).scalars())


def clear(s: Session) -> None:
    s.execute(delete(SeriesCacheRow))
