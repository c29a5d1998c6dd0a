"""Who the clients are: client households by age, income, net worth, location and risk tolerance, each
band with its households, AUM and revenue."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

import numpy as np
import pandas as pd

from actdesk.domain.analytics.common import client_aum, fees_t12m, money
from actdesk.domain.analytics.frames import BookFrames
from actdesk.i18n import N_

UNKNOWN = N_("Unknown")
AGE_BANDS = (
    (0, N_("Under 40")),
    (40, N_("40-54")),
    (55, N_("55-64")),
    (65, N_("65-74")),
    (75, N_("75 and over")),
)
# Upper bounds in dollars; the band label names the range.
INCOME_BANDS = (
    (100_000, N_("Under $100k")),
    (250_000, N_("$100k-$250k")),
    (500_000, N_("$250k-$500k")),
    (None, N_("$500k and over")),
)
NET_WORTH_BANDS = (
    (1_000_000, N_("Under $1M")),
    (5_000_000, N_("$1M-$5M")),
    (25_000_000, N_("$5M-$25M")),
    (None, N_("$25M and over")),
)
DIMENSIONS = ("age", "income", "net_worth", "location", "risk_tolerance")


@dataclass(frozen=True)
class Band:
    label: str  # untranslated; pass through _() to show
    households: int
    aum: Decimal
    revenue: Decimal


def _banded(values: pd.Series, edges: list[float], names: list[str], known: pd.Series) -> pd.Series:
    """The name of the band [edges[i], edges[i + 1]) each value falls in (``UNKNOWN`` where not known);
    ``edges`` ascending, one more than ``names``."""
    slot = (
        np.searchsorted(
            np.asarray(edges, dtype="float64"), values.to_numpy("float64", na_value=np.nan), "right"
        )
        - 1
    )
    labels = np.asarray([*names, UNKNOWN], dtype=object)
    valid = known.to_numpy(bool) & (slot >= 0) & (slot < len(names))
    return pd.Series(labels[np.where(valid, slot, len(names))], index=values.index, dtype=object)


def _age_bands(birth: pd.Series, as_of: date) -> pd.Series:
    """Age in whole years on ``as_of`` (birthday passed or not), then its band."""
    had_birthday = (birth.dt.month < as_of.month) | (
        (birth.dt.month == as_of.month) & (birth.dt.day <= as_of.day)
    )
    age = as_of.year - birth.dt.year - (~had_birthday).astype("int64")
    lowers = [float(lower) for lower, _name in AGE_BANDS]
    names = [name for _lower, name in AGE_BANDS]
    return _banded(age, [*lowers, float("inf")], names, birth.notna())


def _money_bands(cents: pd.Series, bands: tuple[tuple[int | None, str], ...]) -> pd.Series:
    uppers = [float(u) * 100 for u, _name in bands if u is not None]
    names = [name for _u, name in bands]
    return _banded(cents, [float("-inf"), *uppers, float("inf")], names, cents.notna())


def household_profile(frames: BookFrames, as_of: date) -> pd.DataFrame:
    """One row per client household with its band on every dimension (primary contact's age, location and
    risk tolerance; members' income and net worth summed)."""
    aum = client_aum(frames, as_of)
    ids = aum.index
    primary = frames.members.reindex(ids)
    income, worth = primary["income_cents"], primary["net_worth_cents"]
    location = primary["region"].where(primary["region"].notna() & (primary["region"] != ""), primary["city"])
    location = location.where(location.notna() & (location != ""), primary["country"])
    profile = pd.DataFrame(index=ids)
    profile["age"] = _age_bands(primary["birth_date"], as_of)
    profile["income"] = _money_bands(income, INCOME_BANDS)
    profile["net_worth"] = _money_bands(worth, NET_WORTH_BANDS)
    profile["location"] = location.fillna(UNKNOWN).replace("", UNKNOWN)
    profile["risk_tolerance"] = primary["risk_tolerance"].fillna(UNKNOWN).replace("", UNKNOWN)
    profile["aum"] = aum
    profile["revenue"] = fees_t12m(frames, as_of)["total_cents"].reindex(ids, fill_value=0)
    return profile


def distributions(frames: BookFrames, as_of: date) -> dict[str, list[Band]]:
    """Per dimension, its bands in a natural order (bands by size; locations by households)."""
    profile = household_profile(frames, as_of)
    order = {
        "age": [name for _, name in AGE_BANDS],
        "income": [name for _, name in INCOME_BANDS],
        "net_worth": [name for _, name in NET_WORTH_BANDS],
    }
    out: dict[str, list[Band]] = {}
    for dim in DIMENSIONS:
        by_band = profile.groupby(dim, sort=False)
        grouped = by_band[["aum", "revenue"]].sum()
        grouped["households"] = by_band.size()
        if dim in order:
            labels = [x for x in [*order[dim], UNKNOWN] if x in grouped.index]
        else:
            labels = list(grouped.sort_values(["households", "aum"], ascending=False).index)
        out[dim] = [
            Band(
                str(label),
                int(grouped.at[label, "households"]),
                money(int(grouped.at[label, "aum"])),
                money(int(grouped.at[label, "revenue"])),
            )
            for label in labels
        ]
    return out
