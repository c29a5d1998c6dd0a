"""Load the book into ``BookFrames`` with a few aggregate SQL queries (issue 3's data access).

Aggregation happens in SQL where it is cheaper than moving rows: latest balance per account on or before
each snapshot date, flows and fees summed per household and month. Works on SQLite and PostgreSQL.
"""

from __future__ import annotations

from datetime import date

from sqlalchemy.orm import Session

from actdesk.domain.analytics.frames import BookFrames


def load_book_frames(session: Session, as_of: date, months: int = 25, *, history: bool = True) -> BookFrames:
    """The book as of ``as_of`` with ``months`` monthly snapshots (the as-of date first). ``history``
    also loads the per-household observations the retention model needs (cheap to skip for KPIs only)."""
    raise NotImplementedError
