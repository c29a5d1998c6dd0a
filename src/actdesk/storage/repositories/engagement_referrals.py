"""Referrals, "bring a friend" events and referral requests: reads and writes (ORM, so they are audited)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from sqlalchemy import case, func, select
from sqlalchemy.orm import Session

from actdesk.domain.alerts.model import GROWTH_RULES, AlertState
from actdesk.storage.tables.alerts import AlertRow
from actdesk.storage.tables.book import (
    ActivityRow,
    ContactRow,
    HouseholdRow,
    LifeEventRow,
    OpportunityRow,
    ReferralRow,
)
from actdesk.storage.tables.engagement import (
    EngagementEventRow,
    EventGuestRow,
    EventInvitationRow,
    LifeEventFollowUpRow,
    ReferralRequestRow,
)
from actdesk.storage.tables.mail import MailMessageRow

RSVP = ("none", "yes", "no", "maybe")


# -- referrals --------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class ReferralItem:
    id: int
    referrer_contact_id: int
    referrer: str
    referrer_household_id: int | None
    referrer_status: str | None  # the referrer's household status; None for a center of influence
    referred_household_id: int
    referred: str
    referred_status: str
    referred_since: date | None
    date: date
    outcome: str | None
    reason: str | None


def add_referral(
    s: Session,
    referrer_contact_id: int,
    referred_household_id: int,
    day: date,
    outcome: str,
    reason: str | None,
) -> int:
    row = ReferralRow(
        referrer_contact_id=referrer_contact_id,
        referred_household_id=referred_household_id,
        date=day,
        outcome=outcome,
        reason=reason,
    )
    s.add(row)
    s.flush()
    return row.id


def list_referrals(s: Session) -> list[ReferralItem]:
    referrer_hh = HouseholdRow.__table__.alias("referrer_hh")
    referred = HouseholdRow.__table__.alias("referred_hh")
    q = (
        select(
            ReferralRow,
            ContactRow.first_name,
            ContactRow.last_name,
            ContactRow.household_id,
            referrer_hh.c.status,
            referred.c.name,
            referred.c.status,
            referred.c.client_since,
        )
        .join(ContactRow, ContactRow.id == ReferralRow.referrer_contact_id)
        .outerjoin(referrer_hh, referrer_hh.c.id == ContactRow.household_id)
        .join(referred, referred.c.id == ReferralRow.referred_household_id)
        .order_by(ReferralRow.date.desc(), ReferralRow.id.desc())
    )
    return [
        ReferralItem(
            r.id,
            r.referrer_contact_id,
            f"{first} {last}".strip(),
            own_hh,
            own_status,
            r.referred_household_id,
            name,
            status,
            since,
            r.date,
            r.outcome,
            r.reason,
        )
        for r, first, last, own_hh, own_status, name, status, since in s.execute(q)
    ]


def set_referral_outcome(s: Session, referral_id: int, outcome: str, reason: str | None) -> None:
    row = s.get(ReferralRow, referral_id)
    if row is None:
        raise LookupError(referral_id)
    if (row.outcome, row.reason) != (outcome, reason):
        row.outcome, row.reason = outcome, reason


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


def _counts(s: Session, q: Any) -> dict[int, int]:
    return {int(k): int(v) for k, v in s.execute(q).all() if k is not None}


# -- signals for "most likely to refer" -------------------------------------------------------------------
@dataclass(frozen=True)
class HouseholdSignals:
    household_id: int
    name: str
    client_since: date | None
    contact_id: int | None
    has_email: bool
    reviews_12m: int
    won_12m: int
    referrals_made: int
    open_risk_alerts: int
    last_asked: date | None


def referrer_signals(s: Session, as_of: date) -> list[HouseholdSignals]:
    """Per current client household, the facts the referral score reads."""
    year_ago = datetime.combine(as_of - timedelta(days=365), time(), tzinfo=UTC)
    end = datetime.combine(as_of + timedelta(days=1), time(), tzinfo=UTC)
    reviews = _counts(
        s,
        select(ActivityRow.household_id, func.count())
        .where(
            ActivityRow.kind == "review",
            ActivityRow.completed_at >= year_ago,
            ActivityRow.completed_at < end,
        )
        .group_by(ActivityRow.household_id),
    )
    won = _counts(
        s,
        select(OpportunityRow.household_id, func.count())
        .where(OpportunityRow.stage == "won", OpportunityRow.stage_changed_at >= year_ago)
        .group_by(OpportunityRow.household_id),
    )
    made = _counts(
        s,
        select(ContactRow.household_id, func.count(func.distinct(ReferralRow.referred_household_id)))
        .join(ContactRow, ContactRow.id == ReferralRow.referrer_contact_id)
        .where(ContactRow.household_id.is_not(None))
        .group_by(ContactRow.household_id),
    )
    active = [st.value for st in AlertState if st.is_active]
    risk = _counts(
        s,
        select(AlertRow.household_id, func.count())
        .where(AlertRow.state.in_(active), AlertRow.rule.not_in([r.value for r in GROWTH_RULES]))
        .group_by(AlertRow.household_id),
    )
    asked = {
        hid: when.date() if isinstance(when, datetime) else None
        for hid, when in s.execute(
            select(ReferralRequestRow.household_id, func.max(ReferralRequestRow.requested_at)).group_by(
                ReferralRequestRow.household_id
            )
        ).all()
    }
    primaries = {
        c.household_id: c
        for c in s.scalars(
            select(ContactRow).where(ContactRow.role == "primary").order_by(ContactRow.id.desc())
        )
    }
    out = []
    for h in s.scalars(
        select(HouseholdRow).where(
            HouseholdRow.status == "client",
            HouseholdRow.client_since.is_not(None),
            HouseholdRow.client_since <= as_of,
        )
    ):
        c = primaries.get(h.id)
        mailable = bool(c and c.email and not c.do_not_email and c.email_opt_out_at is None)
        out.append(
            HouseholdSignals(
                h.id,
                h.name,
                h.client_since,
                c.id if c else None,
                mailable,
                int(reviews.get(h.id, 0)),
                int(won.get(h.id, 0)),
                int(made.get(h.id, 0)),
                int(risk.get(h.id, 0)),
                asked.get(h.id),
            )
        )
    return out


def add_request(
    s: Session,
    household_id: int,
    contact_id: int | None,
    message_pk: int | None,
    score: float,
    reasons: str,
    now: datetime,
) -> None:
    s.add(
        ReferralRequestRow(
            household_id=household_id,
            contact_id=contact_id,
            mail_message_id=message_pk,
            score=score,
            reasons=reasons,
            requested_at=now,
        )
    )
    s.flush()


# -- life events by kind, with what they produced ---------------------------------------------------------
def life_event_followup_counts(s: Session, since: date) -> list[tuple[str, int, int, int, int]]:
    """(kind, events, follow-up activities, activities done, brochures queued) since ``since``."""
    q = (
        select(
            LifeEventRow.kind,
            func.count(LifeEventRow.id),
            func.count(LifeEventFollowUpRow.activity_id),
            func.count(ActivityRow.completed_at),
            func.sum(case((LifeEventFollowUpRow.brochure_state == "queued", 1), else_=0)),
        )
        .outerjoin(LifeEventFollowUpRow, LifeEventFollowUpRow.life_event_id == LifeEventRow.id)
        .outerjoin(ActivityRow, ActivityRow.id == LifeEventFollowUpRow.activity_id)
        .where(LifeEventRow.date >= since)
        .group_by(LifeEventRow.kind)
        .order_by(func.count(LifeEventRow.id).desc(), LifeEventRow.kind)
    )
    return [(k, int(n), int(a), int(d), int(b or 0)) for k, n, a, d, b in s.execute(q)]
