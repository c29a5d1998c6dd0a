"""What the alert rules take from the analytics engine (issue 3): the retention probabilities.

Taken through the analytics service so the rules use the very numbers the dashboard shows, and so the
retention model (the one slow part) is fitted once per book state and as-of date, not every 15 minutes.
Segments are ranked from the alert facts by the analytics' own rule (``domain.alerts.segments``).
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from datetime import date

from actdesk.domain.analytics.config import AnalyticsConfig
from actdesk.domain.analytics.survival import RetentionProbability
from actdesk.storage.engine import Book

log = logging.getLogger(__name__)


@dataclass
class AnalyticsInputs:
    probabilities: dict[int, RetentionProbability] = field(default_factory=dict)
    segments: dict[int, str] | None = None  # None: ranked from the facts


def analytics_inputs(book: Book, as_of: date, config: AnalyticsConfig) -> AnalyticsInputs:
    from actdesk.services.analytics import probabilities_for

    try:
        probabilities = probabilities_for(book, as_of, config)
    except Exception:  # a model that cannot be fitted must not silence the other nine rules
        log.warning("retention probabilities unavailable; that rule is skipped this time", exc_info=True)
        probabilities = {}
    return AnalyticsInputs(probabilities=probabilities)
