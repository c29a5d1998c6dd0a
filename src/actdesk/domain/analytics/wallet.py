"""Share of wallet (managed AUM / household net worth), share of investable assets (AUM / (AUM + held-away
assets)) and relationship depth."""

from __future__ import annotations

from datetime import date
from typing import NamedTuple

from actdesk.domain.analytics.aum import ratio
from actdesk.domain.analytics.dates import DAYS_PER_YEAR
from actdesk.domain.analytics.records import BookRecords


def _net_worths(records: BookRecords, day: date) -> dict[int, int]:
    """Net worth of the client households on ``day`` whose net worth is known and positive, by id (once
    per records and day: the KPIs read it three times; ints in one dict, no tuple per household)."""

    def build() -> dict[int, int]:
        members, out = records.members, {}
        for h in records.aum_on(day):
            member = members.get(h)
            if member is not None and member.net_worth is not None and member.net_worth > 0:
                out[h] = member.net_worth
        return out

    return records.memoized(("net_worths", day), build)


def share_of_wallet(records: BookRecords, day: date) -> dict[int, float]:
    """Per client household on ``day``: AUM / net worth (members' net worth summed). Households whose net
    worth is unknown, zero or negative are left out: the ratio means nothing for them."""
    aum = records.aum_on(day)
    return {h: aum[h] / worth for h, worth in _net_worths(records, day).items()}


def book_share_of_wallet(records: BookRecords, day: date) -> float | None:
    """Sum of AUM / sum of net worth over client households with a known, positive net worth."""
    aum, worths = records.aum_on(day), _net_worths(records, day)
    return ratio(sum(aum[h] for h in worths), sum(worths.values()))


def _with_held_away(records: BookRecords, day: date) -> list[tuple[int, int, int]]:
    if day != records.as_of:
        raise ValueError(f"held-away balances are loaded at the as-of date only, not at {day}")
    return [(h, aum, held) for h, aum in records.aum_on(day).items() if (held := records.held_away(h)) > 0]


def share_of_investable_assets(records: BookRecords, day: date) -> dict[int, float]:
    """Per client household with held-away assets recorded, on the as-of date: AUM / (AUM + held-away
    assets). Not share of wallet (AUM / net worth): this is the share that moves when a client
    consolidates accounts with us or elsewhere. Households with no held-away assets recorded are left out
    (a 100% share would only mean nothing was recorded)."""
    return {h: aum / (aum + held) for h, aum, held in _with_held_away(records, day) if aum + held > 0}


def book_share_of_investable_assets(records: BookRecords, day: date) -> float | None:
    """Sum of AUM / sum of (AUM + held-away assets) over client households with held-away assets recorded."""
    known = _with_held_away(records, day)
    aum = sum(a for _h, a, _held in known)
    return ratio(aum, aum + sum(held for _h, _a, held in known))


class Depth(NamedTuple):
    """How deep a client relationship is: accounts, managed accounts, distinct account types, members
    (contacts) and tenure in years. Deeper relationships are the ones that stay."""

    accounts: int
    managed_accounts: int
    account_types: int
    members: int
    tenure_years: float


DEPTH_COLUMNS = Depth._fields


def relationship_depth(records: BookRecords, as_of: date) -> dict[int, Depth]:
    """Per client household on ``as_of`` (ascending ids)."""

    def build() -> dict[int, Depth]:
        out: dict[int, Depth] = {}
        for h in records.clients_on(as_of):
            accounts = records.accounts.get(h, (0, 0, 0))
            member = records.members.get(h)
            days = records.households[h].tenure_days(as_of)
            tenure = float("nan") if days is None else days / DAYS_PER_YEAR
            out[h] = Depth(*accounts, 0 if member is None else member.members, tenure)
        return out

    return records.memoized(("relationship_depth", as_of), build)


def median(values: list[float]) -> float | None:
    """The middle value (the mean of the two middle ones for an even count); None when there are none."""
    if not values:
        return None
    ordered = sorted(values)
    mid = len(ordered) // 2
    return ordered[mid] if len(ordered) % 2 else (ordered[mid - 1] + ordered[mid]) / 2
