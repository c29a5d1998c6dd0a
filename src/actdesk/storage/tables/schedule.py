"""Tables owned by the schedule feature: exceptions to recurring series (RECURRENCE-ID / EXDATE)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

import actdesk.storage.tables.book  # noqa: F401  (registers the tables its foreign keys name)
from actdesk.storage.tables.base import Base, IdType, UTCDateTime


class ActivityExceptionRow(Base):
    """One occurrence of a series that was skipped, or moved/changed/completed on its own.

    Keyed by the occurrence's original start (its RECURRENCE-ID), so edits of the series that keep that
    occurrence leave the exception in place; the repository re-keys them when the series' time moves.
    """

    __tablename__ = "activity_exceptions"

    id: Mapped[int] = mapped_column(IdType, primary_key=True, autoincrement=True)
    activity_id: Mapped[int] = mapped_column(ForeignKey("activities.id", ondelete="CASCADE"))
    original_start: Mapped[datetime] = mapped_column(UTCDateTime)
    action: Mapped[str] = mapped_column(String(10))  # "skip" or "override"
    new_start: Mapped[datetime | None] = mapped_column(UTCDateTime)
    duration_minutes: Mapped[int | None] = mapped_column(Integer)
    subject: Mapped[str | None] = mapped_column(String(300))
    location: Mapped[str | None] = mapped_column(String(300))
    notes: Mapped[str | None] = mapped_column(Text)
    outcome: Mapped[str | None] = mapped_column(Text)
    completed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    __table_args__ = (
        UniqueConstraint("activity_id", "original_start", name="uq_activity_exceptions_occurrence"),
        Index("ix_activity_exceptions_new_start", "new_start"),
        Index("ix_activity_exceptions_completed", "completed_at"),
    )


__all__ = ["ActivityExceptionRow", "Base"]
