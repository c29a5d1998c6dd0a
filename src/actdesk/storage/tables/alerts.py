"""Tables owned by the alerts feature: the alerts, the evaluation runs, and the last retention probabilities."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Date, Float, ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

import actdesk.storage.tables.book  # noqa: F401  (registers the tables its foreign keys name)
from actdesk.storage.tables.base import Base, IdType, UTCDateTime, utcnow


class AlertRow(Base):
    """One alert per household and rule while active (``key``); resolved alerts stay as history."""

    __tablename__ = "alerts"

    id: Mapped[int] = mapped_column(IdType, primary_key=True, autoincrement=True)
    household_id: Mapped[int] = mapped_column(ForeignKey("households.id", ondelete="CASCADE"), index=True)
    rule: Mapped[str] = mapped_column(String(40))
    key: Mapped[str] = mapped_column(String(80))
    severity: Mapped[str] = mapped_column(String(10))
    state: Mapped[str] = mapped_column(String(12))
    explanation: Mapped[str] = mapped_column(Text)
    magnitude: Mapped[float] = mapped_column(Float)
    reference: Mapped[float | None] = mapped_column(Float)
    acknowledged_magnitude: Mapped[float | None] = mapped_column(Float)
    acknowledged_severity: Mapped[str | None] = mapped_column(String(10))
    snoozed_until: Mapped[date | None] = mapped_column(Date)
    dismissed_reason: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    last_seen_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    resolved_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    __table_args__ = (Index("ix_alerts_key_state", "key", "state"), Index("ix_alerts_state", "state"))


class AlertEvaluationRow(Base):
    """One evaluation of the rules: when, as of which date, and what it changed."""

    __tablename__ = "alert_evaluations"

    id: Mapped[int] = mapped_column(IdType, primary_key=True, autoincrement=True)
    as_of: Mapped[date] = mapped_column(Date)
    started_at: Mapped[datetime] = mapped_column(UTCDateTime)
    finished_at: Mapped[datetime] = mapped_column(UTCDateTime)
    households: Mapped[int] = mapped_column(Integer)
    findings: Mapped[int] = mapped_column(Integer)
    created: Mapped[int] = mapped_column(Integer)
    reopened: Mapped[int] = mapped_column(Integer)
    resolved: Mapped[int] = mapped_column(Integer)


class RetentionSnapshotRow(Base):
    """The retention probability each household had at the last evaluation ("down 10 points since")."""

    __tablename__ = "alert_retention_snapshots"

    household_id: Mapped[int] = mapped_column(
        ForeignKey("households.id", ondelete="CASCADE"), primary_key=True
    )
    probability: Mapped[float] = mapped_column(Float)
    as_of: Mapped[date] = mapped_column(Date)
    evaluated_at: Mapped[datetime] = mapped_column(UTCDateTime)
