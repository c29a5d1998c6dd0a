"""Share of wallet (managed AUM / household net worth), share of investable assets (AUM / (AUM + held-away
assets)) and relationship depth."""

from __future__ import annotations

from datetime import date

import pandas as pd

from actdesk.domain.analytics.common import (
    aum_at,
    client_aum,
    household_net_worth,
    memoized,
    ratio,
    tenure_years,
)
from actdesk.domain.analytics.frames import BookFrames


def share_of_wallet(frames: BookFrames, day: date) -> pd.Series:
    """Per client household on ``day``: AUM / net worth (members' net worth summed). Households whose net
    worth is unknown, zero or negative are left out: the ratio means nothing for them."""
    aum = client_aum(frames, day)
    worth = household_net_worth(frames).reindex(aum.index)
    known = worth.notna() & (worth > 0)
    return (aum[known] / worth[known]).astype("float64")


def book_share_of_wallet(frames: BookFrames, day: date) -> float | None:
    """Sum of AUM / sum of net worth over client households with a known, positive net worth."""
    aum = client_aum(frames, day)
    worth = household_net_worth(frames).reindex(aum.index)
    known = worth.notna() & (worth > 0)
    return ratio(int(aum[known].sum()), int(worth[known].sum()))


def monthly_share_of_wallet(frames: BookFrames) -> pd.DataFrame:
    """The book-wide share of wallet per month of the loaded monthly series."""
    monthly = frames.monthly
    out = pd.DataFrame({"date": monthly["date"]})
    denominator = monthly["net_worth_cents"].where(monthly["net_worth_cents"] > 0)
    out["share_of_wallet"] = (monthly["aum_known_net_worth_cents"] / denominator).astype("float64")
    return out


def relationship_depth(frames: BookFrames, as_of: date) -> pd.DataFrame:
    """Per client household: accounts, managed accounts, distinct account types, members (contacts) and
    tenure in years. Deeper relationships are the ones that stay."""

    def build() -> pd.DataFrame:
        ids = client_aum(frames, as_of).index
        table = frames.accounts.reindex(ids, fill_value=0).astype("int64")
        table["members"] = frames.members["members"].reindex(ids, fill_value=0).astype("int64")
        table["tenure_years"] = tenure_years(frames, ids, as_of).astype("float64")
        return table

    return memoized(frames, ("relationship_depth", as_of), build)


def share_of_investable_assets(frames: BookFrames, day: date) -> pd.Series:
    """Per client household with held-away assets recorded, on the as-of date: AUM / (AUM + held-away
    assets). Not share of wallet (AUM / net worth): this is the share that moves when a client
    consolidates accounts with us or elsewhere. Households with no held-away assets recorded are left out
    (a 100% share would only mean nothing was recorded)."""
    aum = client_aum(frames, day)
    held = aum_at(frames, day, "held_away_cents").reindex(aum.index, fill_value=0)
    known = held > 0
    total = aum[known] + held[known]
    return (aum[known] / total.where(total > 0)).dropna().astype("float64")


def book_share_of_investable_assets(frames: BookFrames, day: date) -> float | None:
    """Sum of AUM / sum of (AUM + held-away assets) over client households with held-away assets recorded."""
    aum = client_aum(frames, day)
    held = aum_at(frames, day, "held_away_cents").reindex(aum.index, fill_value=0)
    known = held > 0
    return ratio(int(aum[known].sum()), int(aum[known].sum() + held[known].sum()))
