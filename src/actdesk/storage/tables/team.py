"""Tables owned by the team feature: the practice's users and their roles.

A record's owner (``households.owner``, ``activities.owner``, ``opportunities.owner``) holds a user's
``name``; contacts, accounts and the rest belong to their household's owner.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Boolean, String
from sqlalchemy.orm import Mapped, mapped_column

from actdesk.storage.tables.base import Base, IdType, UTCDateTime, utcnow


class UserRow(Base):
    __tablename__ = "users"

    id: Mapped[int] = mapped_column(IdType, primary_key=True, autoincrement=True)
    name: Mapped[str] = mapped_column(String(100), unique=True)  # what owner columns and the audit trail hold
    display_name: Mapped[str] = mapped_column(String(200))
    role: Mapped[str] = mapped_column(String(20))  # owner, advisor, assistant
    active: Mapped[bool] = mapped_column(Boolean, default=True, server_default="1")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


__all__ = ["Base", "UserRow"]
