"""Answers of the read-only analytics commands kept between runs (issue 21): the printed JSON of
``kpis`` and ``probabilities`` for one state of the book, in the series cache's table (migration 0014).

The answers read more tables than the dashboard's series, so their fingerprint is wider than
``book_state``: its counts and maxima, the count and last id of the life events and relationships, and
the last audit-trail entry of every table the answers read. Every write made through actdesk appends to
the trail (an edit of an old activity or a life event's date included, which no count or maximum shows),
so a row is used only while nothing it was computed from has changed since. Migration 0014's triggers
also empty the table on writes to the main tables.
"""

from __future__ import annotations

from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session

from actdesk.storage.repositories.book_state import book_state
from actdesk.storage.repositories.series_cache import state_digest
from actdesk.storage.tables.audit import AuditRow
from actdesk.storage.tables.book import LifeEventRow, RelationshipRow
from actdesk.storage.tables.series_cache import SeriesCacheRow

# Every table the KPIs and the retention probabilities read (storage/analytics_data.py,
# analytics_series.py, retention_history.py, repositories/client_periods.py).
READS = (
    "accounts",
    "activities",
    "balances",
    "client_periods",
    "contact_relationships",
    "contacts",
    "fees",
    "flows",
    "households",
    "life_events",
    "referrals",
)

PREFIX = "answer:"


def answer_state(s: Session) -> str:
    """The digest of everything the answers are computed from, as the book is now."""
    last_entries = s.execute(
        select(AuditRow.table_name, func.max(AuditRow.id))
        .where(AuditRow.table_name.in_(READS))
        .group_by(AuditRow.table_name)
        .order_by(AuditRow.table_name)
    ).all()
    small_tables = tuple(
        tuple(s.execute(q).one())
        for q in (
            select(func.count(), func.max(LifeEventRow.id)),
            select(func.count(), func.max(RelationshipRow.id)),
        )
    )
    return state_digest((book_state(s), small_tables, tuple(tuple(row) for row in last_entries)))


def read(s: Session, key: str, state: str) -> str | None:
    """The answer stored under ``key`` if it was computed from the book in state ``state``."""
    if not key.startswith(PREFIX):
        raise ValueError(f"not an answer's key: {key!r}")
    return s.execute(
        select(SeriesCacheRow.payload).where(SeriesCacheRow.key == key, SeriesCacheRow.state == state)
    ).scalar_one_or_none()


def write(s: Session, key: str, state: str, text: str) -> bool:
    """Keep ``text`` under ``key`` unless the book changed since ``state`` was taken (the answer may then
    be stale already, and nothing is kept). True when kept."""
    if not key.startswith(PREFIX):
        raise ValueError(f"not an answer's key: {key!r}")
    if answer_state(s) != state:
        return False
    s.execute(delete(SeriesCacheRow).where(SeriesCacheRow.key == key))
    s.add(SeriesCacheRow(key=key, state=state, payload=text))
    return True
