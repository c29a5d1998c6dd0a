"""The book of business as plain dataclasses. Storage maps these to tables; nothing here knows about either."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal

from actdesk.domain.enums import (
    AccountType,
    ActivityKind,
    ContactRole,
    FlowKind,
    HouseholdStatus,
    LifeEventKind,
    LifeEventSource,
    OpportunityKind,
    OpportunityStage,
    ReferralOutcome,
    RelationshipKind,
    RiskTolerance,
)


@dataclass(slots=True)
class Household:
    name: str
    status: HouseholdStatus = HouseholdStatus.PROSPECT
    client_since: date | None = None
    client_until: date | None = None
    leaving_reason: str | None = None
    owner: str | None = None
    tags: tuple[str, ...] = ()
    id: int | None = None
    version: int = 1

    def is_client_on(self, day: date) -> bool:
        """The issue's definition: client_since <= D and (client_until empty or client_until > D)."""
        if self.client_since is None or self.client_since > day:
            return False
        return self.client_until is None or self.client_until > day


@dataclass(slots=True)
class Contact:
    household_id: int | None
    first_name: str
    last_name: str
    role: ContactRole = ContactRole.PRIMARY
    email: str | None = None
    phone: str | None = None
    birth_date: date | None = None
    income: Decimal | None = None
    net_worth: Decimal | None = None
    risk_tolerance: RiskTolerance | None = None
    occupation: str | None = None
    address: str | None = None
    city: str | None = None
    region: str | None = None
    postal_code: str | None = None
    country: str | None = None
    do_not_email: bool = False
    email_opt_out_at: datetime | None = None
    id: int | None = None

    @property
    def full_name(self) -> str:
        return f"{self.first_name} {self.last_name}".strip()


@dataclass(slots=True)
class Relationship:
    from_contact_id: int
    to_contact_id: int
    kind: RelationshipKind
    id: int | None = None


@dataclass(slots=True)
class Account:
    household_id: int
    custodian: str
    type: AccountType
    managed: bool = True
    account_number: str | None = None
    name: str | None = None
    id: int | None = None


@dataclass(slots=True, frozen=True)
class Balance:
    account_id: int
    date: date
    balance: Decimal


@dataclass(slots=True)
class Flow:
    account_id: int
    date: date
    amount: Decimal
    kind: FlowKind | None = None
    id: int | None = None


@dataclass(slots=True)
class Fee:
    household_id: int
    date: date
    amount: Decimal
    recurring: bool = True
    id: int | None = None


@dataclass(slots=True)
class Activity:
    household_id: int
    kind: ActivityKind
    subject: str
    start: datetime | None = None
    contact_id: int | None = None
    duration_minutes: int | None = None
    due_date: date | None = None
    location: str | None = None
    notes: str | None = None
    outcome: str | None = None
    completed_at: datetime | None = None
    owner: str | None = None
    rrule: str | None = None
    id: int | None = None
    uid: str | None = None  # iCalendar UID, kept across export and import
    all_day: bool = False
    time_zone: str | None = None  # IANA zone a series repeats in (its DTSTART's TZID); None: the advisor's

    @property
    def done(self) -> bool:
        return self.completed_at is not None


@dataclass(slots=True)
class LifeEvent:
    household_id: int
    kind: LifeEventKind
    date: date
    contact_id: int | None = None
    notes: str | None = None
    source: LifeEventSource = LifeEventSource.ADVISOR
    id: int | None = None


@dataclass(slots=True)
class Referral:
    referrer_contact_id: int
    referred_household_id: int
    date: date
    outcome: ReferralOutcome | None = None
    reason: str | None = None
    id: int | None = None


@dataclass(slots=True)
class Opportunity:
    household_id: int
    kind: OpportunityKind
    stage: OpportunityStage = OpportunityStage.LEAD
    expected_aum: Decimal | None = None
    expected_revenue: Decimal | None = None
    probability: float | None = None
    expected_close: date | None = None
    source: str | None = None
    lost_reason: str | None = None
    created_at: datetime | None = None
    stage_changed_at: datetime | None = None
    owner: str | None = None
    id: int | None = None


@dataclass(slots=True)
class Note:
    household_id: int
    body: str
    created_at: datetime
    contact_id: int | None = None
    id: int | None = None


@dataclass(slots=True)
class HouseholdDetail:
    """Everything the contact card shows for one household, fetched in one unit of work."""

    household: Household
    contacts: list[Contact] = field(default_factory=list)
    accounts: list[Account] = field(default_factory=list)
    current_balances: dict[int, Decimal] = field(default_factory=dict)
    recent_activities: list[Activity] = field(default_factory=list)
    life_events: list[LifeEvent] = field(default_factory=list)
    notes: list[Note] = field(default_factory=list)

    @property
    def managed_aum(self) -> Decimal:
        managed = {a.id for a in self.accounts if a.managed}
        return sum((v for k, v in self.current_balances.items() if k in managed), Decimal("0.00"))

    @property
    def held_away(self) -> Decimal:
        away = {a.id for a in self.accounts if not a.managed}
        return sum((v for k, v in self.current_balances.items() if k in away), Decimal("0.00"))
