"""Small shared readers of ``BookFrames``: who is a client on a date, AUM, flows and fees per household."""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from datetime import date
from decimal import Decimal
from typing import TypeVar, cast

import numpy as np
import pandas as pd

from actdesk.domain.analytics.dates import DAYS_PER_YEAR
from actdesk.domain.analytics.frames import BookFrames
from actdesk.domain.money import ZERO, from_cents

T = TypeVar("T")


def memoized(frames: BookFrames, key: tuple[object, ...], build: Callable[[], T]) -> T:
    """``build()`` once per frames and key. Callers must not modify what they get back."""
    if key not in frames.memo:
        frames.memo[key] = build()
    return cast(T, frames.memo[key])


def money(cents: int | float | None) -> Decimal:
    """Integer cents to Decimal currency units (zero for missing)."""
    if cents is None or cents is pd.NA or (isinstance(cents, float) and math.isnan(cents)):
        return ZERO  # (pd.isna costs more than the conversion: thousands of calls per KPI run)
    return from_cents(int(cents)) or ZERO


def ratio(numerator: float, denominator: float) -> float | None:
    """A rate, or None when it is undefined (nothing to divide by)."""
    return None if not denominator else float(numerator) / float(denominator)


def client_mask(households: pd.DataFrame, day: date, periods: pd.DataFrame | None = None) -> pd.Series:
    """The issue's definition: client_since <= D and (client_until empty or client_until > D). A household
    that left and came back (its rows in ``periods``, ``PERIOD_COLUMNS``) is a client on D when one of its
    periods holds D; the household's own columns are only its latest period."""
    ts = pd.Timestamp(day)
    since, until = households["client_since"], households["client_until"]
    mask = (since.notna() & (since <= ts) & (until.isna() | (until > ts))).astype(bool)
    if periods is None or periods.empty:
        return mask
    holds = (periods["start"] <= ts) & (periods["end"].isna() | (periods["end"] > ts))
    returning = households.index.isin(periods["household_id"].unique())
    inside = households.index.isin(periods.loc[holds, "household_id"].unique())
    return pd.Series(np.where(returning, inside, mask.to_numpy()), index=households.index, dtype=bool)


def client_matrix(
    households: pd.DataFrame, days: Sequence[date], periods: pd.DataFrame | None = None
) -> np.ndarray:
    """``client_mask`` of every household (rows) on every day (columns) at once, as int64 0/1."""
    when = pd.to_datetime(pd.Series(list(days))).to_numpy()[None, :]
    since = households["client_since"].to_numpy()[:, None]
    until = households["client_until"].to_numpy()[:, None]
    # NaT compares False: no client_since is never a client; no client_until is tested apart.
    out = np.asarray(((since <= when) & (pd.isna(until) | (until > when))).astype("int64"))
    if periods is not None and not periods.empty:
        rows = np.flatnonzero(households.index.isin(periods["household_id"].unique()))
        if len(rows):  # those that left and came back: a client when one of their periods holds the day
            start = periods["start"].to_numpy()[:, None]
            end = periods["end"].to_numpy()[:, None]
            holds = pd.DataFrame((start <= when) & (pd.isna(end) | (end > when)))
            per = holds.groupby(periods["household_id"].to_numpy()).max()
            out[rows] = per.reindex(households.index[rows]).to_numpy().astype("int64")
    return out


def period_on(frames: BookFrames, day: date) -> pd.DataFrame:
    """Per household: ``client_since``, ``client_until`` and ``leaving_reason`` of its period holding
    ``day``, else of the latest one begun by then (its own columns unless it left and came back)."""
    households, periods = frames.households, frames.periods
    view = households[["client_since", "client_until", "leaving_reason"]].copy()
    if periods.empty:
        return view
    begun = periods[periods["start"] <= pd.Timestamp(day)].sort_values("start")
    last = begun.groupby("household_id").tail(1).set_index("household_id")
    last = last.rename(columns={"start": "client_since", "end": "client_until"})
    view.loc[last.index.intersection(view.index)] = last.loc[
        last.index.intersection(view.index), ["client_since", "client_until", "leaving_reason"]
    ].to_numpy()
    return view


