"""The client households as one pandas table in float dollars, what the Book dashboard's households chart
and segment lists read (statistics, not bookkeeping). Every number is the KPIs' own, per household."""

from __future__ import annotations

from datetime import date

import pandas as pd

from actdesk.domain.analytics.aum import household_aum
from actdesk.domain.analytics.config import AnalyticsConfig
from actdesk.domain.analytics.records import ZERO4, BookRecords
from actdesk.domain.analytics.segments import assign_segments
from actdesk.domain.analytics.wallet import relationship_depth, share_of_wallet


def household_table(records: BookRecords, as_of: date, config: AnalyticsConfig) -> pd.DataFrame:
    """One row per client household on ``as_of`` (index household_id) with the numbers alert rules read,
    money in float dollars: aum, aum_12m, held_away, net_flows_6m, outflows_6m, net_flows_12m,
    share_of_wallet, share_of_wallet_12m, revenue_t12m, revenue_prev_t12m, segment, tenure_years."""
    if as_of != records.as_of:
        raise ValueError(f"records were loaded as of {records.as_of}, not {as_of}")
    table = household_aum(records)
    ids = list(table)
    nan = float("nan")
    wallet, wallet_then = share_of_wallet(records, as_of), share_of_wallet(records, records.period_start)
    fees, prior = records.fees_t12m(as_of), records.fees_t12m(records.period_start)
    segments = assign_segments(records, as_of, config)
    depth = relationship_depth(records, as_of)
    flows = {h: records.flows.get(h, ZERO4) for h in ids}
    out = pd.DataFrame(
        {
            "aum": [table[h].aum / 100.0 for h in ids],
            "aum_12m": [table[h].aum_12m / 100.0 for h in ids],
            "held_away": [table[h].held_away / 100.0 for h in ids],
            "net_flows_6m": [(flows[h][0] + flows[h][1]) / 100.0 for h in ids],
            "outflows_6m": [-flows[h][1] / 100.0 for h in ids],
            "net_flows_12m": [sum(records.period_flows(h)) / 100.0 for h in ids],
            "share_of_wallet": [wallet.get(h, nan) for h in ids],
            "share_of_wallet_12m": [wallet_then.get(h, nan) for h in ids],
            "revenue_t12m": [fees.get(h, (0, 0, 0))[2] / 100.0 for h in ids],
            "revenue_prev_t12m": [prior.get(h, (0, 0, 0))[2] / 100.0 for h in ids],
            "segment": [segments.get(h) for h in ids],
            "tenure_years": [depth[h].tenure_years for h in ids],
        },
        index=pd.Index(ids, dtype="int64", name="household_id"),
    )
    return out
