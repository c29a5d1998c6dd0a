"""The analytics as the window, the alert engine and the CLI use them: one read-only unit of work per call.

The retention model is the one slow part (its backtest fits a few dozen small regressions: a second or two
on a large book), so its assessment is cached per book, as-of date, settings and book state; the state
fingerprint is a handful of counts and maxima that any import, edit or new record changes.
"""

from __future__ import annotations

import logging
import threading
from collections import OrderedDict
from dataclasses import astuple, dataclass, replace
from datetime import date
from typing import Any

import pandas as pd
from sqlalchemy.orm import Session

from actdesk.domain.analytics.config import AnalyticsConfig
from actdesk.domain.analytics.dates import key_dates, month_series, shift_months
from actdesk.domain.analytics.frames import MONTHLY_COLUMNS, BookFrames
from actdesk.domain.analytics.history import HouseholdHistory
from actdesk.domain.analytics.kpis import compute_kpis
from actdesk.domain.analytics.landmarks import HISTORY_NEEDED, FeatureBuilder
from actdesk.domain.analytics.records import HouseholdRecord
from actdesk.domain.analytics.retention import client_retention
from actdesk.domain.analytics.segments import assign_segments
from actdesk.domain.analytics.survival import (
    Assessment,
    RetentionProbability,
    fit_retention,
    score_retention,
)
from actdesk.domain.analytics.trends import aum_trend_of, monthly_share_of_wallet, revenue_trend_of
from actdesk.gc_tuning import no_cycle_collection
from actdesk.services.retention_store import RetentionStore, digest
from actdesk.settings import Settings
from actdesk.storage.analytics_data import load_book_frames, load_households
from actdesk.storage.analytics_series import (
    aum_on_days,
    households_aum,
    monthly_frame,
    start_client_outflows,
)
from actdesk.storage.book_records import household_records, load_book_records
from actdesk.storage.engine import Book
from actdesk.storage.repositories import series_cache
from actdesk.storage.repositories.book_state import book_state
from actdesk.storage.retention_history import load_history

log = logging.getLogger(__name__)

_CACHE_SIZE = 8
_cache: OrderedDict[tuple[Any, ...], Assessment] = OrderedDict()
_lock = threading.Lock()


