"""What the alert rules take from the analytics engine (issue 3): A/B/C segments and retention probabilities.

Kept apart so the rules use the very numbers the dashboard shows; the analytics read their own frames.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from datetime import date

import pandas as pd
from sqlalchemy.orm import Session

from actdesk.domain.analytics.config import AnalyticsConfig
from actdesk.domain.analytics.survival import RetentionProbability

log = logging.getLogger(__name__)


@dataclass
class AnalyticsInputs:
    segments: dict[int, str] = field(default_factory=dict)
    probabilities: dict[int, RetentionProbability] = field(default_factory=dict)


def analytics_inputs(
    s: Session, as_of: date, households: pd.DataFrame, config: AnalyticsConfig | None = None
) -> AnalyticsInputs:
    from actdesk.domain.analytics.segments import assign_segments
    from actdesk.domain.analytics.survival import retention_probabilities
    from actdesk.storage.analytics_data import load_book_frames

    config = config or AnalyticsConfig()
    if households.empty:
        return AnalyticsInputs()
    frames = load_book_frames(s, as_of, months=25)
    segments = assign_segments(frames, as_of, config)
    try:
        probabilities = retention_probabilities(frames, as_of, config)
    except Exception:  # a model that cannot be fitted must not silence the other nine rules
        log.warning("retention probabilities unavailable; that rule is skipped this time", exc_info=True)
        probabilities = {}
    return AnalyticsInputs(segments=segments, probabilities=probabilities)
