"""One household's retention outlook for the card and the dashboard: probability, band, top reason and the
model's track record, Qt-free. The model runs in the app's child process when one is given."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

from actdesk.domain.analytics.config import AnalyticsConfig
from actdesk.domain.analytics.survival import Assessment
from actdesk.domain.analytics.track_record import probability_note, track_record_line
from actdesk.services.alerts.child import ChildProcess
from actdesk.storage.engine import Book


@dataclass(frozen=True)
class RetentionOutlook:
    household_id: int
    probability: float  # of still being a client in 12 months, strictly between 0 and 1
    low: float | None  # 95% band
    high: float | None
    top_reason: str | None  # the strongest factor raising the risk, in words with its figure
    reasons: list[str]
    method: str  # "landmark" (the model), "signal" (one simple signal) or "base_rate"
    departures: int  # departures in the book's history the estimate rests on
    note: str  # "95% band 91.2%-97.0%, based on 212 departures"
    track_record: str  # one line: how the method did out of time and against what


def outlooks_of(assessment: Assessment) -> dict[int, RetentionOutlook]:
    line = track_record_line(assessment)
    return {
        hid: RetentionOutlook(
            hid,
            p.probability,
            p.low,
            p.high,
            p.factors[0] if p.factors else None,
            list(p.factors),
            p.model,
            p.departures,
            probability_note(p),
            line,
        )
        for hid, p in assessment.probabilities.items()
    }


def retention_outlooks(
    book: Book,
    as_of: date,
    config: AnalyticsConfig | None = None,
    child: ChildProcess | None = None,
    *,
    should_stop: Callable[[], bool] = lambda: False,
    allow_stale: bool = True,
) -> dict[int, RetentionOutlook]:
    """Every current client household's outlook on ``as_of`` (the dashboard's NPV tile and list). By
    default a model kept from an earlier state of the book may answer at once; its track record then
    says when it was fitted (see ``analytics.assessment_for``)."""
    from actdesk.services.analytics import analytics_config
    from actdesk.services.analytics_child import model_assessment

    cfg = config or analytics_config()
    return outlooks_of(
        model_assessment(book, as_of, cfg, child, should_stop=should_stop, allow_stale=allow_stale)
    )


def retention_outlook(
    book: Book,
    household_id: int,
    as_of: date,
    config: AnalyticsConfig | None = None,
    child: ChildProcess | None = None,
    *,
    should_stop: Callable[[], bool] = lambda: False,
    allow_stale: bool = True,
) -> RetentionOutlook | None:
    """One household's outlook (None when it is not a client on ``as_of``)."""
    return retention_outlooks(
        book, as_of, config, child, should_stop=should_stop, allow_stale=allow_stale
    ).get(household_id)
