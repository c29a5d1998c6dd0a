"""Client periods (issue 20): every stretch of a household being a client, so that one that leaves and comes
back keeps both. The household's own ``client_since`` / ``client_until`` / ``leaving_reason`` mirror its
latest period (see ``storage/repositories/client_periods.py``)."""

from __future__ import annotations

from datetime import date

from sqlalchemy import Date, ForeignKey, Index, Text
from sqlalchemy.orm import Mapped, mapped_column

import actdesk.storage.tables.book  # noqa: F401  (registers the tables its foreign keys name)
from actdesk.storage.tables.base import Base, IdType


class ClientPeriodRow(Base):
    __tablename__ = "client_periods"

    id: Mapped[int] = mapped_column(IdType, primary_key=True, autoincrement=True)
    household_id: Mapped[int] = mapped_column(ForeignKey("households.id", ondelete="CASCADE"))
    start: Mapped[date] = mapped_column(Date)
    end: Mapped[date | None] = mapped_column(Date)
    leaving_reason: Mapped[str | None] = mapped_column(Text)

    __table_args__ = (Index("ix_client_periods_household_start", "household_id", "start", unique=True),)
