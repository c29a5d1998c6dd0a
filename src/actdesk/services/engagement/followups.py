"""What a life event sets in motion: the growth alert, a suggested follow-up call, a brochure to approve.

The alert goes through the alert engine's own machinery (the ``life_event`` growth rule evaluated over the
household's events, merged into the stored alerts by the lifecycle rules), so an advisor never sees a second,
differently worded life-event alert next to the one the periodic evaluation keeps.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from sqlalchemy.orm import Session

from actdesk.domain.alerts import WORSEN_STEPS, AlertSettings
from actdesk.domain.alerts.facts import BookFacts, HouseholdFacts, LifeEventFacts
from actdesk.domain.alerts.growth import EVENT_NEXT_STEP, LifeEventSignal
from actdesk.domain.alerts.lifecycle import merge_evaluation
from actdesk.domain.alerts.model import Alert, RuleKey, alert_key
from actdesk.domain.enums import ActivityKind, life_event_title
from actdesk.domain.models import Activity, LifeEvent
from actdesk.i18n import _
from actdesk.services.engagement.config import EngagementSettings
from actdesk.storage.repositories import activities as activities_repo
from actdesk.storage.repositories import alerts as alerts_repo
from actdesk.storage.repositories import engagement as repo


@dataclass(frozen=True)
class FiledEvent:
    life_event_id: int
    household_id: int
    kind: str
    date: date
    activity_id: int | None
    brochure_id: int | None
    alert_id: int | None


def event_title(kind: str) -> str:
    return life_event_title(kind)


def raise_growth_alert(
    s: Session, household_id: int, as_of: date, now: datetime, settings: AlertSettings | None = None
) -> Alert | None:
    """Evaluate the life-event rule for one client household and merge it into its stored alert."""
    settings = settings or AlertSettings()
    people = {p.contact_id: p for p in repo.household_people(s, household_id)}
    if not people or next(iter(people.values())).household_status != "client":
        return None
    start = as_of - timedelta(days=settings.life_event_window_days)
    stop = as_of + timedelta(days=settings.life_event_lookahead_days)
    events = repo.list_life_events(s, since=start, until=stop, household_id=household_id)
    if not events:
        return None
    facts = BookFacts.from_households(
        as_of,
        [
            HouseholdFacts(
                household_id,
                name=events[0].household,
                life_events=tuple(LifeEventFacts(e.kind, e.date, e.contact) for e in events),
            )
        ],
    )
    findings = LifeEventSignal().evaluate(facts, settings)
    if not findings:
        return None
    key = alert_key(household_id, RuleKey.LIFE_EVENT)
    active = [a for a in alerts_repo.active_alerts(s) if a.key == key]
    merge = merge_evaluation(
        findings,
        active,
        now=now,
        today=as_of,
        worsen_steps=WORSEN_STEPS,
        names={household_id: events[0].household},
    )
    alerts_repo.apply_merge(s, merge, now)
    current = merge.current
    return current[0] if current else None


def followup_activity(event: LifeEvent, today: date, cfg: EngagementSettings) -> Activity:
    step = EVENT_NEXT_STEP.get(str(event.kind))
    subject = _("Follow up on the {event}").format(event=event_title(str(event.kind)).lower())
    notes = _("Next step: {step}.").format(step=_(step)) if step else None
    return Activity(
        household_id=event.household_id,
        kind=ActivityKind.CALL,
        subject=subject,
        contact_id=event.contact_id,
        due_date=today + timedelta(days=cfg.followup_due_days),
        notes=notes,
    )


def pick_brochure(s: Session, kind: str, language: str) -> int | None:
    """The library's brochure for this kind of event, in the client's language if there is one."""
    matches = [b for b in repo.list_brochures(s) if kind in b.kinds]
    for b in matches:
        if b.language == language:
            return b.id
    return matches[0].id if matches else None


def file_life_event(
    s: Session,
    event: LifeEvent,
    *,
    now: datetime,
    today: date,
    cfg: EngagementSettings,
    language: str = "en",
    alert_settings: AlertSettings | None = None,
) -> FiledEvent:
    """Record the event and everything it sets in motion, in the caller's unit of work."""
    event_id = repo.add_life_event(s, event)
    activity_id = activities_repo.add(s, followup_activity(event, today, cfg))
    brochure_id = pick_brochure(s, str(event.kind), language)
    repo.add_followup(s, event_id, activity_id, brochure_id, now)
    alert = raise_growth_alert(s, event.household_id, today, now, alert_settings)
    return FiledEvent(
        event_id,
        event.household_id,
        str(event.kind),
        event.date,
        activity_id,
        brochure_id,
        alert.id if alert else None,
    )
