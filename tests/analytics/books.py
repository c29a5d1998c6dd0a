"""Small books with exact values for the analytics tests, and the figures computed by hand for them."""

from __future__ import annotations

from datetime import date

from sqlalchemy.orm import Session
from tests import factories as f

AS_OF = date(2026, 6, 30)  # period start 2025-06-30; 6 months back 2025-12-31; 24 months back 2024-06-30


def six_households(s: Session) -> dict[str, int]:
    """Able (long-standing, held-away account), Baker (zero net worth, large outflow), Clark (left in the
    period), Drake (new, referred by Ann Able), Evans (prospect, referred by Ann Able) and Frost (leaves
    on the as-of date itself)."""
    able = f.household(s, "Able household", since=date(2020, 1, 1))
    ann = f.contact(
        s,
        able,
        "Ann",
        "Able",
        net_worth="400000",
        birth=date(1960, 3, 1),
        income="150000",
        risk_tolerance="moderate",
        region="Texas",
    )
    f.contact(s, able, "Bob", "Able", role="spouse", net_worth="100000", birth=date(1962, 5, 5))
    a1 = f.account(s, able, "ira", managed=True)
    a2 = f.account(s, able, "brokerage", managed=False, custodian="Fidelity")
    f.balance(s, a1, date(2025, 6, 30), "100000.00")
    f.balance(s, a1, date(2025, 12, 31), "110000.00")
    f.balance(s, a1, date(2026, 6, 30), "120000.00")
    f.balance(s, a2, date(2026, 5, 31), "50000.00")
    f.flow(s, a1, date(2025, 9, 15), "5000.00", "deposit")
    f.flow(s, a1, date(2026, 3, 10), "-2000.00", "withdrawal")
    f.fee(s, able, date(2025, 9, 30), "1000.00")
    f.fee(s, able, date(2026, 3, 31), "1000.00")
    f.fee(s, able, date(2026, 4, 15), "500.00", recurring=False)
    f.fee(s, able, date(2024, 12, 31), "1800.00")

    baker = f.household(s, "Baker household", since=date(2021, 3, 1))
    f.contact(
        s,
        baker,
        "Cy",
        "Baker",
        net_worth="0",
        birth=date(1950, 1, 1),
        risk_tolerance="conservative",
        region="Ohio",
    )
    a3 = f.account(s, baker, "brokerage")
    f.balance(s, a3, date(2025, 6, 30), "200000.00")
    f.balance(s, a3, date(2026, 6, 30), "150000.00")
    f.flow(s, a3, date(2026, 1, 20), "-60000.00", "transfer_out")
    f.fee(s, baker, date(2025, 12, 31), "800.00")
    f.fee(s, baker, date(2024, 9, 30), "2000.00")

    clark = f.household(
        s,
        "Clark household",
        status="former_client",
        since=date(2018, 5, 1),
        until=date(2026, 2, 15),
        reason="moved closer to family",
    )
    f.contact(s, clark, "Di", "Clark")
    a4 = f.account(s, clark, "ira")
    f.balance(s, a4, date(2025, 6, 30), "80000.00")
    f.balance(s, a4, date(2026, 2, 10), "0.00")
    f.flow(s, a4, date(2026, 2, 10), "-82000.00", "transfer_out")
    f.fee(s, clark, date(2025, 7, 31), "300.00")

    drake = f.household(s, "Drake household", since=date(2026, 1, 15))
    f.contact(s, drake, "Ed", "Drake", net_worth="200000", birth=date(1990, 7, 1), region="Texas")
    a5 = f.account(s, drake, "roth_ira")
    f.balance(s, a5, date(2026, 1, 15), "40000.00")
    f.balance(s, a5, date(2026, 6, 30), "41000.00")
    f.flow(s, a5, date(2026, 1, 15), "40000.00", "transfer_in")
    f.fee(s, drake, date(2026, 6, 30), "100.00")

    evans = f.household(s, "Evans household", status="prospect", since=None)
    f.contact(s, evans, "Flo", "Evans")

    frost = f.household(
        s,
        "Frost household",
        status="former_client",
        since=date(2019, 1, 1),
        until=date(2026, 6, 30),
        reason="fees",
    )
    f.contact(s, frost, "Gus", "Frost")
    a6 = f.account(s, frost, "ira")
    f.balance(s, a6, date(2025, 6, 30), "30000.00")
    f.balance(s, a6, date(2026, 6, 30), "0.00")
    f.flow(s, a6, date(2026, 6, 30), "-31000.00", "transfer_out")
    f.fee(s, frost, date(2025, 10, 31), "150.00")

    f.referral(s, ann, drake, date(2025, 12, 1))
    f.referral(s, ann, evans, date(2026, 2, 1))
    return {
        "able": able,
        "ann": ann,
        "baker": baker,
        "clark": clark,
        "drake": drake,
        "evans": evans,
        "frost": frost,
    }
