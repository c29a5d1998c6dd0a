"""The pipeline feature as the window and the CLI use it: one unit of work per call, Qt-free.

Segments and trailing-12-month revenue come from the analytics (``actdesk.domain.analytics``); they import
pandas, so they are imported inside the functions that need them and the window paints before they load.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date, datetime
from decimal import Decimal
from typing import TYPE_CHECKING

from actdesk.domain.analytics.periods import ClientPeriod, status_on
from actdesk.domain.pipeline.board import (
    ColumnTotals,
    PipelineItem,
    column_totals,
    days_in_stage,
    effective_probability,
    open_weighted_value,
    unknown_stages,
    weighted_revenue,
    weighted_value,
)
from actdesk.domain.pipeline.config import PipelineConfig
from actdesk.domain.pipeline.economics import SegmentEconomics, ServiceCost, segment_economics, service_costs
from actdesk.domain.pipeline.fit import FitScore, describe_profile, rank_prospects
from actdesk.domain.pipeline.profile import IdealClientProfile, build_profile
from actdesk.domain.pipeline.similar import Suggestion, suggestions
from actdesk.domain.pipeline.sources import SourceStats, Spend, source_stats
from actdesk.domain.pipeline.traits import HouseholdTraits
from actdesk.i18n import _
from actdesk.storage.engine import Book
from actdesk.storage.repositories import households as households_repo
from actdesk.storage.repositories import pipeline as repo
from actdesk.storage.repositories.client_periods import client_periods

if TYPE_CHECKING:
    from actdesk.domain.analytics.config import AnalyticsConfig


def default_as_of(today: date) -> date:
    """The analytics' as-of date: the last month-end (segments rank trailing-12-month revenue to it)."""
    from actdesk.domain.analytics.dates import last_month_end

    return last_month_end(today)


@dataclass(frozen=True)
class BoardRow:
    item: PipelineItem
    probability: float
    weighted_value: Decimal
    weighted_revenue: Decimal
    days_in_stage: int


@dataclass(frozen=True)
class Board:
    stages: list[str]
    rows: list[BoardRow]
    totals: list[ColumnTotals]
    weighted_open: Decimal  # the pipeline's weighted value (open stages)
    unknown_stages: list[str]  # stages in the book the settings no longer list


def board(book: Book, now: datetime, config: PipelineConfig, *, recent_only: bool = True) -> Board:
    """Open opportunities, and won or lost ones closed in the last ``closed_days`` (all with
    ``recent_only=False``)."""
    with book.reader() as s:
        items = [
            i for i in repo.list_opportunities(s) if not (recent_only and _closed_long_ago(i, now, config))
        ]
    rows = [board_row(i, now, config) for i in items]
    return Board(
        list(config.stages),
        rows,
        column_totals(items, config, now),
        open_weighted_value(items, config),
        unknown_stages(items, config),
    )


def _closed_long_ago(item: PipelineItem, now: datetime, config: PipelineConfig) -> bool:
    return config.is_closed(item.stage) and (now - item.stage_changed_at).days > config.closed_days


def board_row(item: PipelineItem, now: datetime, config: PipelineConfig) -> BoardRow:
    return BoardRow(
        item,
        effective_probability(item, config),
        weighted_value(item, config),
        weighted_revenue(item, config),
        days_in_stage(item, now),
    )


def move(
    book: Book, opportunity_id: int, stage: str, reason: str | None, now: datetime, config: PipelineConfig
) -> PipelineItem:
    with book.session() as s:
        return repo.move_opportunity(s, opportunity_id, stage, reason, now, config)


def create(
    book: Book, household_id: int, kind: str, now: datetime, config: PipelineConfig, **fields: object
) -> PipelineItem:
    with book.session() as s:
        return repo.create_opportunity(s, household_id, kind, now, config, **fields)  # type: ignore[arg-type]


def add_spend(
    book: Book, source: str, day: date, amount: Decimal, hours: float = 0.0, note: str | None = None
) -> Spend:
    with book.session() as s:
        return repo.add_spend(s, source, day, amount, hours, note)


def _segments(
    book: Book, as_of: date, analytics: AnalyticsConfig | None
) -> tuple[dict[int, str], dict[int, Decimal]]:
    """A/B/C per client household and its trailing-12-month fees, from one load of the KPIs' records."""
    from actdesk.domain.analytics.aum import money
    from actdesk.domain.analytics.config import AnalyticsConfig
    from actdesk.domain.analytics.segments import assign_segments
    from actdesk.storage.book_records import load_book_records

    with book.reader() as s:
        records = load_book_records(s, as_of)
    segments = assign_segments(records, as_of, analytics or AnalyticsConfig())
    return segments, {hid: money(records.revenue_of(hid, as_of)) for hid in segments}


