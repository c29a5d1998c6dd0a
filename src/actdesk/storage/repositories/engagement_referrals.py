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
    LifeEventFollowUpRow,
    ReferralRequestRow,
)

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
