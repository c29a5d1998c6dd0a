"""Retention and growth alerts (issue 4): pure rules over the book's facts, and the alerts' lifecycle.

``evaluate_rules(facts, settings)`` runs every rule; ``lifecycle.merge_evaluation`` folds the findings into
the stored alerts. Nothing here reads the database or the clock. See docs/alerts.md.

The vocabulary (``model``, ``settings``) is imported eagerly; the facts and the rules (plain Python since
issue 21) only when one of their names is first used (PEP 562), so that the command line's ``--help``, the
alert commands that only list or change stored alerts, and the window's start-up do not load them.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

from actdesk.domain.alerts.model import (
    Alert,
    AlertRule,
    AlertState,
    Finding,
    RuleKey,
    Severity,
    alert_key,
)
from actdesk.domain.alerts.settings import AlertSettings

if TYPE_CHECKING:
    from actdesk.domain.alerts.facts import (
        BookFacts,
        HouseholdFacts,
        LifeEventFacts,
        MemberFacts,
        OutflowFacts,
    )
    from actdesk.domain.alerts.growth import AgeMilestone, HeldAwayAssets, LifeEventSignal
    from actdesk.domain.alerts.relationship import RelationshipGap
    from actdesk.domain.alerts.risk import LargeWithdrawal, RetentionRisk, RevenueDecline, SilentErosion
    from actdesk.domain.alerts.rules import RULES, WORSEN_STEPS, evaluate_rules
    from actdesk.domain.alerts.service import ContactGap, ReviewOverdue

_LAZY: dict[str, str] = {
    **dict.fromkeys(
        ("BookFacts", "HouseholdFacts", "LifeEventFacts", "MemberFacts", "OutflowFacts"), "facts"
    ),
    **dict.fromkeys(("AgeMilestone", "HeldAwayAssets", "LifeEventSignal"), "growth"),
    "RelationshipGap": "relationship",
    **dict.fromkeys(("LargeWithdrawal", "RetentionRisk", "RevenueDecline", "SilentErosion"), "risk"),
    **dict.fromkeys(("ContactGap", "ReviewOverdue"), "service"),
    **dict.fromkeys(("RULES", "WORSEN_STEPS", "evaluate_rules"), "rules"),
}


def __getattr__(name: str) -> Any:
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(f"{__name__}.{module}"), name)
    globals()[name] = value
    return value


__all__ = [
    "RULES",
    "WORSEN_STEPS",
    "AgeMilestone",
    "Alert",
    "AlertRule",
    "AlertSettings",
    "AlertState",
    "BookFacts",
    "ContactGap",
    "Finding",
    "HeldAwayAssets",
    "HouseholdFacts",
    "LargeWithdrawal",
    "LifeEventFacts",
    "LifeEventSignal",
    "MemberFacts",
    "OutflowFacts",
    "RelationshipGap",
    "RetentionRisk",
    "RevenueDecline",
    "ReviewOverdue",
    "RuleKey",
    "Severity",
    "SilentErosion",
    "alert_key",
    "evaluate_rules",
]
