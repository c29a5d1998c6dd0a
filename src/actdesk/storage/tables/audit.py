"""The audit trail: an append-only, hash-chained log of every change to client data.

Each row's ``hash`` covers its own content and the previous row's hash, so editing, inserting or removing
a row in the middle breaks the chain; SQLite triggers (created by the migration) refuse UPDATE and
DELETE on the table outright. Tables whose ``info`` says ``{"audit": False}`` are not recorded.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from actdesk.storage.tables.base import Base, IdType, UTCDateTime

GENESIS_HASH = "0" * 64


class AuditRow(Base):
    __tablename__ = "audit_log"
    __table_args__ = (
        Index("ix_audit_log_table_row", "table_name", "row_id"),
        {"info": {"audit": False}},
    )

    id: Mapped[int] = mapped_column(IdType, primary_key=True, autoincrement=False)
    at: Mapped[datetime] = mapped_column(UTCDateTime)
    actor: Mapped[str] = mapped_column(String(120))
    action: Mapped[str] = mapped_column(String(16))  # insert, update, delete, batch, recover
    table_name: Mapped[str] = mapped_column(String(64))
    row_id: Mapped[str | None] = mapped_column(String(64))
    changes: Mapped[str] = mapped_column(Text)  # canonical JSON: {column: [old, new]} or batch details
    prev_hash: Mapped[str] = mapped_column(String(64))
    hash: Mapped[str] = mapped_column(String(64), unique=True)


__all__ = ["GENESIS_HASH", "AuditRow", "Base"]
