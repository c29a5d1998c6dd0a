"""A/B/C segments from the alert facts, by the analytics' rule (issue 3), without loading the analytics frames.

The watcher runs every 15 minutes; ranking the households it already has in memory costs a millisecond,
while loading the analytics frames costs seconds on a large book. The rule and the sizes are the
analytics' own (``segment_sizes``): ranked by trailing-12-month revenue, ties by AUM, then id; A = top 20%
rounded up, B = the next 30%, C = the rest. A test checks both agree on a book.
"""

from __future__ import annotations

import pandas as pd

from actdesk.domain.analytics.config import AnalyticsConfig
from actdesk.domain.analytics.segments import segment_sizes


def segments_from_facts(households: pd.DataFrame, config: AnalyticsConfig | None = None) -> pd.Series:
    """Segment label per household id (the index of ``households``; columns revenue_t12m and aum)."""
    cfg = config or AnalyticsConfig()
    keys = pd.DataFrame(
        {"revenue": households["revenue_t12m"].to_numpy(), "aum": households["aum"].to_numpy()},
        index=pd.Index(households.index.to_numpy(), name="id"),
    )
    ranked = keys.sort_values(["revenue", "aum", "id"], ascending=[False, False, True])
    a, b = segment_sizes(len(ranked), cfg)
    labels = ["A"] * a + ["B"] * b + ["C"] * (len(ranked) - a - b)
    return pd.Series(labels, index=ranked.index, dtype=object).reindex(households.index)
