"""Who is a client on a date, over the pandas households frame: what the monthly series and the yearly
retention trend read. The KPIs' own rule over plain records is ``HouseholdRecord.client_on``; both are
the same definition (docs/metrics.md)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

import numpy as np
import pandas as pd

from actdesk.domain.analytics.aum import money as money


def client_matrix(
    households: pd.DataFrame, days: Sequence[date], periods: pd.DataFrame | None = None
) -> np.ndarray:
    """Whether every household (rows) is a client on every day (columns), as int64 0/1: client_since <= D
    and (client_until empty or after D); for a household that left and came back (its rows in
    ``periods``, ``PERIOD_COLUMNS``) one of its periods holds D."""
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
