"""How many households are in segments A and B: the one rule the analytics and the alert rules share.

Apart from ``segments`` (which ranks ``BookRecords``) so that the alert rules rank their own facts with it.
"""

from __future__ import annotations

import math

from actdesk.domain.analytics.config import AnalyticsConfig


def segment_sizes(n: int, config: AnalyticsConfig) -> tuple[int, int]:
    """How many households are A and B: the top share rounded up, then the next share (cumulative share
    rounded up, so that 10 households give 2 A, 3 B, 5 C)."""
    a = math.ceil(n * config.segment_a_share - 1e-9)
    ab = math.ceil(n * (config.segment_a_share + config.segment_b_share) - 1e-9)
    return min(a, n), min(max(ab, a), n) - min(a, n)
