"""The analytics as the window, the alert engine and the CLI use them: one read-only unit of work per call.

The retention model is the one slow part (its backtest fits a few dozen small regressions: a second or two
on a large book), so its assessment is cached per book, as-of date, settings and book state; the state
fingerprint is a handful of counts and maxima that any import, edit or new record changes.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from dataclasses import astuple, dataclass, replace
from datetime import date
from typing import Any

import pandas as pd
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from actdesk.domain.analytics.common import client_mask
from actdesk.domain.analytics.config import AnalyticsConfig
from actdesk.domain.analytics.dates import key_dates, month_series, shift_months
from actdesk.domain.analytics.frames import BookFrames
from actdesk.domain.analytics.kpis import compute_kpis
from actdesk.domain.analytics.retention import client_retention
from actdesk.domain.analytics.revenue import monthly_revenue
from actdesk.domain.analytics.segments import assign_segments
from actdesk.domain.analytics.survival import Assessment, RetentionProbability, assess
from actdesk.domain.analytics.wallet import monthly_share_of_wallet
from actdesk.storage.analytics_data import load_book_frames, load_households
from actdesk.storage.analytics_series import (
    aum_on_days,
    households_aum,
    load_returning_periods,
    monthly_frame,
    start_client_outflows,
)
from actdesk.storage.engine import Book
from actdesk.storage.retention_history import load_history
from actdesk.storage.tables.book import (
    AccountRow,
    ActivityRow,
    BalanceRow,
    ContactRow,
    FeeRow,
    FlowRow,
    HouseholdRow,
    ReferralRow,
)

_CACHE_SIZE = 8
_cache: OrderedDict[tuple[Any, ...], Assessment] = OrderedDict()
_lock = threading.Lock()


def analytics_config() -> AnalyticsConfig:
    """The user's analytics settings (section "analytics"), defaults where unset."""
    from actdesk.settings import load_settings

    return load_settings().section("analytics", AnalyticsConfig)


def book_state(session: Session) -> tuple[Any, ...]:
    """A cheap fingerprint of everything the retention model reads. One aggregate per query, so that
    SQLite answers each from an index end or its row count instead of reading every row of
    ``balances`` and ``activities`` (a quarter of a second on a 10,000-household book)."""
    queries = (
        select(func.count(), func.max(HouseholdRow.updated_at), func.sum(HouseholdRow.version)),
        select(func.count(), func.max(ContactRow.updated_at)),
        select(func.count(), func.max(AccountRow.id)),
        select(func.count()).select_from(BalanceRow),
        select(func.max(BalanceRow.date)),
        select(func.count(), func.max(FlowRow.id)),
        select(func.count(), func.max(FeeRow.id)),
        select(func.count(), func.max(ActivityRow.id)),
        select(func.max(ActivityRow.completed_at)),
        select(func.count(), func.max(ReferralRow.id)),
    )
    return tuple(tuple(session.execute(q).one()) for q in queries)


def _cache_key(session: Session, book: Book, as_of: date, config: AnalyticsConfig) -> tuple[Any, ...]:
    return (str(book.url), as_of, astuple(config), book_state(session))


def _cached(key: tuple[Any, ...]) -> Assessment | None:
    with _lock:
        if key in _cache:
            _cache.move_to_end(key)
            return _cache[key]
    return None


def _store(key: tuple[Any, ...], value: Assessment) -> None:
    with _lock:
        _cache[key] = value
        while len(_cache) > _CACHE_SIZE:
            _cache.popitem(last=False)


def kpis_for(
    book: Book, as_of: date, config: AnalyticsConfig | None = None, *, with_probabilities: bool = True
) -> dict[str, Any]:
    """All KPIs as of ``as_of`` (see ``compute_kpis``); with the probabilities, the per-household NPV."""
    return book_analytics(book, as_of, config, with_probabilities=with_probabilities).kpis


@dataclass(frozen=True)
class BookAnalytics:
    """The frames of one as-of date, the KPIs computed from them and, when asked for, the trend series
    read in the same unit of work: what a dashboard needs, for one load of the book."""

    frames: BookFrames
    kpis: dict[str, Any]
    retention: pd.DataFrame  # retention_trend's rows (none when ``years`` is 0)


def book_analytics(
    book: Book,
    as_of: date,
    config: AnalyticsConfig | None = None,
    *,
    with_probabilities: bool = True,
    months: int = 0,
    years: int = 0,
) -> BookAnalytics:
    """Load the book once and compute every KPI; ``months`` monthly points go into ``frames.monthly``
    (for ``aum_trend_of`` and friends) and ``years`` yearly retention rows into ``retention``."""
    cfg = config or analytics_config()
    assessment = None
    trend = pd.DataFrame()
    with book.reader() as s:
        key = _cache_key(s, book, as_of, cfg) if with_probabilities else ()
        assessment = _cached(key) if with_probabilities else None
        need_history = with_probabilities and assessment is None
        # One balance scan for the months and the retention periods' starts together, overlapping the
        # rest of the load.
        periods = retention_periods(as_of, years)
        days = [*month_series(as_of, months), *(start for start, _ in periods)]
        frames = load_book_frames(
            s,
            as_of,
            months=0,
            history=False,
            aum_days=days,
            retention_periods=periods,
        )
        if months > 0:
            monthly = monthly_frame(s, as_of, months, frames.households, frames.members, frames.day_aum)
            frames = replace(frames, monthly=monthly)
        if years > 0:
            trend = _retention_rows(
                frames.households, periods, frames.day_aum, frames.period_outflows, frames.periods, s
            )
        history = load_history(s, as_of) if need_history else None
    if history is not None:
        assessment = assess(history, as_of, cfg)
        _store(key, assessment)
    probabilities = assessment.probabilities if assessment is not None else None
    return BookAnalytics(frames, compute_kpis(frames, as_of, cfg, probabilities), trend)


