"""A household's retention probability as the rest of the app reads it, and the names of the methods.

Apart from the model (``survival``, ``backtest``) so that a reader of kept probabilities (the alert rules'
inputs, a dashboard) does not import numpy and the fitting code to hold one (issue 21).
"""

from __future__ import annotations

from dataclasses import dataclass, field

MODEL = "landmark"
SIGNAL = "signal"
BASE_RATE = "base_rate"


@dataclass(frozen=True)
class RetentionProbability:
    household_id: int
    probability: float  # of still being a client 12 months after the as-of date, strictly inside (0, 1)
    factors: list[str] = field(default_factory=list)  # reasons in words with figures, strongest first
    model: str = BASE_RATE  # "landmark", "signal" (one simple signal) or "base_rate"
    low: float | None = None  # 95% band of the probability
    high: float | None = None
    departures: int = 0  # departures in the history the estimate rests on
    track_record: str = ""  # one line: how the method did out of time (the same for every household)
