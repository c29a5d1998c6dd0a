"""Stored alerts, evaluation runs and retention snapshots. Takes a session; returns domain ``Alert``s."""

from __future__ import annotations

from collections.abc import Collection
from datetime import date, datetime
from typing import Any

from sqlalchemy import delete, func, insert, select, update
from sqlalchemy.orm import Session

from actdesk.domain.alerts.lifecycle import MergeResult
from actdesk.domain.alerts.model import Alert, AlertState, RuleKey, Severity
from actdesk.i18n import _
from actdesk.storage.errors import NotFoundError
from actdesk.storage.tables.alerts import AlertEvaluationRow, AlertRow, RetentionSnapshotRow
from actdesk.storage.tables.book import HouseholdRow

T = AlertRow.__table__.c
ACTIVE = [s.value for s in AlertState if s.is_active]
FIELDS = (
    "household_id",
    "rule",
    "key",
    "severity",
    "state",
    "explanation",
    "magnitude",
    "reference",
    "acknowledged_magnitude",
    "acknowledged_severity",
    "snoozed_until",
    "dismissed_reason",
    "created_at",
    "updated_at",
    "last_seen_at",
    "resolved_at",
)


def _to_alert(row: Any, name: str | None) -> Alert:
    return Alert(
        id=row.id,
        household_id=row.household_id,
        rule=RuleKey(row.rule),
        key=row.key,
        severity=Severity(row.severity),
        state=AlertState(row.state),
        explanation=row.explanation,
        magnitude=row.magnitude,
        reference=row.reference,
        acknowledged_magnitude=row.acknowledged_magnitude,
        acknowledged_severity=Severity(row.acknowledged_severity) if row.acknowledged_severity else None,
        snoozed_until=row.snoozed_until,
        dismissed_reason=row.dismissed_reason,
        created_at=row.created_at,
        updated_at=row.updated_at,
        last_seen_at=row.last_seen_at,
        resolved_at=row.resolved_at,
        household_name=name or "",
    )


def _values(alert: Alert) -> dict[str, object]:
    values: dict[str, object] = {name: getattr(alert, name) for name in FIELDS}
    values["rule"] = alert.rule.value
    values["severity"] = alert.severity.value
    values["state"] = alert.state.value
    values["acknowledged_severity"] = (
        alert.acknowledged_severity.value if alert.acknowledged_severity else None
    )
    return values


def list_alerts(
    s: Session,
    states: Collection[AlertState] | None = None,
    rules: Collection[RuleKey] | None = None,
    household_id: int | None = None,
) -> list[Alert]:
    """Alerts with their household's name, most severe and newest first. Default: the active ones."""
    wanted = [st.value for st in states] if states is not None else ACTIVE
    # Core rows, not ORM objects: a large book has thousands of alerts and they are read every evaluation.
    q = select(*T, HouseholdRow.__table__.c.name.label("household_name")).join(
        HouseholdRow, HouseholdRow.id == T.household_id
    )
    q = q.where(T.state.in_(wanted))
    if rules is not None:
        q = q.where(T.rule.in_([r.value for r in rules]))
    if household_id is not None:
        q = q.where(T.household_id == household_id)
    alerts = [_to_alert(row, row.household_name) for row in s.execute(q)]
    alerts.sort(key=lambda a: (-a.severity.rank, -a.created_at.timestamp(), a.id or 0))
    return alerts


# What "open alerts" means everywhere they are counted or listed by default (the Alerts panel's "Open alerts",
# the dashboard's "Open alerts by rule", the card's attention strip): new and seen; snoozed ones wait.
ATTENTION_STATES = (AlertState.NEW, AlertState.SEEN)


def open_alerts_by_rule(s: Session) -> dict[str, list[int]]:
    """Household ids with an open alert, per rule (one id per alert)."""
    rows = s.execute(select(T.rule, T.household_id).where(T.state.in_([st.value for st in ATTENTION_STATES])))
    by_rule: dict[str, list[int]] = {}
    for rule, household_id in rows:
        by_rule.setdefault(str(rule), []).append(int(household_id))
    return by_rule


