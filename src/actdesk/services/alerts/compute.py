"""The heavy half of an evaluation: read the facts, run the rules, compute the retention probabilities.

Everything here only READS the book, so it can run in another process (``compute_findings``, the picklable
entry point the window's child process runs) or in the caller's thread (``compute``, used by the CLI and as
the fallback). Both are one code path: ``compute_findings`` opens its own read-only connection and calls
``compute``. The short half (merge into the stored alerts, one write transaction) is ``evaluation.py``.

Why a process: fitting the retention model (numpy) holds the GIL for hundreds of milliseconds at a time, so
a thread alone cannot keep the window's event loop ticking every 50 ms on a large book. The facts and the
rules themselves are plain Python (no pandas or numpy: issue 21); with the probabilities kept in the book,
``actdesk alerts`` imports neither.
"""

from __future__ import annotations

import math
import time as clock
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from actdesk.domain.alerts import AlertSettings
from actdesk.domain.alerts.facts import BookFacts
from actdesk.domain.alerts.model import Finding, RuleKey
from actdesk.domain.alerts.rules import evaluate_rules
from actdesk.domain.alerts.segments import segments_from_facts
from actdesk.domain.analytics.config import AnalyticsConfig
from actdesk.services.alerts.analytics_inputs import AnalyticsInputs, analytics_inputs
from actdesk.storage.engine import Book, book_url, connect
from actdesk.storage.errors import BookError
from actdesk.storage.repositories import alerts as repo
from actdesk.storage.repositories.alert_facts import load_household_facts


class EvaluationCancelled(Exception):
    """The evaluation was asked to stop (the app is closing); nothing was written."""


@dataclass
class Computed:
    """What the merge needs from the heavy half; plain, picklable data (crosses the process boundary)."""

    as_of: date
    households: int
    findings: list[Finding]
    names: dict[int, str]
    probabilities: dict[int, float]  # to snapshot as the next evaluation's baseline
    timings: dict[str, float] = field(default_factory=dict)
    in_child: bool = False


def build_facts(
    book: Book,
    as_of: date,
    settings: AlertSettings,
    inputs: AnalyticsInputs | None = None,
    config: AnalyticsConfig | None = None,
    keep_answers: bool = True,
) -> tuple[BookFacts, dict[int, float]]:
    """The book's facts as of ``as_of`` and the retention probabilities to snapshot (kept in the book for the
    next run unless ``keep_answers`` is False: a dry run writes nothing)."""
    config = config or AnalyticsConfig()
    inputs = inputs or analytics_inputs(book, as_of, config, keep=keep_answers)
    with book.reader() as s:
        households = load_household_facts(s, as_of, settings)
        snapshots = repo.retention_snapshots(s)
        kept = repo.references(s, RuleKey.LOW_RETENTION_PROBABILITY)
    segments = segments_from_facts(households, config) if inputs.segments is None else inputs.segments
    # The baseline: the probability an active "falling" alert remembers, else the last evaluation's.
    baseline = {**snapshots, **kept}
    probs: dict[int, float] = {}
    for h in households:
        hid = h.household_id
        h.segment = segments.get(hid, "C")
        p = inputs.probabilities.get(hid)
        if p is not None:
            probs[hid] = h.retention_probability = p.probability
            h.retention_factors = tuple(p.factors)
        reference = baseline.get(hid)
        h.retention_reference = math.nan if reference is None else float(reference)
    facts = BookFacts(as_of=as_of, households=households)
    return facts, probs


def compute(
    book: Book,
    as_of: date,
    settings: AlertSettings,
    *,
    config: AnalyticsConfig | None = None,
    inputs: AnalyticsInputs | None = None,
    should_stop: Callable[[], bool] | None = None,
    keep_answers: bool = True,
) -> Computed:
    """Facts and rules over an open book; reads only, except that the retention probabilities the rules read
    are kept for the next run (``services/alerts/analytics_inputs.py``) unless ``keep_answers`` is False."""
    stop = should_stop or (lambda: False)
    t0 = clock.perf_counter()
    facts, probabilities = build_facts(book, as_of, settings, inputs, config, keep_answers)
    t1 = clock.perf_counter()
    if stop():
        raise EvaluationCancelled()
    findings = evaluate_rules(facts, settings)
    if stop():
        raise EvaluationCancelled()
    t2 = clock.perf_counter()
    return Computed(
        as_of=as_of,
        households=len(facts.households),
        findings=findings,
        names=facts.names(),
        probabilities=probabilities,
        timings={"facts": t1 - t0, "rules": t2 - t1},
    )


def compute_findings(
    database: str,
    as_of: date,
    settings_dict: dict[str, Any],
    key: str | None = None,
    analytics_dict: dict[str, Any] | None = None,
) -> Computed:
    """The child process's entry point: open ``database`` (a path or URL text) READ-ONLY, compute, close.

    No writer lock and no migration: the window process holds the lock and writes. SQLite's WAL lets this
    connection read the last committed state while the window writes. An encrypted book needs its ``key``;
    a server book's password comes from the keyring here as it does in the window.
    """
    url = book_url(database)
    if url.get_backend_name() == "sqlite" and url.database and not Path(url.database).exists():
        raise BookError(
            f"The book {Path(url.database).name} is no longer at {Path(url.database).parent}; "
            "alerts were not checked. Reopen the book from where it is now."
        )
    book = connect(url, read_only=True, key=key)
    try:
        settings = AlertSettings(**settings_dict)
        config = AnalyticsConfig(**(analytics_dict or {}))
        computed = compute(book, as_of, settings, config=config)
    finally:
        book.dispose()
    computed.in_child = True
    return computed


def child_arguments(
    book: Book, as_of: date, settings: AlertSettings, config: AnalyticsConfig
) -> tuple[Any, ...] | None:
    """``compute_findings``'s arguments for ``book``, or None when another process cannot open it."""
    target = book_target(book)
    if target is None:
        return None
    return (target, as_of, asdict(settings), book.key, asdict(config))


def book_target(book: Book) -> str | None:
    """What another process opens ``book`` by (its path, or its server URL), None for an in-memory book."""
    if book.is_sqlite:
        return None if book.path is None else str(book.path)
    return book.url.render_as_string(hide_password=False)
