"""The retention model fitted in the long-lived child process instead of the window's.

Fitting the model and its backtest loads every household's monthly history and fits a few dozen
regressions; in the window's process that weighs on memory and competes with the event loop for Python's
lock. The alert evaluation already fits the model in its child process every time the book
changes, and the child keeps the result cached per book state and as-of date, so asking the same child
usually costs a cache lookup. Without a child (an in-memory book, no process could start) the model is
fitted here, as before.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import asdict
from datetime import date
from typing import TYPE_CHECKING, Any

from actdesk.domain.analytics.config import AnalyticsConfig
from actdesk.domain.analytics.survival import Assessment, RetentionProbability
from actdesk.services.alerts.child import ChildProcess, ChildUnavailable
from actdesk.services.alerts.compute import book_target
from actdesk.storage.engine import Book, book_url, connect

if TYPE_CHECKING:
    from actdesk.services.dashboard.book import BookDashboard

log = logging.getLogger(__name__)


def assessment_in_process(
    database: str,
    as_of: date,
    key: str | None,
    analytics_dict: dict[str, Any],
    allow_stale: bool = False,
) -> Assessment:
    """The child's entry point: the (cached) assessment, probabilities with their backtest."""
    from actdesk.services.analytics import assessment_for

    book = connect(book_url(database), read_only=True, key=key)
    try:
        return assessment_for(book, as_of, AnalyticsConfig(**analytics_dict), allow_stale=allow_stale)
    finally:
        book.dispose()


def model_probabilities(
    book: Book,
    as_of: date,
    config: AnalyticsConfig,
    child: ChildProcess | None,
    *,
    should_stop: Callable[[], bool] = lambda: False,
    allow_stale: bool = True,
) -> dict[int, RetentionProbability]:
    """Retention probability per current client household, from ``child`` when it can run there; for the
    window, so by default a kept model of an earlier book state may answer (labelled with its date)."""
    return model_assessment(
        book, as_of, config, child, should_stop=should_stop, allow_stale=allow_stale
    ).probabilities


def model_probabilities_later(
    book: Book,
    as_of: date,
    config: AnalyticsConfig,
    child: ChildProcess | None,
    *,
    allow_stale: bool = True,
) -> Callable[[Callable[[], bool]], dict[int, RetentionProbability]]:
    """``model_probabilities``, asked of ``child`` now and collected by calling the result (with its
    ``should_stop``): the child scores or fits on the other core while the caller gathers the rest of the
    dashboard, instead of after it (0.8 s of the settled window at 2,000 households)."""
    target = book_target(book)
    pending = None
    if child is not None and target is not None and child.available:
        try:
            pending = child.submit(
                assessment_in_process, target, as_of, book.key, asdict(config), allow_stale
            )
        except ChildUnavailable:
            pending = None

    def collect(should_stop: Callable[[], bool]) -> dict[int, RetentionProbability]:
        if pending is not None and child is not None:
            try:
                result: Assessment = child.wait(pending, should_stop=should_stop)
                return result.probabilities
            except ChildUnavailable:
                log.info("retention model fitted in this process: no child process")
        return model_probabilities(
            book, as_of, config, None, should_stop=should_stop, allow_stale=allow_stale
        )

    return collect


def model_assessment(
    book: Book,
    as_of: date,
    config: AnalyticsConfig,
    child: ChildProcess | None,
    *,
    should_stop: Callable[[], bool] = lambda: False,
    allow_stale: bool = False,
) -> Assessment:
    """The retention assessment (probabilities, backtest, method), from ``child`` when it can run there.
    ``allow_stale``: see ``analytics.assessment_for``."""
    target = book_target(book)
    if child is not None and target is not None and child.available:
        try:
            result: Assessment = child.run(
                assessment_in_process,
                target,
                as_of,
                book.key,
                asdict(config),
                allow_stale,
                should_stop=should_stop,
            )
            return result
        except ChildUnavailable:
            log.info("retention model fitted in this process: no child process")
    from actdesk.services.analytics import assessment_for

    return assessment_for(book, as_of, config, allow_stale=allow_stale)


def book_dashboard_in_process(
    database: str, as_of: date, key: str | None, analytics_dict: dict[str, Any]
) -> BookDashboard:
    """The child's entry point: the Book dashboard's frames (``dashboard.book.gather_book``), read from the
    book as it is committed now."""
    from actdesk.services.dashboard.book import gather_book

    book = connect(book_url(database), read_only=True, key=key)
    try:
        return gather_book(book, as_of, AnalyticsConfig(**analytics_dict))
    finally:
        book.dispose()


def gather_book_later(
    book: Book, as_of: date, config: AnalyticsConfig, child: ChildProcess | None
) -> Callable[[Callable[[], bool]], BookDashboard]:
    """``gather_book``, asked of ``child`` now and collected by calling the result (with its
    ``should_stop``; ``EvaluationCancelled`` when it turns true). In the window's process the frames' Python
    (SQLAlchemy, pandas) competed with the GUI thread for the interpreter's lock while the window started:
    its longest stalls (issue 21). Without a child, gathered here."""
    target = book_target(book)
    pending = None
    if child is not None and target is not None and child.available:
        try:
            pending = child.submit(book_dashboard_in_process, target, as_of, book.key, asdict(config))
        except ChildUnavailable:
            pending = None

    def collect(should_stop: Callable[[], bool]) -> BookDashboard:
        if pending is not None and child is not None:
            try:
                result: BookDashboard = child.wait(pending, should_stop=should_stop)
                return result
            except ChildUnavailable:
                log.info("dashboard gathered in this process: no child process")
        from actdesk.services.dashboard.book import gather_book

        return gather_book(book, as_of, config)

    return collect