@dataclass(frozen=True)
class ProspectFit:
    traits: HouseholdTraits
    fit: FitScore
    open_opportunities: int


@dataclass(frozen=True)
class Prospecting:
    as_of: date
    profile: IdealClientProfile
    profile_lines: list[str]
    prospects: list[ProspectFit]  # best fit first


def prospecting(
    book: Book, as_of: date, config: PipelineConfig, analytics: AnalyticsConfig | None = None
) -> Prospecting:
    """The ideal-client profile (from the A segment on ``as_of``) and the fit against it of every household
    that was a prospect on ``as_of`` (statuses from the client periods); segments follow the user's
    ``analytics`` settings (the defaults when not given)."""
    segments, _fees = _segments(book, as_of, analytics)
    with book.reader() as s:
        traits = _statuses_on(repo.household_traits(s, _("Referral")), client_periods(s), as_of)
        items = repo.list_opportunities(s)
    a_ids = {hid for hid, seg in segments.items() if seg == "A"}
    profile = build_profile([t for t in traits if t.household_id in a_ids], as_of, config)
    prospects = [t for t in traits if t.status == "prospect" and t.has_primary]
    by_id = {t.household_id: t for t in prospects}
    open_count: dict[int, int] = {}
    for i in items:
        if not config.is_closed(i.stage):
            open_count[i.household_id] = open_count.get(i.household_id, 0) + 1
    fits = rank_prospects(prospects, profile, as_of, config) if profile.households else []
    return Prospecting(
        as_of,
        profile,
        describe_profile(profile),
        [ProspectFit(by_id[f.household_id], f, open_count.get(f.household_id, 0)) for f in fits],
    )


def _statuses_on(
    traits: list[HouseholdTraits], periods: list[ClientPeriod], day: date
) -> list[HouseholdTraits]:
    """Each household's status on ``day`` from its client periods (``periods.status_on``), so that a past
    as-of date sees who was a client, a former client or a prospect then (issue 20)."""
    by_household: dict[int, list[ClientPeriod]] = {}
    for p in periods:
        by_household.setdefault(p.household_id, []).append(p)
    return [replace(t, status=status_on(by_household.get(t.household_id, []), t.status, day)) for t in traits]


def household_suggestions(
    book: Book, household_id: int, as_of: date, config: PipelineConfig
) -> list[Suggestion]:
    """Growth ideas for one household: what its nearest clients on ``as_of`` held then and it did not.
    Statuses come from the client periods and holdings from the balances and won planning work of that
    date, so a past ``as_of`` sees the book as it was (the open opportunities are today's)."""
    with book.reader() as s:
        traits = repo.household_traits(s, _("Referral"))
        held = repo.holdings(s, as_of)
        periods = client_periods(s)
        open_kinds = {
            i.kind for i in repo.list_opportunities(s, household_id) if not config.is_closed(i.stage)
        }
    traits = _statuses_on(traits, periods, as_of)
    target = next((t for t in traits if t.household_id == household_id), None)
    if target is None:
        from actdesk.storage.errors import NotFoundError

        raise NotFoundError(_("no household with id {id}").format(id=household_id))
    clients = [t for t in traits if t.status == "client" and t.household_id in held]
    return [
        replace(x, in_pipeline=x.opportunity_kind in open_kinds)
        for x in suggestions(target, clients, held, as_of, config)
    ]


@dataclass(frozen=True)
class Acquisition:
    as_of: date
    sources: list[SourceStats]
    segments: list[SegmentEconomics]
    costs: list[ServiceCost]  # every client household, least profitable first


def acquisition(
    book: Book,
    as_of: date,
    config: PipelineConfig,
    start: date | None = None,
    analytics: AnalyticsConfig | None = None,
) -> Acquisition:
    """Spend, wins, cost per acquired household per source; cost to serve vs revenue per segment over the
    12 months to ``as_of``."""
    from actdesk.domain.analytics.dates import shift_months

    segments, revenue = _segments(book, as_of, analytics)
    with book.reader() as s:
        items = repo.list_opportunities(s)
        spend = repo.list_spend(s)
        counts = repo.activity_counts(s, shift_months(as_of, -12), as_of)
        names = households_repo.household_names(s)
    costs = service_costs(segments, names, counts, revenue, config)
    return Acquisition(
        as_of,
        source_stats(items, spend, config, start, as_of if start else None),
        segment_economics(costs),
        costs,
    )


def list_spend(book: Book) -> list[Spend]:
    with book.reader() as s:
        return repo.list_spend(s)


def household_choices(book: Book) -> list[tuple[int, str, str]]:
    """(id, name, status) of every household, by name: the growth-ideas chooser."""
    with book.reader() as s:
        traits = repo.household_traits(s, "")
    return sorted(((t.household_id, t.name, t.status) for t in traits), key=lambda r: (r[1].casefold(), r[0]))
