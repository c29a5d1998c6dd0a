"""The life of a stored alert, as pure functions: merging an evaluation into stored alerts, user actions.

States: new -> seen -> (snoozed | dismissed) and, when the condition clears, resolved. The rules:
- one active (not resolved) alert per household and rule: a re-evaluation refreshes it, never duplicates it;
- a snoozed alert comes back as new on its date, or earlier if the condition got worse;
- a seen or dismissed alert comes back as new only if the condition got worse than when the advisor last
  acted on it: severity rose, or the magnitude grew by the rule's ``worsen_step`` (see docs/alerts.md);
- an active alert whose condition no longer holds is resolved; a later recurrence opens a fresh alert.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime

from actdesk.domain.alerts.model import Alert, AlertState, Finding, RuleKey
from actdesk.i18n import _

EPS = 1e-9


@dataclass
class MergeResult:
    created: list[Alert] = field(default_factory=list)  # new rows
    updated: list[Alert] = field(default_factory=list)  # existing rows, refreshed (state may have changed)
    resolved: list[Alert] = field(default_factory=list)  # existing rows whose condition cleared
    reopened: list[Alert] = field(default_factory=list)  # subset of updated that became new again
    changed: list[Alert] = field(default_factory=list)  # subset of updated with anything but last_seen_at new

    @property
    def fresh(self) -> list[Alert]:
        """Alerts the advisor has not seen yet that this evaluation raised: created or reopened."""
        return [*self.created, *self.reopened]

    @property
    def current(self) -> list[Alert]:
        return [*self.created, *self.updated]


def got_worse(alert: Alert, finding: Finding, step: float) -> bool:
    """Worse than when the advisor last acted on it (or than last time, when the advisor has not acted)."""
    base_severity = alert.acknowledged_severity or alert.severity
    base_magnitude = (
        alert.acknowledged_magnitude if alert.acknowledged_magnitude is not None else alert.magnitude
    )
    return finding.severity.rank > base_severity.rank or finding.magnitude >= base_magnitude + step - EPS


def merge_evaluation(
    findings: Iterable[Finding],
    active: Iterable[Alert],
    *,
    now: datetime,
    today: date,
    worsen_steps: Mapping[RuleKey, float],
    names: Mapping[int, str] | None = None,
) -> MergeResult:
    """Fold one evaluation's findings into the active alerts. Mutates and returns the affected alerts."""
    result = MergeResult()
    by_key: dict[str, Alert] = {}
    for alert in sorted(active, key=lambda a: (a.created_at, a.id or 0)):
        if alert.key in by_key:  # a duplicate left by an older version: keep the newest, resolve the rest
            _resolve(by_key[alert.key], now)
            result.resolved.append(by_key[alert.key])
        by_key[alert.key] = alert
    seen_keys: set[str] = set()
    for finding in findings:
        if finding.key in seen_keys:
            continue
        seen_keys.add(finding.key)
        existing = by_key.get(finding.key)
        if existing is None:
            result.created.append(
                Alert(
                    household_id=finding.household_id,
                    rule=finding.rule,
                    severity=finding.severity,
                    state=AlertState.NEW,
                    explanation=finding.explanation,
                    magnitude=finding.magnitude,
                    reference=finding.reference,
                    created_at=now,
                    updated_at=now,
                    last_seen_at=now,
                    household_name=(names or {}).get(finding.household_id, ""),
                )
            )
            continue
        alert = existing
        worse = got_worse(alert, finding, worsen_steps.get(finding.rule, 0.0))
        wake = (
            alert.state is AlertState.SNOOZED
            and alert.snoozed_until is not None
            and today >= alert.snoozed_until
        )
        if alert.state in (AlertState.SEEN, AlertState.SNOOZED, AlertState.DISMISSED) and (worse or wake):
            alert.state = AlertState.NEW
            alert.snoozed_until = None
            alert.dismissed_reason = None
            alert.acknowledged_magnitude = None
            alert.acknowledged_severity = None
            alert.updated_at = now
            result.reopened.append(alert)
        if (alert.explanation, alert.severity, alert.magnitude, alert.reference) != (
            finding.explanation,
            finding.severity,
            finding.magnitude,
            finding.reference,
        ):
            alert.updated_at = now
        alert.explanation = finding.explanation
        alert.severity = finding.severity
        alert.magnitude = finding.magnitude
        alert.reference = finding.reference
        alert.last_seen_at = now
        result.updated.append(alert)
        if alert.updated_at == now:
            result.changed.append(alert)
    for key, alert in by_key.items():
        if key not in seen_keys:
            _resolve(alert, now)
            result.resolved.append(alert)
    return result


def _resolve(alert: Alert, now: datetime) -> None:
    alert.state = AlertState.RESOLVED
    alert.resolved_at = now
    alert.updated_at = now


class ActionError(ValueError):
    """An advisor's action that cannot apply (e.g. dismiss without a reason); the message is shown as is."""


def _acknowledge(alert: Alert, now: datetime) -> None:
    if alert.state is AlertState.RESOLVED:
        raise ActionError(_("This alert is already resolved: its condition no longer holds."))
    alert.acknowledged_magnitude = alert.magnitude
    alert.acknowledged_severity = alert.severity
    alert.updated_at = now


def mark_seen(alert: Alert, now: datetime) -> None:
    """Seen: off the badge; it stays listed and comes back as new only if it gets worse."""
    _acknowledge(alert, now)
    if alert.state is AlertState.NEW:
        alert.state = AlertState.SEEN


def snooze(alert: Alert, until: date, now: datetime, today: date) -> None:
    if until <= today:
        raise ActionError(_("Choose a date after today to snooze until."))
    _acknowledge(alert, now)
    alert.state = AlertState.SNOOZED
    alert.snoozed_until = until


def dismiss(alert: Alert, reason: str, now: datetime) -> None:
    text = reason.strip()
    if not text:
        raise ActionError(
            _('Say why the alert is dismissed (for example: "moved money to pay for a house").')
        )
    _acknowledge(alert, now)
    alert.state = AlertState.DISMISSED
    alert.dismissed_reason = text
    alert.snoozed_until = None
