"""What the rules read: one record of numbers per client household, with its outflows, members and events.

Plain Python, no pandas (issue 21): each rule is one loop over the households, which for 40 to 10,000
households is as fast as a vectorised pass once pandas' fixed costs per operation are counted, and a command
that evaluates the rules does not pay 0.25 s to import pandas and numpy. ``BookFacts`` is the book as of a
date: a list of ``HouseholdFacts``; tests and small callers build one with ``BookFacts.from_households``.

Money is float currency units here (statistics, never stored); dates are ``datetime.date`` (None when
unknown), numbers NaN when unknown.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from datetime import date

NAN = float("nan")


@dataclass(frozen=True, slots=True)
class OutflowFacts:
    """One outflow (withdrawal or transfer out) from a managed account."""

    date: date
    amount: float  # positive: money that left
    aum_before: float  # the household's managed AUM just before it
    account: str = ""  # e.g. "IRA at Schwab"


@dataclass(frozen=True, slots=True)
class MemberFacts:
    name: str
    birth_date: date | None


@dataclass(frozen=True, slots=True)
class LifeEventFacts:
    kind: str  # LifeEventKind value
    date: date
    member: str = ""


@dataclass(slots=True)
class HouseholdFacts:
    """One client household as of the evaluation date. NaN / None mean "not known"."""

    household_id: int
    name: str = ""
    segment: str = "C"
    client_since: date | None = None  # the start of the period holding the evaluation date
    returned_on: date | None = None  # that start, when an earlier period had ended (a returning client)
    left_on: date | None = None  # the end of the last period that ended before (a returning client)
    tenure_days: float = NAN  # days as a client, every period added up (NaN: since client_since)
    aum: float = 0.0  # managed AUM now
    aum_past: float = NAN  # managed AUM ``erosion_months`` ago
    net_flows_past: float = 0.0  # net flows on managed accounts since then (negative = money out)
    net_worth: float = NAN
    share_of_wallet: float = NAN
    share_of_wallet_past: float = NAN  # ``wallet_months`` ago
    revenue_t12m: float = 0.0
    revenue_prev_t12m: float = 0.0
    recurring_t12m: float = 0.0
    recurring_prev_t12m: float = 0.0
    held_away: float = 0.0
    last_contact: date | None = None
    last_review: date | None = None
    next_review: date | None = None  # a review scheduled but not yet held
    meetings_as_client: int = 0  # completed meetings and reviews since client_since
    retention_probability: float = NAN
    retention_reference: float = NAN  # the probability to compare with (last evaluation, or a kept baseline)
    retention_factors: tuple[str, ...] = ()
    married: bool = False  # a sign of a spouse or partner (see docs/alerts.md)
    spouse_on_file: bool = False
    spouse_name: str = ""
    spouse_unseen: bool = False  # spouse on file but never in a completed activity lately, primary seen
    heirs_recorded: bool = False
    outflows: tuple[OutflowFacts, ...] = ()
    members: tuple[MemberFacts, ...] = ()
    life_events: tuple[LifeEventFacts, ...] = ()


@dataclass
class BookFacts:
    """The whole book's facts: one ``HouseholdFacts`` per client household on ``as_of``."""

    as_of: date
    households: list[HouseholdFacts] = field(default_factory=list)

    def names(self) -> dict[int, str]:
        return {h.household_id: h.name for h in self.households}

    @classmethod
    def from_households(cls, as_of: date, households: list[HouseholdFacts]) -> BookFacts:
        return cls(as_of=as_of, households=list(households))


def known(value: float) -> bool:
    """A number that is known (not NaN)."""
    return not math.isnan(value)
