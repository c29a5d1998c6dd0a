"""Retention probability per client household: a penalised Cox model fitted on the book's own history.

One row per household that was ever a client: duration = months as a client up to leaving or the as-of
date, event = it left. Covariates are measured at each household's observation time. The probability of
still being a client 12 months after D is S(t + 12) / S(t), t being the household's tenure at D. With too
few departures to fit, or when the fit fails, every household gets the documented base rate.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from actdesk.domain.analytics.config import AnalyticsConfig
from actdesk.domain.analytics.frames import BookFrames


@dataclass(frozen=True)
class RetentionProbability:
    household_id: int
    probability: float  # of still being a client 12 months after the as-of date, 0-1
    factors: list[str] = field(default_factory=list)  # in words with numbers, strongest first
    model: str = "cox"  # "cox" or "base_rate"


def retention_probabilities(
    frames: BookFrames, as_of: date, config: AnalyticsConfig
) -> dict[int, RetentionProbability]:
    """Probability per current client household (keyed by household id); empty for an empty book."""
    raise NotImplementedError
