"""What the profile, the fit score and "clients like you" know about a household."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

RISK_ORDER = ("conservative", "moderate", "growth", "aggressive")


@dataclass(frozen=True)
class HouseholdTraits:
    """Age, occupation, location and risk tolerance are the primary contact's; income and net worth are
    summed over the members whose figures are known. ``source`` is where the household came from: its
    new-household opportunity's source, else "Referral" when someone referred it."""

    household_id: int
    name: str
    status: str
    birth_date: date | None = None
    income: Decimal | None = None
    net_worth: Decimal | None = None
    occupation: str | None = None
    location: str | None = None
    risk_tolerance: str | None = None
    source: str | None = None
    has_primary: bool = True  # False for households kept only for their contacts (e.g. a CPA's firm)

    def age(self, as_of: date) -> int | None:
        if self.birth_date is None:
            return None
        b = self.birth_date
        return as_of.year - b.year - ((as_of.month, as_of.day) < (b.month, b.day))

    def risk_rank(self) -> int | None:
        r = (self.risk_tolerance or "").strip().lower()
        return RISK_ORDER.index(r) if r in RISK_ORDER else None


def clean_text(value: str | None) -> str | None:
    """Categorical values compare case- and space-insensitively; blank is unknown."""
    text = " ".join((value or "").split())
    return text.casefold() if text else None
