"""A household on which no rule fires, to be nudged just over (or just under) one threshold per test."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, timedelta
from typing import Any

from actdesk.domain.alerts import AlertSettings, BookFacts, Finding, HouseholdFacts, RuleKey, evaluate_rules

AS_OF = date(2026, 11, 30)
SETTINGS = AlertSettings()


def quiet(**changes: Any) -> HouseholdFacts:
    base = HouseholdFacts(
        household_id=1,
        name="Garcia household",
        segment="B",
        client_since=date(2019, 4, 1),
        aum=500_000.0,
        aum_past=500_000.0,
        net_flows_past=0.0,
        net_worth=1_000_000.0,
        share_of_wallet=0.5,
        share_of_wallet_past=0.5,
        revenue_t12m=5_000.0,
        revenue_prev_t12m=5_000.0,
        recurring_t12m=5_000.0,
        recurring_prev_t12m=5_000.0,
        held_away=0.0,
        last_contact=AS_OF - timedelta(days=10),
        last_review=AS_OF - timedelta(days=30),
        meetings_as_client=12,
        retention_probability=0.95,
        retention_reference=0.95,
        heirs_recorded=True,
    )
    return replace(base, **changes)


def run(
    *households: HouseholdFacts, settings: AlertSettings = SETTINGS, as_of: date = AS_OF
) -> list[Finding]:
    return evaluate_rules(BookFacts.from_households(as_of, list(households)), settings)


def fired(rule: RuleKey, *households: HouseholdFacts, settings: AlertSettings = SETTINGS) -> list[Finding]:
    return [f for f in run(*households, settings=settings) if f.rule is rule]
