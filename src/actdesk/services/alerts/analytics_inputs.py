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
    """The probabilities the retention-risk rule may act on: only those that tell households apart.
    When the backtest found no skill (every client gets the book's base rate), the rule has nothing
    household-specific to say, so it gets no probabilities rather than one number for everybody."""
    from actdesk.services.analytics import assessment_for

    try:
        assessment = assessment_for(book, as_of, config)
    except Exception:  # a model that cannot be fitted must not silence the other nine rules
        log.warning("retention probabilities unavailable; that rule is skipped this time", exc_info=True)
        return AnalyticsInputs()
    if assessment.method == "base_rate":
        log.info("retention rule skipped: no method beat the base rate out of time (%s)", assessment.method)
        return AnalyticsInputs()
    return AnalyticsInputs(probabilities=assessment.probabilities)
