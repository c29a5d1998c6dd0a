"""The rule set and the one function that runs it over a whole book.

Kept apart from the package's ``__init__`` so that importing the alert vocabulary (``model``, ``settings``)
does not load every rule. The rules are plain loops over ``HouseholdFacts`` (no pandas: issue 21).
"""

from __future__ import annotations

from actdesk.domain.alerts.facts import BookFacts
from actdesk.domain.alerts.growth import AgeMilestone, HeldAwayAssets, LifeEventSignal
from actdesk.domain.alerts.model import AlertRule, Finding, RuleKey
from actdesk.domain.alerts.relationship import RelationshipGap, WelcomeBack
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
    WelcomeBack(),
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
