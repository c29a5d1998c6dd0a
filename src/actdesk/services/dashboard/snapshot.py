"""The daily snapshot: what changed since yesterday at this time, and what today holds.

New alerts (opened in the last 24 hours), activities due today and overdue (the schedule's own expansion of
recurring series), e-mail sent and failed in the last 24 hours, and pipeline moves (opportunities whose
stage changed in the last 24 hours).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime, time, timedelta, tzinfo

from sqlalchemy.orm import Session

from actdesk.domain.schedule.occurrences import Occurrence
from actdesk.storage.repositories import activities
from actdesk.storage.repositories import overdue as overdue_repo
from actdesk.storage.repositories import snapshot as snapshot_repo
from actdesk.storage.repositories.snapshot import FailedMessage, NewAlert, PipelineMove
from actdesk.storage.repositories.team import owned_household_ids

__all__ = ["FailedMessage", "NewAlert", "PipelineMove", "Snapshot", "gather_snapshot"]

NEW_ALERTS_KEPT = 50  # new alerts listed (the most recent); the rest are counted
OVERDUE_KEPT = 50  # overdue items listed (the most recent); the rest are counted
OVERDUE_LOOKBACK_DAYS = 365  # series occurrences older than this are not listed as overdue (as the schedule)


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
    snap.new_alerts, snap.new_alerts_total = snapshot_repo.new_alerts(s, since, now, NEW_ALERTS_KEPT, owners)

    today = now.astimezone(tz).date()
    day_start = datetime.combine(today, time.min, tzinfo=tz).astimezone(UTC)
    day_end = day_start + timedelta(days=1)
    snap.due_today = [o for o in activities.occurrences(s, day_start, day_end, tz) if not o.done]
    # Counted in SQL; only the most recent are expanded (a large book has tens of thousands overdue).
    snap.overdue, snap.overdue_total = overdue_repo.overdue_page(
        s, now, tz, OVERDUE_LOOKBACK_DAYS, OVERDUE_KEPT, before=day_start, owners=owners
    )

    snap.sent = snapshot_repo.mail_sent(s, since, now)
    snap.failed = snapshot_repo.mail_failed(s, since)
    snap.pipeline_moves = snapshot_repo.pipeline_moves(s, since, now)

    if owners is not None:  # team feature: an advisor's snapshot covers their own households
        mine = owned_household_ids(s, owners)
        snap.due_today = [o for o in snap.due_today if o.household_id in mine]
        snap.failed = [m for m in snap.failed if m.household_id in mine]
        snap.pipeline_moves = [p for p in snap.pipeline_moves if p.household_id in mine]
    ids = {o.household_id for o in snap.due_today + snap.overdue}
    snap.names = activities.household_names(s, sorted(ids)) if ids else {}
    return snap
