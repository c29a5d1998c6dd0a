"""Book-of-business analytics (issue 3): pure functions over ``BookFrames``. See docs/metrics.md.

The package itself imports nothing heavy: ``BookFrames`` (pandas) loads on first use (PEP 562), so that
the dates, the configuration, the valuation and the first tiles can be used without pandas."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from actdesk.domain.analytics.config import AnalyticsConfig

if TYPE_CHECKING:
    from actdesk.domain.analytics.frames import BookFrames

__all__ = ["AnalyticsConfig", "BookFrames"]


def __getattr__(name: str) -> Any:
    if name == "BookFrames":
        from actdesk.domain.analytics.frames import BookFrames

        return BookFrames
    raise AttributeError(name)
