"""Every threshold of the alert rules, with the issue's defaults, read from the settings section "alerts".

Money thresholds are whole currency units (JSON-friendly); shares are fractions (0.15 = 15%).
docs/alerts.md lists each one with the rule that reads it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import ClassVar

from actdesk.domain.schedule.config import DEFAULT_CONTACT_KINDS

SECTION = "alerts"


def _contact_kinds() -> list[str]:
    return list(DEFAULT_CONTACT_KINDS)


@dataclass
class AlertSettings:
    SECTION: ClassVar[str] = SECTION  # its section of the settings file

    # The background evaluation
    interval_minutes: int = 15
    change_debounce_seconds: float = 3.0
    notify_high: bool = True

    # Silent erosion
    erosion_months: int = 6
    erosion_outflow_share: float = 0.15
    wallet_months: int = 12
    wallet_drop_points: float = 0.10

    # Large withdrawal / transfer out
    withdrawal_share: float = 0.10
    withdrawal_window_days: int = 90

    # Contact gap: service cadence per segment, and what counts as contact
    cadence_a_days: int = 30
    cadence_b_days: int = 90
    cadence_c_days: int = 180
    contact_kinds: list[str] = field(default_factory=_contact_kinds)

    # Review overdue
    review_interval_months: int = 6

    # Fee revenue decline
    revenue_decline_share: float = 0.20
    revenue_recurring_only: bool = False

    # Retention probability
    retention_min_probability: float = 0.85
    retention_drop_points: float = 0.10

    # Relationship gaps
    heirs_min_aum: int = 1_000_000
    first_year_days: int = 365
    second_meeting_grace_days: int = 90
    spouse_unseen_months: int = 24

    # Welcome back: a former client who came back, without a review since
    welcome_back_days: int = 180

    # Growth signals
    life_event_window_days: int = 60
    life_event_lookahead_days: int = 90
    held_away_ratio: float = 0.5
    held_away_min: int = 100_000
    milestone_window_days: int = 90

    def cadence_days(self, segment: str | None) -> int:
        return {"A": self.cadence_a_days, "B": self.cadence_b_days}.get(segment or "C", self.cadence_c_days)

    def problems(self) -> list[str]:
        """Values that would make the rules meaningless (shown when settings are saved or loaded)."""
        out: list[str] = []
        for name in (
            "erosion_outflow_share",
            "wallet_drop_points",
            "withdrawal_share",
            "revenue_decline_share",
        ):
            if not 0 < getattr(self, name) <= 1:
                out.append(f"{name} must be between 0 and 1")
        if not 0 < self.retention_min_probability <= 1:
            out.append("retention_min_probability must be between 0 and 1")
        for name in (
            "interval_minutes",
            "cadence_a_days",
            "cadence_b_days",
            "cadence_c_days",
            "welcome_back_days",
        ):
            if getattr(self, name) <= 0:
                out.append(f"{name} must be positive")
        return out
