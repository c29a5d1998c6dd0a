"""A book whose departures are driven by known signals, to test the retention model's honesty.

Households at risk start withdrawing (4% of their assets a month) 12 months before they leave and stop
answering 14 months before; the others get regular contact and small deposits, and rarely leave. The
history is long enough for departures before the as-of date to train the model, and some households
leave in the year after it, which the model must not see but should rank as riskier.
"""

from __future__ import annotations

import calendar
from datetime import UTC, date, datetime

import numpy as np
from sqlalchemy import insert
from sqlalchemy.orm import Session

from actdesk.storage.tables.book import (
    AccountRow,
    ActivityRow,
    BalanceRow,
    ContactRow,
    FeeRow,
    FlowRow,
    HouseholdRow,
)

FIRST = date(2019, 1, 31)
LAST = date(2027, 6, 30)


def month_ends(first: date, last: date) -> list[date]:
    out, y, m = [], first.year, first.month
    while (y, m) <= (last.year, last.month):
        out.append(date(y, m, calendar.monthrange(y, m)[1]))
        y, m = (y + 1, 1) if m == 12 else (y, m + 1)
    return out


def signal_driven_book(s: Session, households: int = 240, seed: int = 11) -> None:
    rng = np.random.default_rng(seed)
    months = month_ends(FIRST, LAST)
    hh, people, accounts, balances, flows, fees, acts = [], [], [], [], [], [], []
    for h in range(1, households + 1):
        start = int(rng.integers(0, 60))
        risky = rng.random() < 0.35
        exit_idx: int | None = None
        if risky:
            exit_idx = start + int(rng.integers(18, 90))
        elif rng.random() < 0.05:
            exit_idx = start + int(rng.integers(12, 90))
        if exit_idx is not None and exit_idx >= len(months):
            exit_idx = None
        until = months[exit_idx] if exit_idx is not None else None
        hh.append(
            {
                "id": h,
                "name": f"Household {h}",
                "status": "former_client" if until else "client",
                "client_since": months[start],
                "client_until": until,
                "leaving_reason": "moved assets" if until else None,
            }
        )
        level = float(rng.uniform(50_000, 1_000_000))
        people.append(
            {
                "id": h,
                "household_id": h,
                "role": "primary",
                "first_name": "P",
                "last_name": str(h),
                "birth_date": date(int(rng.integers(1945, 1985)), 6, 1),
                "net_worth_cents": int(level * rng.uniform(1.5, 3.0) * 100),
            }
        )
        accounts.append({"id": h, "household_id": h, "custodian": "Schwab", "type": "ira", "managed": True})
        end = exit_idx if exit_idx is not None else len(months) - 1
        for k in range(start, end + 1):
            day = months[k]
            level *= 1 + float(rng.normal(0.005, 0.02))
            to_exit = None if exit_idx is None else exit_idx - k
            flow = 0.0
            if to_exit == 0:
                flow = -level
            elif risky and to_exit is not None and to_exit <= 12:
                flow = -0.04 * level
            elif not risky and rng.random() < 0.5:
                flow = 0.003 * level
            level += flow
            if flow:
                flows.append(
                    {
                        "account_id": h,
                        "date": day,
                        "amount_cents": int(flow * 100),
                        "kind": "deposit" if flow > 0 else "withdrawal",
                    }
                )
            balances.append({"account_id": h, "date": day, "balance_cents": max(0, int(level * 100))})
            fees.append(
                {"household_id": h, "date": day, "amount_cents": int(level * 0.0008 * 100), "recurring": True}
            )
            silent = risky and to_exit is not None and to_exit <= 14
            if not silent and k % 3 == h % 3:
                when = datetime(day.year, day.month, 15, 15, tzinfo=UTC)
                acts.append(
                    {
                        "household_id": h,
                        "kind": "call",
                        "subject": "Check-in",
                        "start": when,
                        "completed_at": when,
                    }
                )
    for table, rows in (
        (HouseholdRow, hh),
        (ContactRow, people),
        (AccountRow, accounts),
        (BalanceRow, balances),
        (FlowRow, flows),
        (FeeRow, fees),
        (ActivityRow, acts),
    ):
        s.execute(insert(table), rows)
