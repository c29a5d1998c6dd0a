"""Tables owned by the pipeline feature: each opportunity's stage history (aging, cycle time, lost reasons
over time) and what prospecting cost per source (money and hours, dated)."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Date, Float, ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column

import actdesk.storage.tables.book  # noqa: F401  (registers the tables its foreign keys name)
from actdesk.storage.tables.base import Base, Cents, IdType, UTCDateTime, utcnow


class StageChangeRow(Base):
    __tablename__ = "opportunity_stage_changes"

    id: Mapped[int] = mapped_column(IdType, primary_key=True, autoincrement=True)
    opportunity_id: Mapped[int] = mapped_column(ForeignKey("opportunities.id", ondelete="CASCADE"))
    from_stage: Mapped[str | None] = mapped_column(String(30))
    to_stage: Mapped[str] = mapped_column(String(30))
    changed_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    reason: Mapped[str | None] = mapped_column(Text)

    __table_args__ = (Index("ix_stage_changes_opportunity", "opportunity_id", "changed_at"),)


class AcquisitionSpendRow(Base):
    __tablename__ = "acquisition_spend"

    id: Mapped[int] = mapped_column(IdType, primary_key=True, autoincrement=True)
    source: Mapped[str] = mapped_column(String(120))
    date: Mapped[date] = mapped_column(Date)
    amount_cents: Mapped[int] = mapped_column(Cents)
    hours: Mapped[float] = mapped_column(Float, default=0.0)
    note: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    __table_args__ = (Index("ix_acquisition_spend_source_date", "source", "date"),)


__all__ = ["AcquisitionSpendRow", "Base", "StageChangeRow"]
