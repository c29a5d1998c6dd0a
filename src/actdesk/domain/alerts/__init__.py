"""Retention and growth alerts (issue 4): pure rules over the book's facts, and the alerts' lifecycle.

``evaluate_rules(facts, settings)`` runs every rule; ``lifecycle.merge_evaluation`` folds the findings into
the stored alerts. Nothing here reads the database or the clock. See docs/alerts.md.
"""

from __future__ import annotations

from actdesk.domain.alerts.facts import BookFacts, HouseholdFacts, LifeEventFacts, MemberFacts, OutflowFacts
from actdesk.domain.alerts.growth import AgeMilestone, HeldAwayAssets, LifeEventSignal
from actdesk.domain.alerts.model import (
    Alert,
    AlertRule,
    AlertState,
    Finding,
    RuleKey,
    Severity,
    alert_key,
)
from actdesk.domain.alerts.relationship import RelationshipGap
from actdesk.domain.alerts.risk import LargeWithdrawal, RetentionRisk, RevenueDecline, SilentErosion
from actdesk.domain.alerts.service import ContactGap, ReviewOverdue
from actdesk.domain.alerts.settings import AlertSettings

RULES: tuple[AlertRule, ...] = (
    SilentErosion(),
    LargeWithdrawal(),
    ContactGap(),
    ReviewOverdue(),
    RevenueDecline(),
    RetentionRisk(),
    RelationshipGap(),
    LifeEventSignal(),
    HeldAwayAssets(),
    AgeMilestone(),
)
WORSEN_STEPS: dict[RuleKey, float] = {rule.key: rule.worsen_step for rule in RULES}


def evaluate_rules(
    facts: BookFacts, settings: AlertSettings, rules: tuple[AlertRule, ...] = RULES
) -> list[Finding]:
    """Every rule over the whole book; findings ordered by rule, then household."""
    findings: list[Finding] = []
    for rule in rules:
        findings.extend(sorted(rule.evaluate(facts, settings), key=lambda f: f.household_id))
    return findings


__all__ = [
    "RULES",
    "WORSEN_STEPS",
    "Alert",
    "AlertRule",
    "AlertSettings",
    "AlertState",
    "BookFacts",
    "Finding",
    "HouseholdFacts",
    "LifeEventFacts",
    "MemberFacts",
    "OutflowFacts",
    "RuleKey",
    "Severity",
    "alert_key",
    "evaluate_rules",
]
