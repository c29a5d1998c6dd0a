"""Tables owned by the imports feature: one batch per import (or merge), and what it wrote, so it can be undone."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from actdesk.storage.tables.base import Base, IdType, UTCDateTime, utcnow


class ImportBatchRow(Base):
    """One import, merge or household confirmation. ``state`` is "applied" or "undone"."""

    __tablename__ = "import_batches"

    id: Mapped[int] = mapped_column(IdType, primary_key=True, autoincrement=True)
    kind: Mapped[str] = mapped_column(String(20))
    file_name: Mapped[str | None] = mapped_column(String(300))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    state: Mapped[str] = mapped_column(String(10), default="applied", index=True)
    undone_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    added: Mapped[int] = mapped_column(Integer, default=0)
    changed: Mapped[int] = mapped_column(Integer, default=0)
    rejected: Mapped[int] = mapped_column(Integer, default=0)


class ImportBatchItemRow(Base):
    """One row a batch wrote. ``row_key`` is the row's primary key as JSON; ``before``/``after`` its values."""

    __tablename__ = "import_batch_items"

    id: Mapped[int] = mapped_column(IdType, primary_key=True, autoincrement=True)
    batch_id: Mapped[int] = mapped_column(ForeignKey("import_batches.id", ondelete="CASCADE"), index=True)
    table_name: Mapped[str] = mapped_column(String(60))
    row_key: Mapped[str] = mapped_column(String(200))
    action: Mapped[str] = mapped_column(String(16))  # insert, insert_range, update, delete (0009 widened it)
    before: Mapped[str | None] = mapped_column(Text)
    after: Mapped[str | None] = mapped_column(Text)


__all__ = ["Base", "ImportBatchItemRow", "ImportBatchRow"]
