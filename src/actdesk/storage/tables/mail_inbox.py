"""Replies the IMAP watcher took from the advisor's mailbox, keyed by the server's UIDVALIDITY/UID.

A row is committed as ``claimed`` before the reply is filed, ``filed`` after, and ``marked`` once the mailbox
carries actdesk's keyword, so a crash at any point is finished on the next pass and nothing is filed twice.
``mail_inbox_sync`` keeps, per account and folder, how far the watcher has read and when it last synced.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import BigInteger, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

import actdesk.storage.tables.book  # noqa: F401  (registers the tables its foreign keys name)
from actdesk.storage.tables.base import Base, IdType, UTCDateTime, utcnow


class MailInboxRow(Base):
    __tablename__ = "mail_inbox"

    id: Mapped[int] = mapped_column(IdType, primary_key=True, autoincrement=True)
    account: Mapped[str] = mapped_column(String(254))
    folder: Mapped[str] = mapped_column(String(200))
    uidvalidity: Mapped[int] = mapped_column(BigInteger)
    uid: Mapped[int] = mapped_column(BigInteger)
    message_id: Mapped[str | None] = mapped_column(String(250))
    sender: Mapped[str] = mapped_column(String(254), default="")
    subject: Mapped[str] = mapped_column(String(300), default="")
    kind: Mapped[str] = mapped_column(String(16))  # questionnaire | rsvp
    state: Mapped[str] = mapped_column(String(12))  # claimed | filed | marked
    outcome: Mapped[str] = mapped_column(
        String(20), default=""
    )  # filed, unmatched, already_filed, yes, no ...
    household_id: Mapped[int | None] = mapped_column(
        ForeignKey("households.id", ondelete="SET NULL"), index=True
    )
    events_filed: Mapped[int] = mapped_column(Integer, default=0)
    problem: Mapped[str | None] = mapped_column(Text)
    claimed_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    filed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    marked_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    seen_at: Mapped[datetime | None] = mapped_column(UTCDateTime)  # the advisor acknowledged it

    __table_args__ = (UniqueConstraint("account", "folder", "uidvalidity", "uid", name="uq_mail_inbox_uid"),)


class MailInboxSyncRow(Base):
    __tablename__ = "mail_inbox_sync"

    account: Mapped[str] = mapped_column(String(254), primary_key=True)
    folder: Mapped[str] = mapped_column(String(200), primary_key=True)
    uidvalidity: Mapped[int] = mapped_column(BigInteger, default=0)
    last_uid: Mapped[int] = mapped_column(BigInteger, default=0)
    last_sync_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    last_error: Mapped[str | None] = mapped_column(Text)
    last_error_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