def assessment_for(book: Book, as_of: date, config: AnalyticsConfig | None = None) -> Assessment:
    """The retention assessment on ``as_of``: probabilities, the backtest and the method it earned;
    cached per book state and as-of date. Reads only records dated on or before ``as_of``."""
    cfg = config or analytics_config()
    with book.reader() as s:
        key = _cache_key(s, book, as_of, cfg)
        cached = _cached(key)
        if cached is not None:
            return cached
        history = load_history(s, as_of)
    result = assess(history, as_of, cfg)
    _store(key, result)
    return result


def probabilities_for(
    book: Book, as_of: date, config: AnalyticsConfig | None = None
) -> dict[int, RetentionProbability]:
    """Retention probability per current client household; cached per book state and as-of date."""
    return assessment_for(book, as_of, config).probabilities


def segments_for(book: Book, as_of: date, config: AnalyticsConfig | None = None) -> dict[int, str]:
    """A/B/C per client household on ``as_of``."""
    cfg = config or analytics_config()
    with book.reader() as s:
        frames = load_book_frames(s, as_of, months=0, history=False)
    return assign_segments(frames, as_of, cfg)


def _monthly(book: Book, as_of: date, months: int) -> BookFrames:
    with book.reader() as s:
        return load_book_frames(s, as_of, months=months, history=False)


def aum_trend(book: Book, as_of: date, months: int = 25) -> pd.DataFrame:
    """Monthly book AUM with its month's net flows and market effect (see ``aum_trend_of``)."""
    return aum_trend_of(_monthly(book, as_of, months))


def aum_trend_of(frames: BookFrames) -> pd.DataFrame:
    """Monthly book AUM of loaded frames with its month's net flows and market effect: date, clients,
    aum, net_flows, market (float dollars, for charts; the first month has no market figure)."""
    monthly = frames.monthly
    out = pd.DataFrame({"date": monthly["date"], "clients": monthly["clients"]})
    out["aum"] = monthly["aum_cents"] / 100.0
    out["net_flows"] = (monthly["inflow_cents"] + monthly["outflow_cents"]) / 100.0
    out["market"] = out["aum"].diff() - out["net_flows"]
    return out


def revenue_trend(book: Book, as_of: date, months: int = 25) -> pd.DataFrame:
    """Monthly fee revenue: date, recurring, one_off, total (float dollars)."""
    return revenue_trend_of(_monthly(book, as_of, months))


def revenue_trend_of(frames: BookFrames) -> pd.DataFrame:
    """Monthly fee revenue of loaded frames: date, recurring, one_off, total (float dollars)."""
    revenue = monthly_revenue(frames)
    for column in ("recurring", "one_off", "total"):
        revenue[column] = revenue[column] / 100.0
    return revenue


def wallet_trend(book: Book, as_of: date, months: int = 25) -> pd.DataFrame:
    """Monthly book-wide share of wallet: date, share_of_wallet (None-like NaN with no known net worth)."""
    return monthly_share_of_wallet(_monthly(book, as_of, months))


def wallet_trend_of(frames: BookFrames) -> pd.DataFrame:
    """Monthly book-wide share of wallet of loaded frames."""
    return monthly_share_of_wallet(frames)


def retention_trend(book: Book, as_of: date, years: int = 5) -> pd.DataFrame:
    """Client and asset retention for each 12-month period ending at ``as_of`` and the earlier
    anniversaries, oldest first: end, clients_at_start, retained, client_rate, asset_rate,
    assets_kept_rate (the headline: assets kept from departures), departures."""
    periods = retention_periods(as_of, years)
    with book.reader() as s:
        households = load_households(s)
        aum = aum_on_days(s, [start for start, _ in periods], households)
        outflows = start_client_outflows(s, periods)
        return _retention_rows(households, periods, aum, outflows, load_returning_periods(s), s)


def retention_periods(as_of: date, years: int) -> list[tuple[date, date]]:
    """(start, end) of the 12-month periods ending at ``as_of`` and its earlier anniversaries, oldest first."""
    ends = [shift_months(as_of, -12 * k) for k in range(years - 1, -1, -1)]
    return [(key_dates(end)[2], end) for end in ends]


def _retention_rows(
    households: pd.DataFrame,
    periods: list[tuple[date, date]],
    aum: dict[date, tuple[int, int]],
    outflows: dict[date, int],
    returning: pd.DataFrame | None = None,
    session: Session | None = None,
) -> pd.DataFrame:
    """``retention_trend`` from the households frame, the AUM of each period start's clients (``aum``,
    from ``aum_on_days``) and their outflows in the period (``start_client_outflows``): the same figures
    as ``retention`` on frames loaded at each anniversary, without loading them."""
    rows = []
    for start, end in periods:
        n, retained, rate = client_retention(households, start, end, returning)
        aum_start, out = aum[start][0], -outflows[start]
        left = client_mask(households, start, returning) & ~client_mask(households, end, returning)
        lost = (
            households_aum(session, households.index[left].tolist(), start) if session is not None else None
        )
        rows.append(
            {
                "end": end,
                "clients_at_start": n,
                "retained": retained,
                "client_rate": rate,
                "asset_rate": None if aum_start <= 0 else 1.0 - out / aum_start,
                # the headline, as in the KPIs: assets kept from departures (docs/metrics.md section 2)
                "assets_kept_rate": None if aum_start <= 0 or lost is None else 1.0 - lost / aum_start,
                "departures": int(left.sum()),
            }
        )
    return pd.DataFrame(rows)
