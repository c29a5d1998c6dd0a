"""One evaluation of the alert rules over a book: read the facts, run the rules, merge, write once.

Reads with its own session, so it can run on any thread; writes everything (alerts, retention snapshots,
the run record) in ONE transaction, re-reading the active alerts inside it so that an advisor's dismissal
made while the rules ran is never overwritten.
"""

from __future__ import annotations

import logging
import time as clock
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

import pandas as pd

from actdesk.domain.alerts import WORSEN_STEPS, AlertSettings, BookFacts, evaluate_rules
from actdesk.domain.alerts.lifecycle import MergeResult, merge_evaluation
from actdesk.domain.alerts.model import Alert, AlertState, Finding, RuleKey
from actdesk.domain.alerts.segments import segments_from_facts
from actdesk.domain.analytics.config import AnalyticsConfig
from actdesk.services.alerts.analytics_inputs import AnalyticsInputs, analytics_inputs
from actdesk.storage.dialect import write_lock
from actdesk.storage.engine import Book
from actdesk.storage.repositories import alerts as repo
from actdesk.storage.repositories.alert_facts import load_fact_tables

log = logging.getLogger(__name__)


class EvaluationCancelled(Exception):
    """The evaluation was asked to stop (the app is closing); nothing was written."""


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

    @property
    def alerts(self) -> list[Alert]:
        """The alerts whose condition holds now (any state but resolved), most severe first."""
        return sorted(self.merge.current, key=lambda a: (-a.severity.rank, a.rule.value, a.household_id))

    @property
    def fresh_high(self) -> list[Alert]:
        return [a for a in self.merge.fresh if a.severity.value == "high"]


def build_facts(
    book: Book,
    as_of: date,
    settings: AlertSettings,
    inputs: AnalyticsInputs | None = None,
    config: AnalyticsConfig | None = None,
) -> tuple[BookFacts, dict[int, float]]:
    """The book's facts as of ``as_of`` and the retention probabilities to snapshot."""
    config = config or AnalyticsConfig()
    inputs = inputs or analytics_inputs(book, as_of, config)
    with book.reader() as s:
        tables = load_fact_tables(s, as_of, settings)
        h = tables["households"]
        snapshots = repo.retention_snapshots(s)
        kept = repo.references(s, RuleKey.LOW_RETENTION_PROBABILITY)
    if inputs.segments is None:
        h["segment"] = segments_from_facts(h, config)
    else:
        h["segment"] = pd.Series(inputs.segments, dtype=object).reindex(h.index).fillna("C")
    probs = {hid: p.probability for hid, p in inputs.probabilities.items() if hid in h.index}
    h["retention_probability"] = pd.Series(probs, dtype=float).reindex(h.index)
    h["retention_factors"] = pd.Series(
        {hid: tuple(p.factors) for hid, p in inputs.probabilities.items() if hid in h.index}, dtype=object
    ).reindex(h.index)
    h["retention_factors"] = h["retention_factors"].map(lambda v: v if isinstance(v, tuple) else ())
    # The baseline: the probability an active "falling" alert remembers, else the last evaluation's.
    baseline = {**snapshots, **kept}
    h["retention_reference"] = pd.Series(baseline, dtype=float).reindex(h.index)
    facts = BookFacts(
        as_of=as_of,
        households=h,
        outflows=tables["outflows"],
        members=tables["members"],
        life_events=tables["life_events"],
    )
    return facts, probs


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
    """Evaluate every rule as of ``as_of``; with ``persist`` merge into the stored alerts in one transaction."""
    settings = settings or AlertSettings()
    stop = should_stop or (lambda: False)
    timings: dict[str, float] = {}
    t0 = clock.perf_counter()
    facts, probabilities = build_facts(book, as_of, settings, inputs, config)
    timings["facts"] = clock.perf_counter() - t0
    if stop():
        raise EvaluationCancelled()
    t1 = clock.perf_counter()
    findings = evaluate_rules(facts, settings)
    timings["rules"] = clock.perf_counter() - t1
    if stop():
        raise EvaluationCancelled()
    t2 = clock.perf_counter()
    names = facts.names()
    today = as_of
    finished = now + timedelta(seconds=clock.perf_counter() - t0)
    if persist:
        with book.session() as s:
            write_lock(s, "actdesk-alert-evaluation")  # one merge at a time, reading what the last one wrote
            merge = merge_evaluation(
                findings, repo.active_alerts(s), now=now, today=today, worsen_steps=WORSEN_STEPS, names=names
            )
            repo.apply_merge(s, merge, now)
            repo.save_retention_snapshots(s, probabilities, as_of, now)
            repo.record_evaluation(
                s,
                as_of=as_of,
                started_at=now,
                finished_at=finished,
                households=len(facts.households),
                findings=len(findings),
                result=merge,
            )
            new_count = repo.count_new(s)
    else:
        with book.reader() as s:
            merge = merge_evaluation(
                findings, repo.active_alerts(s), now=now, today=today, worsen_steps=WORSEN_STEPS, names=names
            )
        new_count = sum(1 for a in merge.current if a.state is AlertState.NEW)
    for alert in merge.created:
        alert.household_name = names.get(alert.household_id, "")
    timings["write"] = clock.perf_counter() - t2
    timings["total"] = clock.perf_counter() - t0
    log.info("alerts evaluated as of %s: %d findings in %.3f s", as_of, len(findings), timings["total"])
    return EvaluationOutcome(
        as_of=as_of,
        started_at=now,
        finished_at=finished,
        households=len(facts.households),
        findings=findings,
        merge=merge,
        persisted=persist,
        new_count=new_count,
        timings=timings,
    )
