"""Activity types (colour and icon per kind) and the schedule's settings section ("schedule")."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import ClassVar

from actdesk.domain.enums import ActivityKind
from actdesk.i18n import N_


@dataclass(frozen=True, slots=True)
class ActivityType:
    """How one kind of activity looks and behaves in the calendar."""

    kind: str
    label: str  # marked with N_, translated where shown
    colour: str  # "#rrggbb"
    icon: str  # resources/icons/<icon>.svg
    counts_as_contact: bool = True


DEFAULT_TYPES: tuple[ActivityType, ...] = (
    ActivityType(ActivityKind.CALL.value, N_("Call"), "#0EA5A4", "phone"),
    ActivityType(ActivityKind.MEETING.value, N_("Meeting"), "#2563EB", "users"),
    ActivityType(ActivityKind.REVIEW.value, N_("Review"), "#8B5CF6", "briefcase"),
    ActivityType(ActivityKind.TASK.value, N_("Task"), "#D97706", "check", counts_as_contact=False),
    ActivityType(ActivityKind.EMAIL.value, N_("E-mail"), "#64748B", "mail"),
    ActivityType(ActivityKind.EVENT.value, N_("Event"), "#EC4899", "sparkles"),
)


# What counts as contact with a client unless the advisor's settings say otherwise (docs/schedule.md): the
# card's last contact, the client dashboard, the campaigns' audiences, the retention model's history and the
# alert rules' default all read this one list, so that no two screens disagree on when a client was last
# contacted.
DEFAULT_CONTACT_KINDS: tuple[str, ...] = tuple(t.kind for t in DEFAULT_TYPES if t.counts_as_contact)


def default_cadence() -> dict[str, int]:
    """Contact cadence in days per segment (the alerts issue's defaults)."""
    return {"A": 30, "B": 90, "C": 180}


@dataclass
class ScheduleSettings:
    """The "schedule" settings section. Colours may be overridden per kind: {"call": "#123456"}."""

    SECTION: ClassVar[str] = "schedule"  # its section of the settings file
    reminder_minutes_before: int = 15
    reminders_enabled: bool = True
    default_duration_minutes: int = 60
    day_start_hour: int = 8
    day_end_hour: int = 19
    review_time: str = "10:00"
    review_interval_months: int = 6
    cadence_days: dict[str, int] = field(default_factory=default_cadence)
    default_cadence_days: int = 90
    overdue_lookback_days: int = 365
    colours: dict[str, str] = field(default_factory=dict)
    time_zone: str | None = None  # IANA name; None = the computer's zone


def activity_types(settings: ScheduleSettings | None = None) -> dict[str, ActivityType]:
    """Kinds keyed by value, with the user's colour overrides applied; unknown kinds fall back to "task"."""
    overrides = settings.colours if settings else {}
    result: dict[str, ActivityType] = {}
    for t in DEFAULT_TYPES:
        colour = overrides.get(t.kind, t.colour)
        result[t.kind] = ActivityType(t.kind, t.label, colour, t.icon, t.counts_as_contact)
    return result


def contact_kinds(settings: ScheduleSettings | None = None) -> frozenset[str]:
    """Kinds whose completion counts as contact with the client for the service level."""
    return frozenset(k for k, t in activity_types(settings).items() if t.counts_as_contact)
