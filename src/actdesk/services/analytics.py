"""The analytics as the window, the alert engine and the CLI use them: one unit of work per call."""

from __future__ import annotations

from datetime import date
from typing import Any

import pandas as pd

from actdesk.domain.analytics.config import AnalyticsConfig
from actdesk.domain.analytics.survival import RetentionProbability
from actdesk.storage.engine import Book


def kpis_for(book: Book, as_of: date, config: AnalyticsConfig | None = None) -> dict[str, Any]:
    """All KPIs as of ``as_of`` (see ``compute_kpis``), including the per-household NPV."""
    raise NotImplementedError


def probabilities_for(
    book: Book, as_of: date, config: AnalyticsConfig | None = None
) -> dict[int, RetentionProbability]:
    """Retention probability per current client household; cached per book state and as-of date."""
    raise NotImplementedError


def segments_for(book: Book, as_of: date, config: AnalyticsConfig | None = None) -> dict[int, str]:
    """A/B/C per client household on ``as_of``."""
    raise NotImplementedError


def aum_trend(book: Book, as_of: date, months: int = 25) -> pd.DataFrame:
    """Monthly book AUM: date, aum, net_flows, market (float dollars, for charts)."""
    raise NotImplementedError


def retention_trend(book: Book, as_of: date, years: int = 5) -> pd.DataFrame:
    """Client and asset retention per 12-month period ending at ``as_of`` and earlier anniversaries."""
    raise NotImplementedError


def revenue_trend(book: Book, as_of: date, months: int = 25) -> pd.DataFrame:
    """Monthly fee revenue: date, recurring, one_off, total (float dollars)."""
    raise NotImplementedError


def wallet_trend(book: Book, as_of: date, months: int = 25) -> pd.DataFrame:
    """Monthly book-wide share of wallet: date, share_of_wallet."""
    raise NotImplementedError