def open_alerts_of(s: Session, household_id: int) -> list[Alert]:
    """One household's open alerts, most severe and newest first (the card's attention strip)."""
    return list_alerts(s, states=ATTENTION_STATES, household_id=household_id)


def active_alerts(s: Session) -> list[Alert]:
    return list_alerts(s)


def get_alert(s: Session, alert_id: int) -> Alert:
    found = s.execute(
        select(AlertRow, HouseholdRow.name)
        .join(HouseholdRow, HouseholdRow.id == AlertRow.household_id)
        .where(AlertRow.id == alert_id)
    ).first()
    if found is None:
        raise NotFoundError(_("no alert with id {alert_id}").format(alert_id=alert_id))
    return _to_alert(found[0], found[1])


def save_alert(s: Session, alert: Alert) -> None:
    """Write back one alert changed by an advisor's action."""
    if alert.id is None:
        raise ValueError("save_alert needs a stored alert")
    s.execute(update(AlertRow).where(T.id == alert.id).values(**_values(alert)))


def apply_merge(s: Session, result: MergeResult, now: datetime) -> None:
    """Write an evaluation's outcome: insert the created alerts, rewrite only the changed and resolved ones,
    and stamp every other active alert as seen by this evaluation with one statement."""
    if result.created:
        rows = s.execute(insert(AlertRow).returning(AlertRow.id), [_values(a) for a in result.created]).all()
        for alert, row in zip(result.created, rows, strict=True):
            alert.id = row[0]
    changed = [*result.changed, *result.resolved]
    if changed:
        s.execute(update(AlertRow), [{"id": a.id, **_values(a)} for a in changed])
    s.execute(update(AlertRow).where(T.state.in_(ACTIVE), T.last_seen_at != now).values(last_seen_at=now))


def count_new(s: Session) -> int:
    return int(
        s.scalar(select(func.count()).select_from(AlertRow).where(T.state == AlertState.NEW.value)) or 0
    )


def retention_snapshots(s: Session) -> dict[int, float]:
    return {
        int(h): float(p)
        for h, p in s.execute(select(RetentionSnapshotRow.household_id, RetentionSnapshotRow.probability))
    }


def save_retention_snapshots(s: Session, probabilities: dict[int, float], as_of: date, now: datetime) -> None:
    """Replace the last evaluation's probabilities (one row per household) with this evaluation's."""
    s.execute(delete(RetentionSnapshotRow))
    if probabilities:
        s.execute(
            insert(RetentionSnapshotRow),
            [
                {"household_id": h, "probability": p, "as_of": as_of, "evaluated_at": now}
                for h, p in probabilities.items()
            ],
        )


def record_evaluation(
    s: Session,
    *,
    as_of: date,
    started_at: datetime,
    finished_at: datetime,
    households: int,
    findings: int,
    result: MergeResult,
) -> int:
    row = AlertEvaluationRow(
        as_of=as_of,
        started_at=started_at,
        finished_at=finished_at,
        households=households,
        findings=findings,
        created=len(result.created),
        reopened=len(result.reopened),
        resolved=len(result.resolved),
    )
    s.add(row)
    s.flush()
    return row.id


def last_evaluation(s: Session) -> dict[str, object] | None:
    row = s.scalars(select(AlertEvaluationRow).order_by(AlertEvaluationRow.id.desc()).limit(1)).first()
    if row is None:
        return None
    return {
        "as_of": row.as_of,
        "started_at": row.started_at,
        "finished_at": row.finished_at,
        "households": row.households,
        "findings": row.findings,
    }


def references(s: Session, rule: RuleKey) -> dict[int, float]:
    """Baselines kept by active alerts of ``rule`` (household id -> reference)."""
    q = select(T.household_id, T.reference).where(
        T.rule == rule.value, T.state.in_(ACTIVE), T.reference.is_not(None)
    )
    return {int(h): float(r) for h, r in s.execute(q)}
