"""What CRMs write for a person's status and family role, in the book's terms.

Redtail's Status ("Client", "Prospect", "Former Client"), Wealthbox's Contact Type ("Client", "Past Client"),
Salesforce's record types; Redtail's Family Head ("Yes"), Wealthbox's Household Title ("Head", "Spouse",
"Child"). Unknown values are None: the import then falls back to its usual rule (first of a household is the
primary, new households are prospects), never a guess presented as fact.
"""

from __future__ import annotations

import re

from actdesk.domain.enums import ContactRole, HouseholdStatus

_WORDS = re.compile(r"[^a-z0-9]+")

_STATUS: dict[str, HouseholdStatus] = {
    "client": HouseholdStatus.CLIENT,
    "clients": HouseholdStatus.CLIENT,
    "active client": HouseholdStatus.CLIENT,
    "current client": HouseholdStatus.CLIENT,
    "customer": HouseholdStatus.CLIENT,
    "active": HouseholdStatus.CLIENT,
    "prospect": HouseholdStatus.PROSPECT,
    "lead": HouseholdStatus.PROSPECT,
    "referral": HouseholdStatus.PROSPECT,
    "potential client": HouseholdStatus.PROSPECT,
    "former client": HouseholdStatus.FORMER_CLIENT,
    "past client": HouseholdStatus.FORMER_CLIENT,
    "previous client": HouseholdStatus.FORMER_CLIENT,
    "lost client": HouseholdStatus.FORMER_CLIENT,
    "inactive client": HouseholdStatus.FORMER_CLIENT,
    "inactive": HouseholdStatus.FORMER_CLIENT,
}

_ROLE: dict[str, ContactRole] = {
    "yes": ContactRole.PRIMARY,
    "y": ContactRole.PRIMARY,
    "true": ContactRole.PRIMARY,
    "x": ContactRole.PRIMARY,
    "1": ContactRole.PRIMARY,
    "head": ContactRole.PRIMARY,
    "head of household": ContactRole.PRIMARY,
    "family head": ContactRole.PRIMARY,
    "primary": ContactRole.PRIMARY,
    "primary contact": ContactRole.PRIMARY,
    "spouse": ContactRole.SPOUSE,
    "partner": ContactRole.SPOUSE,
    "domestic partner": ContactRole.SPOUSE,
    "wife": ContactRole.SPOUSE,
    "husband": ContactRole.SPOUSE,
    "child": ContactRole.CHILD,
    "son": ContactRole.CHILD,
    "daughter": ContactRole.CHILD,
    "dependent": ContactRole.CHILD,
    "dependant": ContactRole.CHILD,
    "heir": ContactRole.HEIR,
    "beneficiary": ContactRole.HEIR,
    "other": ContactRole.OTHER,
    "other dependent": ContactRole.OTHER,
}


def _key(value: str | None) -> str:
    return _WORDS.sub(" ", (value or "").casefold()).strip()


def status_value(value: str | None) -> str | None:
    """The HouseholdStatus value for what a CRM wrote, or None when it says nothing the book knows."""
    found = _STATUS.get(_key(value))
    return found.value if found else None


def role_value(value: str | None) -> str | None:
    """The ContactRole value for a family role or a "Family Head" flag; None for "No", empty or unknown."""
    found = _ROLE.get(_key(value))
    return found.value if found else None