def analytics_config(settings: Settings | None = None) -> AnalyticsConfig:
    """The analytics section of ``settings`` (the callers pass the user's); without settings, the defaults."""
    return (settings or Settings()).section(AnalyticsConfig)


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
    """All KPIs as of ``as_of`` (see ``compute_kpis``); with the probabilities, the per-household NPV.
    Loads only the plain records the KPIs read (no frames), in the same read as the model's history."""
    cfg = config or analytics_config()
    assessment, history = None, None
    # The records and the KPIs hold no reference cycles: no collection looks through them for any while
    # they are read and computed (the model's fit, when one is needed, is collected as usual).
    with no_cycle_collection():
        with book.reader() as s:
            records = load_book_records(s, as_of)
            if with_probabilities:
                key, assessment, history = _prepare(s, book, as_of, cfg, False)
        if history is None:
            kpis = compute_kpis(
                records, as_of, cfg, assessment.probabilities if assessment is not None else None
            )
            del records  # freed before collections resume, so that none looks through them
            return kpis
    builder = FeatureBuilder(history)
    del history  # the builder's running totals replace its monthly amounts during the fit
    assessment = _fit_and_keep(book, key, builder, as_of, cfg)
    return compute_kpis(records, as_of, cfg, assessment.probabilities)


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
    (for ``aum_trend_of`` and friends) and ``years`` yearly retention rows into ``retention``.

    The series (months and years) are read from the book's series cache when it holds them for the book
    as it is now, and stored there after a computation: a reopen reads them instead of scanning every
    balance (``storage/repositories/series_cache.py``)."""
    cfg = config or analytics_config()
    assessment = None
    trend = pd.DataFrame()
    series_key = f"book:{as_of.isoformat()}:{months}:{years}"
    fresh: dict[str, Any] | None = None
    with book.reader() as s:
        key: tuple[Any, ...] = ()
        history = None
        if with_probabilities:
            key, assessment, history = _prepare(s, book, as_of, cfg, False)
        state = key[-1] if key else (book_state(s) if months or years else ())
        series_digest = series_cache.state_digest(state)
        cached = series_cache.read(s, series_key, series_digest) if months or years else None
        periods = retention_periods(as_of, years)
        if cached is not None:
            frames = load_book_frames(s, as_of, months=0)
            monthly, day_aum, outflows = _decode_series(cached[0])
        else:
            # One balance scan for the months and the retention periods' starts together, overlapping the
            # rest of the load.
            days = [*month_series(as_of, months), *(start for start, _ in periods)]
            frames = load_book_frames(s, as_of, months=0, aum_days=days, retention_periods=periods)
            day_aum, outflows = frames.day_aum, frames.period_outflows
            monthly = (
                monthly_frame(s, as_of, months, frames.households, frames.members, day_aum)
                if months > 0
                else None
            )
            if months or years:
                fresh = _encode_series(monthly, day_aum, outflows, periods)
        if monthly is not None:
            frames = replace(frames, monthly=monthly)
        if years > 0:
            trend = _retention_rows(frames.records.households, periods, day_aum, outflows, s)
    if fresh is not None:
        _store_series(book, series_key, series_digest, fresh)
    if history is not None:
        builder = FeatureBuilder(history)
        del history  # the builder's running totals replace its monthly amounts during the fit
        assessment = _fit_and_keep(book, key, builder, as_of, cfg)
    probabilities = assessment.probabilities if assessment is not None else None
    return BookAnalytics(frames, compute_kpis(frames.records, as_of, cfg, probabilities), trend)


def _encode_series(
    monthly: pd.DataFrame | None,
    day_aum: dict[date, tuple[int, int]],
    outflows: dict[date, int],
    periods: list[tuple[date, date]],
) -> dict[str, Any]:
    rows = [] if monthly is None else monthly.itertuples(index=False)
    return {
        "monthly": [[row[0].date().isoformat(), *(int(v) for v in row[1:])] for row in rows],
        "aum": {start.isoformat(): list(day_aum[start]) for start, _ in periods},
        "outflows": {start.isoformat(): int(outflows[start]) for start, _ in periods},
    }


def _decode_series(
    payload: dict[str, Any],
) -> tuple[pd.DataFrame | None, dict[date, tuple[int, int]], dict[date, int]]:
    monthly = None
    if payload["monthly"]:
        monthly = pd.DataFrame.from_records(payload["monthly"], columns=list(MONTHLY_COLUMNS))
        monthly["date"] = pd.to_datetime(monthly["date"])
    aum = {date.fromisoformat(d): (int(a), int(b)) for d, (a, b) in payload["aum"].items()}
    outflows = {date.fromisoformat(d): int(v) for d, v in payload["outflows"].items()}
    return monthly, aum, outflows


def _store_series(book: Book, key: str, digest: str, payload: dict[str, Any]) -> None:
    """Keep computed series for the next open; a book that cannot be written (read-only, busy) is simply
    not cached."""
    if book.read_only:
        return
    try:
        with book.session() as s:
            series_cache.write(s, key, digest, payload)
    except Exception:
        log.info("series cache not written", exc_info=True)


def assessment_for(
    book: Book, as_of: date, config: AnalyticsConfig | None = None, *, allow_stale: bool = False
) -> Assessment:
    """The retention assessment on ``as_of``: probabilities, the backtest and the method it earned;
    cached per book state and as-of date, in memory and (the fitted model only) on disk, see
    ``retention_store``. ``allow_stale``: the window's calls, which may score with a model fitted on an
    earlier state of the book, labelled with its date, rather than wait for a refit. Reads only records
    dated on or before ``as_of``."""
    cfg = config or analytics_config()
    with book.reader() as s:
        key, result, history = _prepare(s, book, as_of, cfg, allow_stale)
    if result is not None:
        return result
    assert history is not None
    builder = FeatureBuilder(history)
    del history  # the builder's running totals replace its monthly amounts during the fit
    return _fit_and_keep(book, key, builder, as_of, cfg)


def _prepare(
    s: Session, book: Book, as_of: date, cfg: AnalyticsConfig, allow_stale: bool
) -> tuple[tuple[Any, ...], Assessment | None, HouseholdHistory | None]:
    """Within one read: the assessment when the memory cache or a kept model answers (loading only the
    features' window of history to score), else the whole history for a fit."""
    key = _cache_key(s, book, as_of, cfg)
    cached = _cached(key)
    if cached is not None:
        return key, cached, None
    store = RetentionStore.for_book(book)
    kept = store.find(as_of, cfg, digest(key[-1]), accept_stale=allow_stale) if store else None
    if kept is not None:
        window = load_history(s, as_of, HISTORY_NEEDED)
        if kept.current:
            result = score_retention(window, kept.fitted, cfg, fitted_on=kept.fitted_on)
            _store(key, result)
            return key, result, None
        stale = score_retention(window, kept.fitted, cfg, as_of=as_of, fitted_on=kept.fitted_on, stale=True)
        return key, stale, None
    return key, None, load_history(s, as_of)


def _fit_and_keep(
    book: Book, key: tuple[Any, ...], builder: FeatureBuilder, as_of: date, cfg: AnalyticsConfig
) -> Assessment:
    """Fit and score from one ``FeatureBuilder``: the caller no longer holds the history's monthly amounts
    (the child's peak memory on 10,000 households, issue 21), and the scoring does not build it again."""
    fitted = fit_retention(builder, as_of, cfg)
    result = score_retention(builder, fitted, cfg)
    store = RetentionStore.for_book(book)
    if store is not None:
        store.save(fitted, cfg, digest(key[-1]), date.today())
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
        records = load_book_records(s, as_of)
    return assign_segments(records, as_of, cfg)


def _monthly(book: Book, as_of: date, months: int) -> BookFrames:
    with book.reader() as s:
        return load_book_frames(s, as_of, months=months)


def aum_trend(book: Book, as_of: date, months: int = 25) -> pd.DataFrame:
    """Monthly book AUM with its month's net flows and market effect (``domain.analytics.trends``)."""
    return aum_trend_of(_monthly(book, as_of, months))


def revenue_trend(book: Book, as_of: date, months: int = 25) -> pd.DataFrame:
    """Monthly fee revenue: date, recurring, one_off, total (float dollars)."""
    return revenue_trend_of(_monthly(book, as_of, months))


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
        return _retention_rows(household_records(s), periods, aum, outflows, s)


def retention_periods(as_of: date, years: int) -> list[tuple[date, date]]:
    """(start, end) of the 12-month periods ending at ``as_of`` and its earlier anniversaries, oldest first."""
    ends = [shift_months(as_of, -12 * k) for k in range(years - 1, -1, -1)]
    return [(key_dates(end)[2], end) for end in ends]


def _retention_rows(
    households: dict[int, HouseholdRecord],
    periods: list[tuple[date, date]],
    aum: dict[date, tuple[int, int]],
    outflows: dict[date, int],
    session: Session | None = None,
) -> pd.DataFrame:
    """``retention_trend`` from the households and their client periods, the AUM of each period start's clients (``aum``,
    from ``aum_on_days``) and their outflows in the period (``start_client_outflows``): the same figures
    as ``retention`` on frames loaded at each anniversary, without loading them."""
    rows = []
    for start, end in periods:
        n, retained, rate = client_retention(households, start, end)
        aum_start, out = aum[start][0], -outflows[start]
        left = [h for h, r in households.items() if r.client_on(start) and not r.client_on(end)]
        lost = households_aum(session, left, start) if session is not None else None
        rows.append(
            {
                "end": end,
                "clients_at_start": n,
                "retained": retained,
                "client_rate": rate,
                "asset_rate": None if aum_start <= 0 else 1.0 - out / aum_start,
                # the headline, as in the KPIs: assets kept from departures (docs/metrics.md section 2)
                "assets_kept_rate": None if aum_start <= 0 or lost is None else 1.0 - lost / aum_start,
                "departures": len(left),
            }
        )
    return pd.DataFrame(rows)