def tenure_years(frames: BookFrames, ids: pd.Index, day: date) -> pd.Series:
    """Years as a client up to ``day``: the sum of its client periods (the time away not counted), so a
    household that comes back is not a new client again (docs/metrics.md, "Leaving and returning")."""
    ts = pd.Timestamp(day)
    since = frames.households["client_since"].reindex(ids)
    days = (ts - since).dt.days.astype("float64")
    periods = frames.periods
    if not periods.empty:
        begun = periods[(periods["start"] <= ts) & periods["household_id"].isin(ids)]
        end = begun["end"].where(begun["end"].notna() & (begun["end"] < ts), ts)
        summed = (end - begun["start"]).dt.days.groupby(begun["household_id"]).sum()
        days.loc[summed.index] = summed.astype("float64")
    return days / DAYS_PER_YEAR


def clients_on(frames: BookFrames, day: date) -> pd.Index:
    """Ids of the households that are clients on ``day``, ascending."""
    households = frames.households
    return memoized(
        frames,
        ("clients", day),
        lambda: households.index[client_mask(households, day, frames.periods)].sort_values(),
    )


def snapshot_index(frames: BookFrames, day: date) -> int:
    try:
        return frames.snapshots.index(day)
    except ValueError:
        raise ValueError(
            f"{day} is not one of the loaded snapshot dates {[d.isoformat() for d in frames.snapshots]}"
        ) from None


def aum_at(frames: BookFrames, day: date, column: str = "managed_cents") -> pd.Series:
    """Balance (cents) per household on ``day`` (a loaded snapshot): every household with accounts."""
    if snapshot_index(frames, day) > 2:
        raise ValueError(f"balances are loaded at the first three snapshots only, not at {day}")
    if column == "held_away_cents" and day != frames.as_of:
        raise ValueError(f"held-away balances are loaded at the as-of date only, not at {day}")

    def build() -> pd.Series:
        rows = frames.aum[frames.aum["date"] == pd.Timestamp(day)]
        return rows.set_index("household_id")[column].astype("int64")

    return memoized(frames, ("aum", day, column), build)


def client_aum(frames: BookFrames, day: date) -> pd.Series:
    """Managed AUM (cents) of each client household on ``day``; 0 for a client without balances."""
    ids = clients_on(frames, day)
    return memoized(
        frames, ("client_aum", day), lambda: aum_at(frames, day).reindex(ids, fill_value=0).astype("int64")
    )


def summed_over(frame: pd.DataFrame, labels: list[date], columns: list[str]) -> pd.DataFrame:
    """Per-household sums of ``columns`` over the intervals ending at ``labels``."""
    stamps = [pd.Timestamp(d) for d in labels]
    rows = frame[frame["date"].isin(stamps)]
    return rows.groupby("household_id")[columns].sum()


def t12m_labels(frames: BookFrames, end: date) -> list[date]:
    """The loaded intervals making the 12 months ending at ``end`` (the as-of date or the period start)."""
    i = snapshot_index(frames, end)
    if i == 0:
        return [frames.snapshots[0], frames.snapshots[1]]
    if i == 2:
        return [frames.snapshots[2]]
    raise ValueError(
        f"trailing 12 months are available ending at the as-of date or the period start, not {day_text(end)}"
    )


def day_text(day: date) -> str:
    return day.isoformat()


def fees_t12m(frames: BookFrames, end: date) -> pd.DataFrame:
    """Per household: recurring_cents, one_off_cents and total_cents over the 12 months ending at ``end``."""
    labels = t12m_labels(frames, end)

    def build() -> pd.DataFrame:
        sums = summed_over(frames.fees, labels, ["recurring_cents", "one_off_cents"]).astype("int64")
        sums["total_cents"] = sums["recurring_cents"] + sums["one_off_cents"]
        return sums

    return memoized(frames, ("fees_t12m", end), build)


def household_net_worth(frames: BookFrames) -> pd.Series:
    """Sum of the members' net worth (cents) per household; households where nobody's is known are absent."""
    return memoized(
        frames, ("net_worth",), lambda: frames.members["net_worth_cents"].dropna().astype("int64")
    )
