"""All KPIs of the book as of one date, as one plain dict (the shape of ``actdesk kpis --json``)."""

from __future__ import annotations

from datetime import date
from typing import Any

import pandas as pd

from actdesk.domain.analytics.config import AnalyticsConfig
from actdesk.domain.analytics.frames import BookFrames
from actdesk.domain.analytics.survival import RetentionProbability


def compute_kpis(
    frames: BookFrames,
    as_of: date,
    config: AnalyticsConfig,
    probabilities: dict[int, RetentionProbability] | None = None,
) -> dict[str, Any]:
    """Keys: as_of, clients, aum{total,start,net_flows,market}, retention{client_rate,asset_rate},
    revenue{t12m,recurring_t12m}, share_of_wallet{book}, segments{A,B,C:{households,revenue,aum}},
    book_value{multiple,npv,...}, referral_sources[...] and more. Money as Decimal, rates as floats 0-1
    (None when undefined, e.g. no clients at the period start). ``probabilities`` (from
    ``retention_probabilities``) adds the per-household NPV; without them it is None."""
    raise NotImplementedError


def household_table(frames: BookFrames, as_of: date, config: AnalyticsConfig) -> pd.DataFrame:
    """One row per client household on ``as_of`` (index household_id) with the numbers alert rules read:
    aum, aum_6m, aum_12m, net_flows_6m, outflows_6m (Decimal-free: float dollars), share_of_wallet,
    share_of_wallet_12m, revenue_t12m, revenue_prev_t12m, segment, tenure_years."""
    raise NotImplementedError
