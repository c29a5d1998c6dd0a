"""Writing the generated book: SQLAlchemy Core ``insert()`` executemany in one transaction, in large batches.

Balances and flows are turned into rows chunk by chunk straight from the numpy matrices, so millions of rows
never exist as Python objects all at once.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from datetime import date
from typing import Any

import numpy as np
from sqlalchemy import Connection

from actdesk.services.demo.households import MONTHS, Grid, Households
from actdesk.services.demo.markets import FLOW_KINDS, Accounts, Series
from actdesk.storage.tables.base import Base

BATCH = 50_000


def insert(conn: Connection, table: str, rows: Iterable[dict[str, Any]]) -> int:
    target = Base.metadata.tables[table]
    count = 0
    batch: list[dict[str, Any]] = []
    for row in rows:
        batch.append(row)
        if len(batch) >= BATCH:
            conn.execute(target.insert(), batch)
            count += len(batch)
            batch = []
    if batch:
        conn.execute(target.insert(), batch)
        count += len(batch)
    return count


def balance_rows(accounts: Accounts, series: Series, grid: Grid) -> Iterator[dict[str, Any]]:
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
            yield {"account_id": a, "date": ends[m], "balance_cents": v}


def flow_rows(
    hh: Households, accounts: Accounts, series: Series, grid: Grid, rng: np.random.Generator
) -> Iterator[dict[str, Any]]:
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
        yield {
            "id": new_id,
            "account_id": int(a_idx[i]) + 1,
            "date": on,
            "amount_cents": int(amounts[i]),
            "kind": FLOW_KINDS[int(kinds[i])],
        }
