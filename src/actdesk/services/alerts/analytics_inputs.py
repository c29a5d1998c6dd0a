"""What the alert rules take from the analytics engine (issue 3): the retention probabilities.

Taken through the analytics service so the rules use the very numbers the dashboard shows, and so the
retention model (the one slow part) is fitted once per book state and as-of date, not every 15 minutes.
Segments are ranked from the alert facts by the analytics' own rule (``domain.alerts.segments``).

The probabilities are kept in the book between runs (issue 21) like ``probabilities --json``'s answer
(``services/answers.py``): keyed by the as-of date, the analytics settings, the language of the reasons and
actdesk's version, and used only while the book's fingerprint is the one they were computed from. An
evaluation's own writes (alerts, retention snapshots, the run record) are not part of that fingerprint, so
a repeated ``alerts`` on an unchanged book reads them instead of loading the history and scoring.
"""

from __future__ import annotations

import json
import logging
from dataclasses import asdict, dataclass, field
from datetime import date
from typing import Any

from actdesk.domain.analytics.config import AnalyticsConfig
from actdesk.domain.analytics.probability import RetentionProbability
from actdesk.services import answers
from actdesk.storage.engine import Book

log = logging.getLogger(__name__)

ANSWER = "alert-probabilities"  # the kept answer's command part (services/answers.py)


@dataclass
class AnalyticsInputs:
    probabilities: dict[int, RetentionProbability] = field(default_factory=dict)
    segments: dict[int, str] | None = None  # None: ranked from the facts


def analytics_inputs(
    book: Book, as_of: date, config: AnalyticsConfig, *, keep: bool = True
) -> AnalyticsInputs:
    """The probabilities the retention-risk rule may act on: only those that tell households apart.
    When the backtest found no skill (every client gets the book's base rate), the rule has nothing
    household-specific to say, so it gets no probabilities rather than one number for everybody. With
    ``keep`` False (a dry run) a kept answer is still read but nothing is written."""
    text, slot = answers.find(book, ANSWER, as_of, config)
    if text is not None:
        try:
            reused = decode(text)
        except (KeyError, TypeError, ValueError):  # kept by a build whose probabilities had other fields
            log.info("kept retention probabilities unreadable; computed again", exc_info=True)
        else:
            log.info("retention probabilities as of %s: kept answer of this book state reused", as_of)
            return reused
    inputs = fresh_inputs(book, as_of, config)
    if inputs is not None and keep:
        answers.keep(book, slot, encode(inputs))
    return inputs or AnalyticsInputs()


def fresh_inputs(book: Book, as_of: date, config: AnalyticsConfig) -> AnalyticsInputs | None:
    """Computed now; None when the model cannot be fitted (nothing to keep: the next run tries again)."""
    from actdesk.services.analytics import assessment_for

    try:
        assessment = assessment_for(book, as_of, config)
    except Exception:  # a model that cannot be fitted must not silence the other nine rules
        log.warning("retention probabilities unavailable; that rule is skipped this time", exc_info=True)
        return None
    if assessment.method == "base_rate":
        log.info("retention rule skipped: no method beat the base rate out of time (%s)", assessment.method)
        return AnalyticsInputs()
    return AnalyticsInputs(probabilities=assessment.probabilities)


def encode(inputs: AnalyticsInputs) -> str:
    """The probabilities as JSON text (floats written exactly: ``json`` round-trips every float)."""
    rows = [asdict(p) for p in inputs.probabilities.values()]
    return json.dumps({"probabilities": rows, "segments": inputs.segments})


def decode(text: str) -> AnalyticsInputs:
    data: dict[str, Any] = json.loads(text)
    probabilities = {int(row["household_id"]): RetentionProbability(**row) for row in data["probabilities"]}
    segments = data["segments"]
    return AnalyticsInputs(
        probabilities=probabilities,
        segments=None if segments is None else {int(h): str(s) for h, s in segments.items()},
    )
