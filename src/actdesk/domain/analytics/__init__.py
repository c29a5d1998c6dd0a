"""Book-of-business analytics (issue 3): pure functions over ``BookFrames``. See docs/metrics.md."""

from __future__ import annotations

from actdesk.domain.analytics.config import AnalyticsConfig
from actdesk.domain.analytics.frames import BookFrames

__all__ = ["AnalyticsConfig", "BookFrames"]
