"""The daily snapshot: what changed since yesterday at this time, and what today holds.

New alerts (opened in the last 24 hours), activities due today and overdue (the schedule's own expansion of
recurring series), e-mail sent and failed in the last 24 hours, and pipeline moves (opportunities whose
stage changed in the last 24 hours).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime, time, timedelta, tzinfo

from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session

from actdesk.domain.schedule.occurrences import Occurrence
from actdesk.storage.repositories import activities
from actdesk.storage.repositories import overdue as overdue_repo
from actdesk.storage.repositories.team import owned_household_ids
from actdesk.storage.tables.alerts import AlertRow
from actdesk.storage.tables.book import HouseholdRow, OpportunityRow
from actdesk.storage.tables.mail import MailMessageRow

NEW_ALERTS_KEPT = 50  # new alerts listed (the most recent); the rest are counted
OVERDUE_KEPT = 50  # overdue items listed (the most recent); the rest are counted
OVERDUE_LOOKBACK_DAYS = 365  # series occurrences older than this are not listed as overdue (as the schedule)


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


@dataclass
class Snapshot:
    now: datetime
    since: datetime
    new_alerts: list[NewAlert] = field(default_factory=list)  # the most recent NEW_ALERTS_KEPT
    new_alerts_total: int = 0  # all of them
    due_today: list[Occurrence] = field(default_factory=list)
    overdue: list[Occurrence] = field(default_factory=list)  # the most recent OVERDUE_KEPT, oldest first
    overdue_total: int = 0  # all of them
    sent: int = 0
    failed: list[FailedMessage] = field(default_factory=list)
    pipeline_moves: list[PipelineMove] = field(default_factory=list)
    names: dict[int, str] = field(default_factory=dict)

    @property
    def quiet(self) -> bool:
        return not (
            self.new_alerts_total
            or self.due_today
            or self.overdue_total
            or self.sent
            or self.failed
            or self.pipeline_moves
        )


def gather_snapshot(s: Session, now: datetime, tz: tzinfo, owners: frozenset[str] | None = None) -> Snapshot:
    """``owners`` (team books): only those owners' households; None: the whole practice."""
    since = now - timedelta(days=1)
    snap = Snapshot(now=now, since=since)
    A = AlertRow
    # The first evaluation of a large book opens thousands at once: count them all, list the most recent.
    opened = [A.created_at >= since, A.created_at <= now]
    if owners is not None:
        opened.append(HouseholdRow.owner.in_(sorted(owners)))
    snap.new_alerts_total = int(
        s.scalar(
            select(func.count())
            .select_from(A)
            .join(HouseholdRow, HouseholdRow.id == A.household_id)
            .where(*opened)
        )
        or 0
    )
    for row in s.execute(
        select(A.household_id, HouseholdRow.name, A.rule, A.severity, A.explanation)
        .join(HouseholdRow, HouseholdRow.id == A.household_id)
        .where(*opened)
        .order_by(A.created_at.desc(), A.id.desc())
        .limit(NEW_ALERTS_KEPT)
    ):
        snap.new_alerts.append(NewAlert(row[0], row[1], row[2], row[3], row[4]))

    today = now.astimezone(tz).date()
    day_start = datetime.combine(today, time.min, tzinfo=tz).astimezone(UTC)
    day_end = day_start + timedelta(days=1)
    snap.due_today = [o for o in activities.occurrences(s, day_start, day_end, tz) if not o.done]
    # Counted in SQL; only the most recent are expanded (a large book has tens of thousands overdue).
    snap.overdue, snap.overdue_total = overdue_repo.overdue_page(
        s, now, tz, OVERDUE_LOOKBACK_DAYS, OVERDUE_KEPT, before=day_start, owners=owners
    )

    M = MailMessageRow
    snap.sent = int(
        s.scalar(select(func.count()).where(M.state == "sent", M.sent_at >= since, M.sent_at <= now)) or 0
    )
    for failed in s.execute(
        select(M.household_id, M.to_addr, M.subject, M.smtp_reply).where(
            M.state == "failed",
            or_(M.last_attempt_at >= since, (M.last_attempt_at.is_(None) & (M.created_at >= since))),
        )
    ):
        snap.failed.append(FailedMessage(failed[0], failed[1], failed[2], failed[3] or ""))

    P = OpportunityRow
    for move in s.execute(
        select(P.household_id, HouseholdRow.name, P.kind, P.stage, P.stage_changed_at)
        .join(HouseholdRow, HouseholdRow.id == P.household_id)
        .where(P.stage_changed_at >= since, P.stage_changed_at <= now)
        .order_by(P.stage_changed_at.desc())
    ):
        snap.pipeline_moves.append(PipelineMove(move[0], move[1], move[2], move[3], move[4]))

    if owners is not None:  # team feature: an advisor's snapshot covers their own households
        mine = owned_household_ids(s, owners)
        snap.due_today = [o for o in snap.due_today if o.household_id in mine]
        snap.failed = [m for m in snap.failed if m.household_id in mine]
        snap.pipeline_moves = [p for p in snap.pipeline_moves if p.household_id in mine]
    ids = {o.household_id for o in snap.due_today + snap.overdue}
    snap.names = activities.household_names(s, sorted(ids)) if ids else {}
    return snap
