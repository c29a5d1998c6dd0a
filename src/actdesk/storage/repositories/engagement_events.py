""" "Bring a friend" events, their invitations and guests: reads and writes (ORM, so they are audited)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import case, func, select
from sqlalchemy.orm import Session

from actdesk.storage.tables.book import ContactRow
from actdesk.storage.tables.engagement import EngagementEventRow, EventGuestRow, EventInvitationRow
from actdesk.storage.tables.mail import MailMessageRow


# -- events -----------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class EventSummary:
    id: int
    subject: str
    start: datetime
    duration_minutes: int
    location: str | None
    invited: int
    yes: int
    attended: int
    guests: int
    guests_attended: int


@dataclass(frozen=True)
class Invitation:
    id: int
    contact_id: int
    name: str
    household_id: int | None
    activity_id: int | None
    rsvp: str
    attended: bool
    mail_state: str | None


@dataclass(frozen=True)
class Guest:
    id: int
    invited_by_contact_id: int
    invited_by: str
    first_name: str
    last_name: str
    email: str | None
    rsvp: str
    attended: bool
    household_id: int | None


def add_event(
    s: Session, subject: str, start: datetime, duration: int, location: str | None, now: datetime
) -> int:
    row = EngagementEventRow(
        subject=subject, start=start, duration_minutes=duration, location=location, created_at=now
    )
    s.add(row)
    s.flush()
    return row.id


def list_events(s: Session, event_id: int | None = None) -> list[EventSummary]:
    """Events newest first, with their invitation and guest counts."""
    inv = (
        select(
            EventInvitationRow.event_id.label("eid"),
            func.count().label("n"),
            func.sum(case((EventInvitationRow.rsvp == "yes", 1), else_=0)).label("yes"),
            func.sum(case((EventInvitationRow.attended, 1), else_=0)).label("came"),
        )
        .group_by(EventInvitationRow.event_id)
        .subquery()
    )
    gst = (
        select(
            EventGuestRow.event_id.label("eid"),
            func.count().label("n"),
            func.sum(case((EventGuestRow.attended, 1), else_=0)).label("came"),
        )
        .group_by(EventGuestRow.event_id)
        .subquery()
    )
    q = (
        select(EngagementEventRow, inv.c.n, inv.c.yes, inv.c.came, gst.c.n, gst.c.came)
        .outerjoin(inv, inv.c.eid == EngagementEventRow.id)
        .outerjoin(gst, gst.c.eid == EngagementEventRow.id)
        .order_by(EngagementEventRow.start.desc(), EngagementEventRow.id.desc())
    )
    if event_id is not None:
        q = q.where(EngagementEventRow.id == event_id)
    return [
        EventSummary(
            e.id,
            e.subject,
            e.start,
            e.duration_minutes,
            e.location,
            n or 0,
            yes or 0,
            came or 0,
            g or 0,
            gc or 0,
        )
        for e, n, yes, came, g, gc in s.execute(q)
    ]


def add_invitation(s: Session, event_id: int, contact_id: int, activity_id: int | None) -> int | None:
    """The new invitation's id, or None when the contact was already invited to this event."""
    exists = s.scalars(
        select(EventInvitationRow.id).where(
            EventInvitationRow.event_id == event_id, EventInvitationRow.contact_id == contact_id
        )
    ).first()
    if exists is not None:
        return None
    row = EventInvitationRow(event_id=event_id, contact_id=contact_id, activity_id=activity_id, rsvp="none")
    s.add(row)
    s.flush()
    return row.id


def link_invitation_mail(s: Session, event_id: int, contact_id: int, message_pk: int) -> None:
    row = s.scalars(
        select(EventInvitationRow).where(
            EventInvitationRow.event_id == event_id, EventInvitationRow.contact_id == contact_id
        )
    ).first()
    if row is not None:
        row.mail_message_id = message_pk


def invitations(s: Session, event_id: int) -> list[Invitation]:
    q = (
        select(EventInvitationRow, ContactRow, MailMessageRow.state)
        .join(ContactRow, ContactRow.id == EventInvitationRow.contact_id)
        .outerjoin(MailMessageRow, MailMessageRow.id == EventInvitationRow.mail_message_id)
        .where(EventInvitationRow.event_id == event_id)
        .order_by(ContactRow.last_name, ContactRow.first_name)
    )
    return [
        Invitation(
            i.id,
            c.id,
            f"{c.first_name} {c.last_name}".strip(),
            c.household_id,
            i.activity_id,
            i.rsvp,
            i.attended,
            st,
        )
        for i, c, st in s.execute(q)
    ]


def invitation_row(s: Session, event_id: int, contact_id: int) -> EventInvitationRow | None:
    return s.scalars(
        select(EventInvitationRow).where(
            EventInvitationRow.event_id == event_id, EventInvitationRow.contact_id == contact_id
        )
    ).first()


def add_guest(
    s: Session, event_id: int, invited_by: int, first: str, last: str, email: str | None, now: datetime
) -> int:
    row = EventGuestRow(
        event_id=event_id,
        invited_by_contact_id=invited_by,
        first_name=first,
        last_name=last,
        email=email,
        rsvp="yes",
        attended=False,
        created_at=now,
    )
    s.add(row)
    s.flush()
    return row.id


def guest_row(s: Session, guest_id: int) -> EventGuestRow | None:
    return s.get(EventGuestRow, guest_id)


def event_row(s: Session, event_id: int) -> EngagementEventRow | None:
    return s.get(EngagementEventRow, event_id)


def guests(s: Session, event_id: int) -> list[Guest]:
    q = (
        select(EventGuestRow, ContactRow.first_name, ContactRow.last_name)
        .join(ContactRow, ContactRow.id == EventGuestRow.invited_by_contact_id)
        .where(EventGuestRow.event_id == event_id)
        .order_by(EventGuestRow.id)
    )
    return [
        Guest(
            g.id,
            g.invited_by_contact_id,
            f"{f} {la}".strip(),
            g.first_name,
            g.last_name,
            g.email,
            g.rsvp,
            g.attended,
            g.household_id,
        )
        for g, f, la in s.execute(q)
    ]
