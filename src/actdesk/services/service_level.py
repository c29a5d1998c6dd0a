"""The service-level report: per client household, last and next contact against its segment's cadence,
and the aging of overdue items. Segments come from the analytics engine when it can compute them."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime, tzinfo

from sqlalchemy.orm import Session

from actdesk.domain.analytics.config import AnalyticsConfig
from actdesk.domain.schedule.config import ScheduleSettings, contact_kinds
from actdesk.domain.schedule.occurrences import Occurrence
from actdesk.domain.schedule.service import ServiceLine, aging_buckets, bucket, service_level
from actdesk.storage.repositories import activities as repo
from actdesk.storage.repositories import overdue as overdue_repo
from actdesk.storage.repositories.schedule_facts import contact_facts, with_segments

log = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class OverdueItem:
    occurrence: Occurrence
    household: str
    days_overdue: int
    bucket: str


@dataclass(frozen=True, slots=True)
class ServiceReport:
    as_of: datetime
    lines: list[ServiceLine]
    buckets: dict[str, int]
    overdue: list[OverdueItem]
    segments_known: bool


def household_segments(s: Session, now: datetime, analytics: AnalyticsConfig) -> dict[int, str] | None:
    """A/B/C per client household from the analytics engine with the advisor's segment shares, or None
    when it cannot say (the report then uses the default cadence and says so)."""
    try:
        from actdesk.domain.analytics.segments import assign_segments
        from actdesk.storage.book_records import load_book_records

        as_of = now.date()
        return dict(assign_segments(load_book_records(s, as_of), as_of, analytics))
    except NotImplementedError:
        log.info("segments are not available yet; the default cadence applies")
        return None


def build_report(
    s: Session, now: datetime, tz: tzinfo, settings: ScheduleSettings, analytics: AnalyticsConfig
) -> ServiceReport:
    """Segments follow the advisor's analytics settings (A/B/C shares), as the dashboard's do."""
    segments = household_segments(s, now, analytics)
    facts = contact_facts(s, now, tz, contact_kinds(settings))
    if segments:
        facts = with_segments(facts, segments)
    today = now.astimezone(tz).date()
    lines = service_level(facts, today, settings.cadence_days, settings.default_cadence_days)
    items = overdue_repo.overdue(s, now, tz, settings.overdue_lookback_days)
    names = repo.household_names(s, sorted({o.household_id for o in items}))
    overdue: list[OverdueItem] = []
    due_days = []
    for occ in items:
        day = occ.day(tz) or today
        days = (today - day).days
        if days >= 1:
            due_days.append(day)
            overdue.append(OverdueItem(occ, names.get(occ.household_id, ""), days, bucket(days)))
    buckets = aging_buckets(due_days, today)
    return ServiceReport(now, lines, buckets, overdue, segments is not None)
