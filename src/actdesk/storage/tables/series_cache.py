"""Computed series kept between runs (issue 21): the dashboard's monthly AUM, flows and fees and its yearly
retention inputs, so that a reopen reads them instead of scanning every balance again.

A row is only a copy: migration 0014's triggers empty the table on any write to the tables the series are
computed from, and each row also carries the book's fingerprint when it was computed (``state``), which the
reader compares before using it. Deleting every row is always safe.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import String, Text
from sqlalchemy.orm import Mapped, mapped_column

from actdesk.storage.tables.base import Base, UTCDateTime, utcnow

# The tables whose writes empty the cache (the series read nothing else).
SOURCE_TABLES = ("households", "contacts", "accounts", "balances", "flows", "fees", "client_periods")


class SeriesCacheRow(Base):
    __tablename__ = "series_cache"

    key: Mapped[str] = mapped_column(String(200), primary_key=True)  # what and for when: kind, as-of, sizes
    state: Mapped[str] = mapped_column(String(64))  # digest of the book's fingerprint when computed
    computed_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    payload: Mapped[str] = mapped_column(Text)  # JSON

    # derived figures, not client data: not in the audit trail; copied after the tables they come from
    __table_args__ = {"info": {"audit": False, "derived": True}}
