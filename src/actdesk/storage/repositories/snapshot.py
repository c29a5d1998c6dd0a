"""The daily snapshot's reads: alerts opened, mail sent and failed, and pipeline moves in a time window."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session

from actdesk.storage.tables.alerts import AlertRow
from actdesk.storage.tables.book import HouseholdRow, OpportunityRow
from actdesk.storage.tables.mail import MailMessageRow


@dataclass(frozen=True)
class NewAlert:
    household_id: int
    household: str
    rule: str
    severity: str
    explanation: str


@dataclass(frozen=True)
class FailedMessage:
    household_id: int | None
    to: str
    subject: str
    reply: str


@dataclass(frozen=True)
class PipelineMove:
    household_id: int
    household: str
    kind: str
    stage: str
    changed_at: datetime


def new_alerts(
    s: Session, since: datetime, now: datetime, limit: int, owners: frozenset[str] | None = None
) -> tuple[list[NewAlert], int]:
    """The ``limit`` most recent alerts opened in [since, now] and how many were opened in all (the first
    evaluation of a large book opens thousands at once); ``owners``: only their households."""
    A = AlertRow
    opened = [A.created_at >= since, A.created_at <= now]
    if owners is not None:
        opened.append(HouseholdRow.owner.in_(sorted(owners)))
    total = s.scalar(
        select(func.count())
        .select_from(A)
        .join(HouseholdRow, HouseholdRow.id == A.household_id)
        .where(*opened)
    )
    rows = s.execute(
        select(A.household_id, HouseholdRow.name, A.rule, A.severity, A.explanation)
        .join(HouseholdRow, HouseholdRow.id == A.household_id)
        .where(*opened)
        .order_by(A.created_at.desc(), A.id.desc())
        .limit(limit)
    )
    return [NewAlert(r[0], r[1], r[2], r[3], r[4]) for r in rows], int(total or 0)


def mail_sent(s: Session, since: datetime, now: datetime) -> int:
    """Messages handed to the mail server in [since, now]."""
    M = MailMessageRow
    return int(
        s.scalar(select(func.count()).where(M.state == "sent", M.sent_at >= since, M.sent_at <= now)) or 0
    )


def mail_failed(s: Session, since: datetime) -> list[FailedMessage]:
    """Messages that failed for good, last tried (or, never tried, created) since ``since``."""
    M = MailMessageRow
    rows = s.execute(
        select(M.household_id, M.to_addr, M.subject, M.smtp_reply).where(
            M.state == "failed",
            or_(M.last_attempt_at >= since, (M.last_attempt_at.is_(None) & (M.created_at >= since))),
        )
    )
    return [FailedMessage(r[0], r[1], r[2], r[3] or "") for r in rows]


def pipeline_moves(s: Session, since: datetime, now: datetime) -> list[PipelineMove]:
    """Opportunities whose stage changed in [since, now], the latest first."""
    P = OpportunityRow
    rows = s.execute(
        select(P.household_id, HouseholdRow.name, P.kind, P.stage, P.stage_changed_at)
        .join(HouseholdRow, HouseholdRow.id == P.household_id)
        .where(P.stage_changed_at >= since, P.stage_changed_at <= now)
        .order_by(P.stage_changed_at.desc())
    )
    return [PipelineMove(r[0], r[1], r[2], r[3], r[4]) for r in rows]
