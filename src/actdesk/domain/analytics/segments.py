"""A/B/C segmentation by trailing-12-month revenue, the mix at two dates and who moved."""

from __future__ import annotations

from datetime import date

from actdesk.domain.analytics.config import AnalyticsConfig
from actdesk.domain.analytics.frames import BookFrames


def assign_segments(frames: BookFrames, as_of: date, config: AnalyticsConfig) -> dict[int, str]:
    """Client households on ``as_of`` ranked by T12M revenue (ties: AUM, then id): A = top 20% rounded
    up, B = the next 30%, C = the rest (shares from ``config``)."""
    raise NotImplementedError
