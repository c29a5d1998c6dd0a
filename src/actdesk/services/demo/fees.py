"""Fee revenue: tiered AUM fees billed quarterly in arrears, and occasional one-off planning fees."""

from __future__ import annotations

from typing import Any

import numpy as np

from actdesk.services.demo.households import CLIENT, MONTHS, Grid, Households

TIERS = ((1_000_000.0, 0.0100), (float("inf"), 0.0075))  # 1% on the first $1M, 0.75% above
PLANNING_FEES = (1_500, 2_500, 3_500, 5_000)


def annual_fee(aum: np.ndarray) -> np.ndarray:
    """The yearly fee on an array of managed assets under the tiered schedule."""
    fee = np.zeros_like(aum)
    floor = 0.0
    for ceiling, rate in TIERS:
        fee += np.clip(aum - floor, 0, ceiling - floor) * rate
        floor = ceiling
    return fee


def build_fees(
    hh: Households, grid: Grid, household_aum: np.ndarray, rng: np.random.Generator
) -> list[dict[str, Any]]:
    rows: list[dict[str, Any]] = []
    quarter_ends = [m for m in range(1, MONTHS) if grid.ends[m].month % 3 == 0]
    for m in quarter_ends:
        billed = hh.is_client_at(m) & (household_aum[:, m] > 0)
        amounts = np.rint(annual_fee(household_aum[:, m]) / 4 * 100).astype(np.int64)
        for h in np.nonzero(billed & (amounts > 0))[0]:
            rows.append(
                {
                    "household_id": int(h) + 1,
                    "date": grid.ends[m],
                    "amount_cents": int(amounts[h]),
                    "recurring": True,
                }
            )
    # Planning fees: at onboarding for some new clients, and now and then for a plan update.
    for h in np.nonzero(hh.kind == CLIENT)[0]:
        start, end = max(int(hh.since[h]), 1), min(int(hh.until[h]), MONTHS) - 1
        if start > end:
            continue
        moments = [start] if hh.since[h] >= 1 and rng.random() < 0.4 else []
        years = (end - start + 1) / 12
        moments += list(rng.integers(start, end + 1, rng.poisson(0.07 * years)))
        for m in sorted(moments):
            day = grid.day(int(m), int(rng.integers(1, 29)))
            amount = PLANNING_FEES[int(rng.integers(len(PLANNING_FEES)))]
            rows.append(
                {"household_id": int(h) + 1, "date": day, "amount_cents": amount * 100, "recurring": False}
            )
    rows.sort(key=lambda r: (r["date"], r["household_id"], not r["recurring"]))
    for i, row in enumerate(rows, start=1):
        row["id"] = i
    return rows
