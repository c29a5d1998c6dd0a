"""A small book with one household per rule, built with exact values (as of 30 Nov 2026)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime

from tests import factories as f

from actdesk.storage.tables.book import RelationshipRow

AS_OF = date(2026, 11, 30)


def at(day: date, hour: int = 15) -> datetime:
    return datetime(day.year, day.month, day.day, hour, tzinfo=UTC)


@dataclass
class Ids:
    garcia: int
    quiet: int
    newcomer: int
    former: int
    garcia_primary: int
    garcia_spouse: int


def build(book) -> Ids:
    with book.session() as s:
        # Garcia: money leaving, an inheritance, a 73rd birthday, held-away assets, a lapsed review.
        g = f.household(s, "Garcia household", since=date(2018, 3, 1))
        maria = f.contact(s, g, "Maria", "Garcia", birth=date(1953, 12, 20), net_worth=2_000_000)
        luis = f.contact(s, g, "Luis", "Garcia", role="spouse", birth=date(1955, 4, 2))
        ira = f.account(s, g, "ira")
        away = f.account(s, g, "401k", managed=False, custodian="Fidelity")
        f.balance(s, ira, date(2025, 11, 30), 1_100_000)
        f.balance(s, ira, date(2026, 5, 31), 1_000_000)
        f.balance(s, ira, date(2026, 10, 31), 900_000)
        f.balance(s, ira, date(2026, 11, 30), 780_000)
        f.balance(s, away, date(2026, 11, 30), 600_000)
        f.flow(s, ira, date(2026, 7, 10), -50_000, "withdrawal")
        f.flow(s, ira, date(2026, 11, 10), -150_000, "transfer_out")
        f.flow(s, ira, date(2026, 11, 12), -4_000, "fee")
        f.fee(s, g, date(2025, 6, 1), 10_000)
        f.fee(s, g, date(2026, 6, 1), 7_000)
        f.activity(
            s, g, "review", start=at(date(2026, 2, 1)), completed=at(date(2026, 2, 1), 16), contact_id=maria
        )
        f.activity(
            s, g, "call", start=at(date(2026, 9, 1)), completed=at(date(2026, 9, 1), 16), contact_id=maria
        )
        f.activity(s, g, "task", start=at(date(2026, 11, 20)), completed=at(date(2026, 11, 20), 16))
        f.activity(s, g, "review", start=at(date(2026, 12, 8)))  # booked, not held
        f.life_event(s, g, "inheritance", date(2026, 11, 2), maria)
        # Quiet: well served, nothing to say.
        q = f.household(s, "Quiet household", since=date(2016, 1, 1))
        f.contact(s, q, "Ann", "Lee", birth=date(1980, 1, 1), net_worth=900_000)
        qa = f.account(s, q, "brokerage")
        for day in (date(2025, 11, 30), date(2026, 5, 31), date(2026, 11, 30)):
            f.balance(s, qa, day, 400_000)
        f.fee(s, q, date(2025, 6, 1), 4_000)
        f.fee(s, q, date(2026, 6, 1), 4_000)
        for day in (date(2026, 6, 10), date(2026, 11, 1)):
            f.activity(s, q, "review", start=at(day), completed=at(day, 16))
        # Newcomer: married (a spouse relationship to a contact outside the household), one meeting so far.
        n = f.household(s, "Newcomer household", since=date(2026, 6, 1))
        pat = f.contact(s, n, "Pat", "Kim")
        partner = f.contact(s, None, "Sam", "Kim")
        s.add(RelationshipRow(from_contact_id=pat, to_contact_id=partner, kind="spouse"))
        f.activity(s, n, "meeting", start=at(date(2026, 6, 3)), completed=at(date(2026, 6, 3), 16))
        f.activity(s, n, "call", start=at(date(2026, 11, 15)), completed=at(date(2026, 11, 15), 16))
        # Former client: never evaluated.
        x = f.household(
            s, "Former household", status="former_client", since=date(2010, 1, 1), until=date(2024, 1, 1)
        )
        f.contact(s, x, "Old", "Client")
    return Ids(g, q, n, x, maria, luis)
