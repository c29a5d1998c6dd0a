"""Writing the generated book: Core inserts executed as large executemany batches, in one transaction.

Balances and flows are turned into rows chunk by chunk straight from the numpy matrices, so millions of rows
never exist as Python objects all at once.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from typing import Any

import numpy as np

from actdesk.services.demo.households import MONTHS, Grid, Households
from actdesk.services.demo.markets import FLOW_KINDS, Accounts, Series
from actdesk.storage.bulk import insert_dicts as insert

__all__ = ["BALANCE_COLUMNS", "FLOW_COLUMNS", "balance_rows", "flow_rows", "insert"]


BALANCE_COLUMNS = ("account_id", "date", "balance_cents")
FLOW_COLUMNS = ("id", "account_id", "date", "amount_cents", "kind")


def balance_rows(accounts: Accounts, series: Series, grid: Grid) -> Iterator[tuple[Any, ...]]:
    months = np.arange(MONTHS)
    alive = (months >= accounts.open[:, None]) & (months <= accounts.ref[:, None])
    closing = accounts.closed[:, None] & (months == accounts.ref[:, None] + 1)
    ends = grid.ends
    step = 2_000
    for first in range(0, len(accounts.household), step):
        part = slice(first, first + step)
        a_idx, m_idx = np.nonzero(alive[part] | closing[part])
        values = series.balance[part][a_idx, m_idx]
        for a, m, v in zip((a_idx + first + 1).tolist(), m_idx.tolist(), values.tolist(), strict=True):
            yield (a, ends[m], v)


def flow_rows(
    hh: Households, accounts: Accounts, series: Series, grid: Grid, rng: np.random.Generator
) -> Iterator[tuple[Any, ...]]:
    a_idx, m_idx = np.nonzero(series.flow)
    days = rng.integers(1, 29, len(a_idx))
    owners = accounts.household[a_idx]
    kinds = series.flow_kind[a_idx, m_idx]
    # Transfers in on the day the household arrived, transfers out on the day it left.
    arrival = (kinds == 2) & (m_idx == hh.since[owners])
    days = np.where(arrival, hh.since_day[owners], days)
    days = np.where((kinds == 3) & (m_idx == hh.until[owners]), hh.until_day[owners], days)
    order = np.lexsort((days, m_idx, a_idx))
    cache: dict[tuple[int, int], date] = {}
    amounts = series.flow[a_idx, m_idx]
    for new_id, i in enumerate(order.tolist(), start=1):
        key = (int(m_idx[i]), int(days[i]))
        on = cache.get(key)
        if on is None:
            on = cache[key] = grid.day(*key)
        yield (new_id, int(a_idx[i]) + 1, on, int(amounts[i]), FLOW_KINDS[int(kinds[i])])
