"""One evaluation of the alert rules over a book: compute the findings, then merge and write once.

The heavy half (facts, rules, retention probabilities) is ``compute.py``; it reads only, so the window
runs it in a child process (``evaluate_with_child``) and the CLI in its own thread (``evaluate_book``).
The short half here writes everything (alerts, retention snapshots, the run record) in ONE transaction,
re-reading the active alerts inside it so that an advisor's dismissal made while the rules ran is never
overwritten.
"""

from __future__ import annotations

import logging
import time as clock
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import TYPE_CHECKING

from actdesk.domain.alerts import WORSEN_STEPS, AlertSettings
from actdesk.domain.alerts.lifecycle import MergeResult, merge_evaluation
from actdesk.domain.alerts.model import Alert, AlertState, Finding
from actdesk.domain.analytics.config import AnalyticsConfig
from actdesk.services.alerts.analytics_inputs import AnalyticsInputs
from actdesk.services.alerts.compute import (
    Computed,
    EvaluationCancelled,
    build_facts,
    child_arguments,
    compute,
    compute_findings,
)
from actdesk.storage.dialect import write_lock
from actdesk.storage.engine import Book
from actdesk.storage.repositories import alerts as repo

if TYPE_CHECKING:
    from actdesk.services.alerts.child import ChildProcess

log = logging.getLogger(__name__)

__all__ = ["EvaluationCancelled", "EvaluationOutcome", "build_facts", "evaluate_book", "evaluate_with_child"]


@dataclass
class EvaluationOutcome:
    as_of: date
    started_at: datetime
    finished_at: datetime
    households: int
    findings: list[Finding]
    merge: MergeResult
    persisted: bool
    new_count: int = 0
    timings: dict[str, float] = field(default_factory=dict)
    in_child: bool = False  # the heavy half ran in the child process

    @property
    def alerts(self) -> list[Alert]:
        """The alerts whose condition holds now (any state but resolved), most severe first."""
        return sorted(self.merge.current, key=lambda a: (-a.severity.rank, a.rule.value, a.household_id))

    @property
    def fresh_high(self) -> list[Alert]:
        return [a for a in self.merge.fresh if a.severity.value == "high"]


def evaluate_book(
    book: Book,
    as_of: date,
    now: datetime,
    settings: AlertSettings | None = None,
    *,
    persist: bool = True,
    should_stop: Callable[[], bool] | None = None,
    inputs: AnalyticsInputs | None = None,
    config: AnalyticsConfig | None = None,
) -> EvaluationOutcome:
    """Evaluate every rule as of ``as_of`` in this thread; with ``persist`` merge and write in one transaction."""
    t0 = clock.perf_counter()
    settings = settings or AlertSettings()
    computed = compute(
        book, as_of, settings, config=config, inputs=inputs, should_stop=should_stop, keep_answers=persist
    )
    return write_evaluation(book, computed, now, persist=persist, should_stop=should_stop, started=t0)


def evaluate_with_child(
    book: Book,
    as_of: date,
    now: datetime,
    settings: AlertSettings,
    child: ChildProcess,
    *,
    should_stop: Callable[[], bool],
    config: AnalyticsConfig | None = None,
) -> EvaluationOutcome:
    """The window's evaluation: the heavy half in ``child``, the merge and write in this thread.

    Falls back to computing in this thread when the book cannot be opened by another process (in memory)
    or no child process can run; an error raised by the computation itself is the caller's to report.
    """
    from actdesk.services.alerts.child import ChildUnavailable  # the window's path only

    t0 = clock.perf_counter()
    config = config or AnalyticsConfig()
    args = child_arguments(book, as_of, settings, config)
    computed: Computed | None = None
    if args is not None and child.available:
        try:
            computed = child.run(compute_findings, *args, should_stop=should_stop)
        except ChildUnavailable:
            computed = None  # logged by the child runner
    if computed is None:
        computed = compute(book, as_of, settings, config=config, should_stop=should_stop)
    return write_evaluation(book, computed, now, persist=True, should_stop=should_stop, started=t0)


def write_evaluation(
    book: Book,
    computed: Computed,
    now: datetime,
    *,
    persist: bool = True,
    should_stop: Callable[[], bool] | None = None,
    started: float | None = None,
) -> EvaluationOutcome:
    """Merge ``computed`` into the stored alerts; with ``persist`` write it all in one transaction."""
    if should_stop is not None and should_stop():
        raise EvaluationCancelled()
    t0 = started if started is not None else clock.perf_counter()
    t2 = clock.perf_counter()
    findings, names, as_of = computed.findings, computed.names, computed.as_of
    finished = now + timedelta(seconds=t2 - t0)
    if persist:
        with book.session() as s:
            write_lock(s, "actdesk-alert-evaluation")  # one merge at a time, reading what the last one wrote
            merge = merge_evaluation(
                findings, repo.active_alerts(s), now=now, today=as_of, worsen_steps=WORSEN_STEPS, names=names
            )
            repo.apply_merge(s, merge, now)
            repo.save_retention_snapshots(s, computed.probabilities, as_of, now)
            repo.record_evaluation(
                s,
                as_of=as_of,
                started_at=now,
                finished_at=finished,
                households=computed.households,
                findings=len(findings),
                result=merge,
            )
            new_count = repo.count_new(s)
    else:
        with book.reader() as s:
            merge = merge_evaluation(
                findings, repo.active_alerts(s), now=now, today=as_of, worsen_steps=WORSEN_STEPS, names=names
            )
        new_count = sum(1 for a in merge.current if a.state is AlertState.NEW)
    for alert in merge.created:
        alert.household_name = names.get(alert.household_id, "")
    timings = dict(computed.timings)
    timings["write"] = clock.perf_counter() - t2
    timings["total"] = clock.perf_counter() - t0
    where = "child process" if computed.in_child else "thread"
    log.info(
        "alerts evaluated as of %s (%s): %d findings in %.3f s", as_of, where, len(findings), timings["total"]
    )
    return EvaluationOutcome(
        as_of=as_of,
        started_at=now,
        finished_at=finished,
        households=computed.households,
        findings=findings,
        merge=merge,
        persisted=persist,
        new_count=new_count,
        timings=timings,
        in_child=computed.in_child,
    )
