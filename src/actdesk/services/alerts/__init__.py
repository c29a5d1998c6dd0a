"""The alert evaluation as a service: one evaluation (``evaluate_book``) and its periodic runner."""

from __future__ import annotations

from actdesk.services.alerts.actions import dismiss_alert, mark_seen, snooze_alert
from actdesk.services.alerts.engine import AlertEngine
from actdesk.services.alerts.evaluation import EvaluationCancelled, EvaluationOutcome, evaluate_book

__all__ = [
    "AlertEngine",
    "EvaluationCancelled",
    "EvaluationOutcome",
    "dismiss_alert",
    "evaluate_book",
    "mark_seen",
    "snooze_alert",
]
