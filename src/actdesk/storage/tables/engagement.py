"""Tables owned by the engagement feature: questionnaire replies read, what each life event led to, the
brochure library, "bring a friend" invitations and guests, and referral requests.

Questionnaires sent are not stored here: they are outbox messages (``mail_messages.automation_key`` starts
with ``questionnaire:``), so a reply's In-Reply-To finds them there.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Boolean, Float, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

import actdesk.storage.tables.mail  # noqa: F401  (registers the tables its foreign keys name, with book)
from actdesk.storage.tables.base import Base, IdType, UTCDateTime, utcnow


class EngagementKeyRow(Base):
    """Per-book secrets (the questionnaire token key): a copied book keeps them, another book cannot forge them."""

    __tablename__ = "engagement_keys"

    name: Mapped[str] = mapped_column(String(40), primary_key=True)
    value: Mapped[str] = mapped_column(String(128))


class QuestionnaireReplyRow(Base):
    """One reply read, so the same .eml dropped twice is recognised and never filed twice."""

    __tablename__ = "questionnaire_replies"

    id: Mapped[int] = mapped_column(IdType, primary_key=True, autoincrement=True)
    fingerprint: Mapped[str] = mapped_column(String(250), unique=True)
    sender: Mapped[str] = mapped_column(String(254))
    subject: Mapped[str] = mapped_column(String(300), default="")
    household_id: Mapped[int | None] = mapped_column(ForeignKey("households.id", ondelete="SET NULL"))
    contact_id: Mapped[int | None] = mapped_column(ForeignKey("contacts.id", ondelete="SET NULL"))
    status: Mapped[str] = mapped_column(String(12))  # filed | reported | unmatched
    events_filed: Mapped[int] = mapped_column(Integer, default=0)
    report_json: Mapped[str] = mapped_column(Text, default="{}")
    received_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    read_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class BrochureRow(Base):
    """A brochure in the advisor's library (a PDF or HTML file in the brochures folder of the data dir)."""

    __tablename__ = "brochures"

    id: Mapped[int] = mapped_column(IdType, primary_key=True, autoincrement=True)
    file_name: Mapped[str] = mapped_column(String(255), unique=True)
    title: Mapped[str] = mapped_column(String(200))
    language: Mapped[str] = mapped_column(String(8), default="en")
    kinds: Mapped[str] = mapped_column(String(250), default="")  # life-event kinds, comma-separated
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class LifeEventFollowUpRow(Base):
    """What a life event produced: the suggested follow-up activity and the brochure (suggested until approved)."""

    __tablename__ = "life_event_followups"

    life_event_id: Mapped[int] = mapped_column(
        ForeignKey("life_events.id", ondelete="CASCADE"), primary_key=True
    )
    activity_id: Mapped[int | None] = mapped_column(ForeignKey("activities.id", ondelete="SET NULL"))
    brochure_id: Mapped[int | None] = mapped_column(ForeignKey("brochures.id", ondelete="SET NULL"))
    brochure_state: Mapped[str] = mapped_column(String(12), default="none")  # none|suggested|queued|declined
    mail_message_id: Mapped[int | None] = mapped_column(ForeignKey("mail_messages.id", ondelete="SET NULL"))
    decided_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class EngagementEventRow(Base):
    """A "bring a friend" event: a seminar, a dinner. Each invited household gets it as an ``event`` activity."""

    __tablename__ = "engagement_events"

    id: Mapped[int] = mapped_column(IdType, primary_key=True, autoincrement=True)
    subject: Mapped[str] = mapped_column(String(300))
    start: Mapped[datetime] = mapped_column(UTCDateTime)
    duration_minutes: Mapped[int] = mapped_column(Integer, default=120)
    location: Mapped[str | None] = mapped_column(String(300))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class EventInvitationRow(Base):
    """A client invited to an event; ``activity_id`` is the event on that household's calendar."""

    __tablename__ = "event_invitations"

    id: Mapped[int] = mapped_column(IdType, primary_key=True, autoincrement=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("engagement_events.id", ondelete="CASCADE"), index=True)
    contact_id: Mapped[int] = mapped_column(ForeignKey("contacts.id", ondelete="CASCADE"))
    activity_id: Mapped[int | None] = mapped_column(ForeignKey("activities.id", ondelete="SET NULL"))
    mail_message_id: Mapped[int | None] = mapped_column(ForeignKey("mail_messages.id", ondelete="SET NULL"))
    rsvp: Mapped[str] = mapped_column(String(8), default="none")  # none | yes | no | maybe
    attended: Mapped[bool] = mapped_column(Boolean, default=False)

    __table_args__ = (UniqueConstraint("event_id", "contact_id", name="uq_event_invitations_event_id"),)


class EventGuestRow(Base):
    """A friend a client brings; on attending becomes a prospect household referred by that client."""

    __tablename__ = "event_guests"

    id: Mapped[int] = mapped_column(IdType, primary_key=True, autoincrement=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("engagement_events.id", ondelete="CASCADE"), index=True)
    invited_by_contact_id: Mapped[int] = mapped_column(ForeignKey("contacts.id", ondelete="CASCADE"))
    first_name: Mapped[str] = mapped_column(String(100))
    last_name: Mapped[str] = mapped_column(String(100))
    email: Mapped[str | None] = mapped_column(String(254))
    rsvp: Mapped[str] = mapped_column(String(8), default="yes")
    attended: Mapped[bool] = mapped_column(Boolean, default=False)
    household_id: Mapped[int | None] = mapped_column(ForeignKey("households.id", ondelete="SET NULL"))
    referral_id: Mapped[int | None] = mapped_column(ForeignKey("referrals.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class ReferralRequestRow(Base):
    """A referral request e-mail queued for a household likely to refer, with the score that chose it."""

    __tablename__ = "referral_requests"

    id: Mapped[int] = mapped_column(IdType, primary_key=True, autoincrement=True)
    household_id: Mapped[int] = mapped_column(ForeignKey("households.id", ondelete="CASCADE"), index=True)
    contact_id: Mapped[int | None] = mapped_column(ForeignKey("contacts.id", ondelete="SET NULL"))
    mail_message_id: Mapped[int | None] = mapped_column(ForeignKey("mail_messages.id", ondelete="SET NULL"))
    score: Mapped[float] = mapped_column(Float)
    reasons: Mapped[str] = mapped_column(Text, default="")
    requested_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
