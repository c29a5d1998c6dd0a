"""The core tables of the book (foundation issue). Later features keep their tables in their own modules."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Boolean, Date, Float, ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from actdesk.storage.tables.base import Base, Cents, IdType, UTCDateTime, utcnow


class HouseholdRow(Base):
    __tablename__ = "households"

    id: Mapped[int] = mapped_column(IdType, primary_key=True, autoincrement=True)
    name: Mapped[str] = mapped_column(String(200))
    status: Mapped[str] = mapped_column(String(20), index=True)
    client_since: Mapped[date | None] = mapped_column(Date)
    client_until: Mapped[date | None] = mapped_column(Date)
    leaving_reason: Mapped[str | None] = mapped_column(Text)
    owner: Mapped[str | None] = mapped_column(String(100))
    version: Mapped[int] = mapped_column(Integer, default=1)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)

    contacts: Mapped[list[ContactRow]] = relationship(
        back_populates="household", cascade="all, delete-orphan", passive_deletes=True
    )
    tags: Mapped[list[HouseholdTagRow]] = relationship(cascade="all, delete-orphan", passive_deletes=True)

    __mapper_args__ = {"version_id_col": version}


class HouseholdTagRow(Base):
    __tablename__ = "household_tags"

    household_id: Mapped[int] = mapped_column(
        ForeignKey("households.id", ondelete="CASCADE"), primary_key=True
    )
    tag: Mapped[str] = mapped_column(String(60), primary_key=True)


class ContactRow(Base):
    __tablename__ = "contacts"

    id: Mapped[int] = mapped_column(IdType, primary_key=True, autoincrement=True)
    household_id: Mapped[int | None] = mapped_column(
        ForeignKey("households.id", ondelete="CASCADE"), index=True
    )
    role: Mapped[str] = mapped_column(String(20))
    first_name: Mapped[str] = mapped_column(String(100))
    last_name: Mapped[str] = mapped_column(String(100))
    email: Mapped[str | None] = mapped_column(String(254), index=True)
    phone: Mapped[str | None] = mapped_column(String(40))
    birth_date: Mapped[date | None] = mapped_column(Date)
    income_cents: Mapped[int | None] = mapped_column(Cents)
    net_worth_cents: Mapped[int | None] = mapped_column(Cents)
    risk_tolerance: Mapped[str | None] = mapped_column(String(20))
    occupation: Mapped[str | None] = mapped_column(String(120))
    address: Mapped[str | None] = mapped_column(String(300))
    city: Mapped[str | None] = mapped_column(String(120))
    region: Mapped[str | None] = mapped_column(String(120))
    postal_code: Mapped[str | None] = mapped_column(String(20))
    country: Mapped[str | None] = mapped_column(String(80))
    do_not_email: Mapped[bool] = mapped_column(Boolean, default=False)
    email_opt_out_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)

    household: Mapped[HouseholdRow | None] = relationship(back_populates="contacts")


class RelationshipRow(Base):
    __tablename__ = "contact_relationships"

    id: Mapped[int] = mapped_column(IdType, primary_key=True, autoincrement=True)
    from_contact_id: Mapped[int] = mapped_column(ForeignKey("contacts.id", ondelete="CASCADE"), index=True)
    to_contact_id: Mapped[int] = mapped_column(ForeignKey("contacts.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(String(30))

    __table_args__ = (UniqueConstraint("from_contact_id", "to_contact_id", "kind", name="uq_relationship"),)


class AccountRow(Base):
    __tablename__ = "accounts"

    id: Mapped[int] = mapped_column(IdType, primary_key=True, autoincrement=True)
    household_id: Mapped[int] = mapped_column(ForeignKey("households.id", ondelete="CASCADE"), index=True)
    custodian: Mapped[str] = mapped_column(String(120))
    type: Mapped[str] = mapped_column(String(30))
    managed: Mapped[bool] = mapped_column(Boolean, default=True)
    account_number: Mapped[str | None] = mapped_column(String(60), index=True)
    name: Mapped[str | None] = mapped_column(String(200))


class BalanceRow(Base):
    __tablename__ = "balances"

    account_id: Mapped[int] = mapped_column(ForeignKey("accounts.id", ondelete="CASCADE"), primary_key=True)
    date: Mapped[date] = mapped_column(Date, primary_key=True)
    balance_cents: Mapped[int] = mapped_column(Cents)

    # date first, then what the monthly AUM reads, so that reading a month-end never leaves the index
    __table_args__ = (Index("ix_balances_date_account", "date", "account_id", "balance_cents"),)


class FlowRow(Base):
    __tablename__ = "flows"

    id: Mapped[int] = mapped_column(IdType, primary_key=True, autoincrement=True)
    account_id: Mapped[int] = mapped_column(ForeignKey("accounts.id", ondelete="CASCADE"))
    date: Mapped[date] = mapped_column(Date)
    amount_cents: Mapped[int] = mapped_column(Cents)
    kind: Mapped[str | None] = mapped_column(String(20))

    __table_args__ = (Index("ix_flows_account_date", "account_id", "date"), Index("ix_flows_date", "date"))


class FeeRow(Base):
    __tablename__ = "fees"

    id: Mapped[int] = mapped_column(IdType, primary_key=True, autoincrement=True)
    household_id: Mapped[int] = mapped_column(ForeignKey("households.id", ondelete="CASCADE"))
    date: Mapped[date] = mapped_column(Date)
    amount_cents: Mapped[int] = mapped_column(Cents)
    recurring: Mapped[bool] = mapped_column(Boolean, default=True)

    __table_args__ = (Index("ix_fees_household_date", "household_id", "date"), Index("ix_fees_date", "date"))


class ActivityRow(Base):
    __tablename__ = "activities"

    id: Mapped[int] = mapped_column(IdType, primary_key=True, autoincrement=True)
    household_id: Mapped[int] = mapped_column(ForeignKey("households.id", ondelete="CASCADE"))
    contact_id: Mapped[int | None] = mapped_column(ForeignKey("contacts.id", ondelete="SET NULL"))
    kind: Mapped[str] = mapped_column(String(20))
    subject: Mapped[str] = mapped_column(String(300))
    start: Mapped[datetime | None] = mapped_column(UTCDateTime)
    duration_minutes: Mapped[int | None] = mapped_column(Integer)
    due_date: Mapped[date | None] = mapped_column(Date)
    location: Mapped[str | None] = mapped_column(String(300))
    notes: Mapped[str | None] = mapped_column(Text)
    outcome: Mapped[str | None] = mapped_column(Text)
    completed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    owner: Mapped[str | None] = mapped_column(String(100))
    rrule: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    # Schedule feature (migration 0003): iCalendar UID, all-day flag, end of a recurring series for window queries.
    uid: Mapped[str | None] = mapped_column(String(255))
    all_day: Mapped[bool] = mapped_column(Boolean, default=False, server_default="0")
    series_end: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # Migration 0011: the IANA zone a series repeats in (its DTSTART's TZID); NULL: the advisor's zone.
    time_zone: Mapped[str | None] = mapped_column(String(64))
    # Team feature (migration 0009): optimistic version, so two instances never silently overwrite an edit.
    version: Mapped[int] = mapped_column(Integer, server_default="1")

    __mapper_args__ = {"version_id_col": version}
    __table_args__ = (
        Index("ix_activities_household_start", "household_id", "start"),
        Index("ix_activities_start", "start"),
        Index("ix_activities_completed", "household_id", "completed_at"),
        Index("ix_activities_uid", "uid"),
        Index("ix_activities_series_end", "series_end"),
        Index("ix_activities_due_date", "due_date"),
        Index("ix_activities_open", "completed_at", "series_end", "start"),
    )


class LifeEventRow(Base):
    __tablename__ = "life_events"

    id: Mapped[int] = mapped_column(IdType, primary_key=True, autoincrement=True)
    household_id: Mapped[int] = mapped_column(ForeignKey("households.id", ondelete="CASCADE"), index=True)
    contact_id: Mapped[int | None] = mapped_column(ForeignKey("contacts.id", ondelete="SET NULL"))
    kind: Mapped[str] = mapped_column(String(20))
    date: Mapped[date] = mapped_column(Date)
    notes: Mapped[str | None] = mapped_column(Text)
    source: Mapped[str] = mapped_column(String(20), default="advisor")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class ReferralRow(Base):
    __tablename__ = "referrals"

    id: Mapped[int] = mapped_column(IdType, primary_key=True, autoincrement=True)
    referrer_contact_id: Mapped[int] = mapped_column(
        ForeignKey("contacts.id", ondelete="CASCADE"), index=True
    )
    referred_household_id: Mapped[int] = mapped_column(
        ForeignKey("households.id", ondelete="CASCADE"), index=True
    )
    date: Mapped[date] = mapped_column(Date)
    outcome: Mapped[str | None] = mapped_column(String(20))
    reason: Mapped[str | None] = mapped_column(Text)


class OpportunityRow(Base):
    __tablename__ = "opportunities"

    id: Mapped[int] = mapped_column(IdType, primary_key=True, autoincrement=True)
    household_id: Mapped[int] = mapped_column(ForeignKey("households.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(String(30))
    stage: Mapped[str] = mapped_column(String(30), index=True)
    expected_aum_cents: Mapped[int | None] = mapped_column(Cents)
    expected_revenue_cents: Mapped[int | None] = mapped_column(Cents)
    probability: Mapped[float | None] = mapped_column(Float)
    expected_close: Mapped[date | None] = mapped_column(Date)
    source: Mapped[str | None] = mapped_column(String(120))
    lost_reason: Mapped[str | None] = mapped_column(Text)
    owner: Mapped[str | None] = mapped_column(String(100))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    stage_changed_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    # Team feature (migration 0009): optimistic version, so two instances never silently overwrite an edit.
    version: Mapped[int] = mapped_column(Integer, server_default="1")

    __mapper_args__ = {"version_id_col": version}


class NoteRow(Base):
    __tablename__ = "notes"

    id: Mapped[int] = mapped_column(IdType, primary_key=True, autoincrement=True)
    household_id: Mapped[int] = mapped_column(ForeignKey("households.id", ondelete="CASCADE"), index=True)
    contact_id: Mapped[int | None] = mapped_column(ForeignKey("contacts.id", ondelete="SET NULL"))
    body: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
