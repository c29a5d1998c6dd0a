"""A/B/C segments from the alert facts, by the analytics' rule (issue 3), without loading the analytics frames.

The watcher runs every 15 minutes; ranking the households it already has in memory costs a millisecond,
while loading the analytics frames costs seconds on a large book. The rule and the sizes are the
analytics' own (``segment_sizes``): ranked by trailing-12-month revenue, ties by AUM, then id; A = top 20%
rounded up, B = the next 30%, C = the rest. A test checks both agree on a book.
"""

from __future__ import annotations

import math
from collections.abc import Iterable

from actdesk.domain.alerts.facts import HouseholdFacts
from actdesk.domain.analytics.config import AnalyticsConfig
from actdesk.domain.analytics.segment_sizes import segment_sizes


def _descending(value: float) -> tuple[bool, float]:
    """A sort key putting larger numbers first and unknown (NaN) ones last."""
    return (True, 0.0) if math.isnan(value) else (False, -value)


def segments_from_facts(
    households: Iterable[HouseholdFacts], config: AnalyticsConfig | None = None
) -> dict[int, str]:
    """Segment label per household id (from each household's ``revenue_t12m`` and ``aum``)."""
    cfg = config or AnalyticsConfig()
    ranked = sorted(
        households, key=lambda h: (_descending(h.revenue_t12m), _descending(h.aum), h.household_id)
    )
    a, b = segment_sizes(len(ranked), cfg)
    return {h.household_id: "A" if i < a else "B" if i < a + b else "C" for i, h in enumerate(ranked)}
