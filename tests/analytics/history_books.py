"""A second book generator, written for the tests: different causes, noise and size from the demo's.

The demo (services/demo) drives departures by disaffection episodes that show as silence, outflows and
skipped reviews. Here the causes are others: a fee increase on a portfolio lagging the book, a household
consolidating its assets elsewhere (the share of investable assets with us falling), and the death of a
spouse (a life event, after which heirs often move the money); contacts and reviews are noise. A share of
departures has no cause at all, some households come back after leaving (a second client period), and
``random_departures`` makes every departure causeless: a book where nothing can predict who leaves.
It builds the model's input (``HouseholdHistory``) directly, without a database.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import numpy as np

from actdesk.domain.analytics.dates import shift_months
from actdesk.domain.analytics.history import HouseholdHistory, client_matrices, earlier_tenure
from actdesk.domain.analytics.periods import ClientPeriod


def generated_history(
    households: int,
    seed: int,
    *,
    months: int = 96,
    random_departures: bool = False,
    as_of: date = date(2026, 11, 30),
) -> tuple[HouseholdHistory, list[ClientPeriod]]:
    rng = np.random.default_rng(seed)
    n, count = households, months
    grid = [shift_months(as_of, k - count + 1) for k in range(count)]
    joined = np.where(rng.random(n) < 0.6, -rng.integers(1, 120, n), rng.integers(0, count - 6, n))
    birth_year = as_of.year - rng.normal(60, 11, n)
    market = rng.normal(0.006, 0.035, count)
    # Causes, each an episode with a start month (or never).
    never = 10**6
    fee_start = np.where(rng.random(n) < 0.25, rng.integers(6, count, n), never)
    consolidate_start = np.where(rng.random(n) < 0.2, rng.integers(6, count, n), never)
    widowed = np.where(rng.random(n) < 0.06, rng.integers(6, count, n), never)
    managed = np.zeros((n, count))
    held_away = np.zeros((n, count))
    inflow, withdrawal, transfer_out = (np.zeros((n, count)) for _ in range(3))
    contacts = rng.poisson(0.35, (n, count)).astype(float)
    reviews = (rng.random((n, count)) < 1 / 12).astype(float)
    life = np.zeros((n, count))
    fees = np.zeros((n, count))
    refs = (rng.random((n, count)) < 0.002).astype(float)
    periods: list[ClientPeriod] = []
    start_aum = np.exp(rng.normal(np.log(400_000), 1.2, n))
    for h in range(n):
        m0 = max(int(joined[h]), 0)
        aum, away = float(start_aum[h]), float(start_aum[h] * rng.uniform(0.3, 1.5))
        client, since, returns_left = True, int(joined[h]), 1
        lag = rng.normal(0, 0.004)
        for m in range(m0, count):
            if not client:
                if returns_left and rng.random() < 0.02:
                    client, since, returns_left = True, m, 0
                    aum = float(start_aum[h] * 0.8)
                    inflow[h, m] += aum
                else:
                    continue
            fee_hike = m >= fee_start[h]
            consolidating = m >= consolidate_start[h]
            grieving = widowed[h] <= m < widowed[h] + 18
            if m == widowed[h]:
                life[h, m] += 1
            ret = market[m] + lag + rng.normal(0, 0.01) - (0.015 if fee_hike else 0.0)
            flow = aum * rng.normal(0.002, 0.004)
            if flow > 0:
                inflow[h, m] += flow
            else:
                withdrawal[h, m] += -flow
            moved = aum * rng.uniform(0.03, 0.08) * (rng.random() < 0.7) if consolidating else 0.0
            away += moved
            transfer_out[h, m] += moved
            aum = max(aum * (1 + ret) + flow - moved, 1000.0)
            away *= 1 + market[m] * 0.5
            managed[h, m], held_away[h, m] = aum, away
            rate = 0.01 + (0.0035 if fee_hike else 0.0)
            fees[h, m] = aum * rate / 12
            hazard = 0.001
            if not random_departures:
                hazard *= (
                    1
                    + 25 * fee_hike * (m - fee_start[h] >= 4)
                    + 25 * consolidating * (m - consolidate_start[h] >= 4)
                    + 20 * grieving
                )
            else:
                hazard = 0.0045
            if rng.random() < hazard and m - max(since, 0) >= 1:
                periods.append(ClientPeriod(h + 1, _day(grid, since), _day(grid, m, 15)))
                transfer_out[h, m] += aum
                managed[h, m] = 0.0
                client = False
                fee_start[h] = consolidate_start[h] = never
        if client:
            periods.append(ClientPeriod(h + 1, _day(grid, since), None))
    ids = list(range(1, n + 1))
    client_m, left, start = client_matrices(ids, grid, periods)
    history = HouseholdHistory(
        grid,
        np.array(ids, dtype=np.int64),
        client_m,
        left,
        start,
        managed,
        held_away,
        inflow,
        withdrawal,
        transfer_out,
        contacts,
        reviews,
        life,
        fees,
        refs,
        birth_year,
        earlier_months=earlier_tenure(ids, grid, periods),
    )
    return history, periods


def _day(grid: list[date], month: int, day: int = 1) -> date:
    """A day in month ``month`` of the grid (months before it counted back from its first month-end)."""
    end = shift_months(grid[0], month) if month < 0 else grid[month]
    return end.replace(day=min(day, end.day))


# The history's household x month matrices (those a window of months cuts alike).
MATRICES = (
    "client",
    "left",
    "managed",
    "held_away",
    "inflow",
    "withdrawal",
    "transfer_out",
    "contacts",
    "reviews",
    "life_events",
    "fees",
)


def last_months(history: HouseholdHistory, k: int) -> HouseholdHistory:
    """The same book seen through its last ``k`` month-ends only (what scoring with a kept model loads)."""
    cut = len(history.months) - k
    changes = {name: getattr(history, name)[:, cut:] for name in MATRICES}
    if history.earlier_months is not None:  # from the periods' dates: a window keeps them
        changes["earlier_months"] = history.earlier_months[:, cut:]
    ever = np.cumsum(history.referrals_made, axis=1)[:, cut:]
    refs = np.diff(ever, axis=1, prepend=0)  # referrals before the window count in its first month
    return replace(
        history,
        months=history.months[cut:],
        period_start=history.period_start[:, cut:] - cut,
        referrals_made=refs,
        **changes,
    )
