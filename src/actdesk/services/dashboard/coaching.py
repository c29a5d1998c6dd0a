"""The advisor's own activity against the targets the advisor sets (settings section "coaching").

Counts are of completed activities by the local date they were completed: calls, meetings and reviews a
week; referrals asked for a week (completed activities whose subject or outcome names a referral, in the
advisor's words: ``referral_keywords``); new client households a quarter (``client_since`` in the quarter).
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta, tzinfo
from typing import ClassVar

from sqlalchemy.orm import Session

from actdesk.i18n import N_
from actdesk.storage.repositories import dashboard as dashboard_repo

SECTION = "coaching"


@dataclass
class CoachingSettings:
    SECTION: ClassVar[str] = SECTION
    calls_per_week: int = 15
    meetings_per_week: int = 5
    reviews_per_week: int = 3
    referrals_asked_per_week: int = 2
    new_households_per_quarter: int = 3
    referral_keywords: list[str] = field(default_factory=lambda: ["referral", "referido", "referencia"])
    weeks: int = 12  # weeks in the trend
    quarters: int = 4


@dataclass(frozen=True)
class Metric:
    key: str
    title: str  # N_-marked; translate when shown
    period: str  # "week" or "quarter"
    target: int
    trend: list[tuple[date, int]]  # (period start, count), oldest first; the last one is the current period

    @property
    def actual(self) -> int:
        return self.trend[-1][1] if self.trend else 0

    @property
    def progress(self) -> float | None:
        return None if self.target <= 0 else self.actual / self.target

    @property
    def average(self) -> float:
        """The average of the completed periods (the current one is still running)."""
        done = [n for _d, n in self.trend[:-1]]
        return sum(done) / len(done) if done else 0.0


@dataclass(frozen=True)
class Coaching:
    today: date
    week_start: date
    quarter_start: date
    metrics: list[Metric]


def week_start(day: date) -> date:
    return day - timedelta(days=day.weekday())


def quarter_start(day: date) -> date:
    return date(day.year, 3 * ((day.month - 1) // 3) + 1, 1)


def _previous_quarter(start: date) -> date:
    month = start.month - 3
    return date(start.year - (month < 1), month + 12 if month < 1 else month, 1)


def gather_coaching(s: Session, now: datetime, tz: tzinfo, settings: CoachingSettings) -> Coaching:
    today = now.astimezone(tz).date()
    this_week = week_start(today)
    weeks = [this_week - timedelta(weeks=k) for k in range(max(1, settings.weeks) - 1, -1, -1)]
    since = datetime.combine(weeks[0], time.min, tzinfo=tz).astimezone(UTC)
    keywords = [k.casefold() for k in settings.referral_keywords if k.strip()]
    per_kind: Counter[tuple[str, date]] = Counter()
    asked: Counter[date] = Counter()
    for kind, completed, subject, outcome in dashboard_repo.completed_since(s, since):
        day = completed.astimezone(tz).date()
        if day > today:
            continue
        week = week_start(day)
        per_kind[(kind, week)] += 1
        text = f"{subject or ''} {outcome or ''}".casefold()
        if any(k in text for k in keywords):
            asked[week] += 1

    quarters = [quarter_start(today)]
    for _k in range(max(1, settings.quarters) - 1):
        quarters.insert(0, _previous_quarter(quarters[0]))
    new: Counter[date] = Counter()
    for since_day in dashboard_repo.clients_since(s, quarters[0]):
        if since_day <= today:
            new[quarter_start(since_day)] += 1

    def weekly(kind: str) -> list[tuple[date, int]]:
        return [(w, per_kind[(kind, w)]) for w in weeks]

    metrics = [
        Metric("calls", N_("Calls"), "week", settings.calls_per_week, weekly("call")),
        Metric("meetings", N_("Meetings"), "week", settings.meetings_per_week, weekly("meeting")),
        Metric("reviews", N_("Reviews"), "week", settings.reviews_per_week, weekly("review")),
        Metric(
            "referrals_asked",
            N_("Referrals asked for"),
            "week",
            settings.referrals_asked_per_week,
            [(w, asked[w]) for w in weeks],
        ),
        Metric(
            "new_households",
            N_("New households"),
            "quarter",
            settings.new_households_per_quarter,
            [(q, new[q]) for q in quarters],
        ),
    ]
    return Coaching(today=today, week_start=this_week, quarter_start=quarters[-1], metrics=metrics)
