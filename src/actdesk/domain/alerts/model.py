"""The vocabulary of alerts: rule keys, severities, states, a finding and the rule protocol.

A *finding* is what one rule says about one household at one evaluation; an *alert* is the stored,
long-lived record a finding opens or refreshes (see ``lifecycle``). Rules never see stored alerts: they
are pure functions of the book's facts and the thresholds.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from enum import StrEnum
from typing import TYPE_CHECKING, Protocol

from actdesk.i18n import N_

if TYPE_CHECKING:
    from actdesk.domain.alerts.facts import BookFacts
    from actdesk.domain.alerts.settings import AlertSettings


class RuleKey(StrEnum):
    SILENT_EROSION = "silent_erosion"
    LARGE_WITHDRAWAL = "large_withdrawal"
    CONTACT_GAP = "contact_gap"
    REVIEW_OVERDUE = "review_overdue"
    REVENUE_DECLINE = "revenue_decline"
    LOW_RETENTION_PROBABILITY = "low_retention_probability"
    RELATIONSHIP_GAP = "relationship_gap"
    LIFE_EVENT = "life_event"
    HELD_AWAY_ASSETS = "held_away_assets"
    AGE_MILESTONE = "age_milestone"
    WELCOME_BACK = "welcome_back"


RULE_TITLES: dict[RuleKey, str] = {
    RuleKey.SILENT_EROSION: N_("Silent erosion"),
    RuleKey.LARGE_WITHDRAWAL: N_("Large withdrawal"),
    RuleKey.CONTACT_GAP: N_("Contact gap"),
    RuleKey.REVIEW_OVERDUE: N_("Review overdue"),
    RuleKey.REVENUE_DECLINE: N_("Revenue decline"),
    RuleKey.LOW_RETENTION_PROBABILITY: N_("Retention at risk"),
    RuleKey.RELATIONSHIP_GAP: N_("Relationship gap"),
    RuleKey.LIFE_EVENT: N_("Life event"),
    RuleKey.HELD_AWAY_ASSETS: N_("Held-away assets"),
    RuleKey.AGE_MILESTONE: N_("Age milestone"),
    RuleKey.WELCOME_BACK: N_("Welcome back"),
}

# Risk rules protect the book; growth rules point at money to win. The panel groups by this.
GROWTH_RULES = frozenset({RuleKey.LIFE_EVENT, RuleKey.HELD_AWAY_ASSETS, RuleKey.AGE_MILESTONE})


class Severity(StrEnum):
    HIGH = "high"
    MEDIUM = "medium"
    LOW = "low"

    @property
    def rank(self) -> int:
        return {"low": 1, "medium": 2, "high": 3}[self.value]


SEVERITY_TITLES: dict[Severity, str] = {
    Severity.HIGH: N_("High"),
    Severity.MEDIUM: N_("Medium"),
    Severity.LOW: N_("Low"),
}


class AlertState(StrEnum):
    NEW = "new"
    SEEN = "seen"
    SNOOZED = "snoozed"
    DISMISSED = "dismissed"
    RESOLVED = "resolved"

    @property
    def is_active(self) -> bool:
        """Active alerts are the ones a re-evaluation refreshes; resolved ones are history."""
        return self is not AlertState.RESOLVED

    @property
    def is_open(self) -> bool:
        """Open alerts still ask for the advisor's attention (dismissed and resolved ones do not)."""
        return self in (AlertState.NEW, AlertState.SEEN, AlertState.SNOOZED)


STATE_TITLES: dict[AlertState, str] = {
    AlertState.NEW: N_("New"),
    AlertState.SEEN: N_("Seen"),
    AlertState.SNOOZED: N_("Snoozed"),
    AlertState.DISMISSED: N_("Dismissed"),
    AlertState.RESOLVED: N_("Resolved"),
}


def alert_key(household_id: int, rule: RuleKey | str) -> str:
    """One alert per household and rule: the de-duplication key."""
    return f"{RuleKey(rule).value}:{household_id}"


@dataclass(frozen=True, slots=True)
class Finding:
    """One rule firing for one household.

    ``magnitude`` grows as the condition gets worse (a share, a ratio of cadences, a date ordinal for
    "a newer event"); with the rule's ``worsen_step`` it decides whether a dismissed alert comes back.
    ``reference`` is a baseline the rule wants remembered while the alert is active (the retention
    probability before a fall), so that the condition does not clear merely because time passed.
    """

    household_id: int
    rule: RuleKey
    severity: Severity
    explanation: str
    magnitude: float
    reference: float | None = None

    @property
    def key(self) -> str:
        return alert_key(self.household_id, self.rule)


@dataclass(slots=True)
class Alert:
    """A stored alert as the domain sees it (storage maps it to the ``alerts`` table)."""

    household_id: int
    rule: RuleKey
    severity: Severity
    state: AlertState
    explanation: str
    magnitude: float
    created_at: datetime
    updated_at: datetime
    last_seen_at: datetime
    key: str = ""
    reference: float | None = None
    acknowledged_magnitude: float | None = None
    acknowledged_severity: Severity | None = None
    snoozed_until: date | None = None
    dismissed_reason: str | None = None
    resolved_at: datetime | None = None
    household_name: str = ""
    id: int | None = None

    def __post_init__(self) -> None:
        if not self.key:
            self.key = alert_key(self.household_id, self.rule)


class AlertRule(Protocol):
    """A family of conditions over the whole book, evaluated in one pass over its households."""

    key: RuleKey
    worsen_step: float

    def evaluate(self, facts: BookFacts, settings: AlertSettings) -> list[Finding]: ...
