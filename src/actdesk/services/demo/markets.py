"""Accounts and ten years of month-end balances driven by one simulated market plus each account's flows.

Every account's value follows B[m] = B[m-1] * (1 + r[m] + f[m]): r mixes a shared equity and bond series by the
household's risk tolerance (so market moves show in every account together), f is the month's flow as a share
of the balance (contributions, retirement withdrawals, lumps, silent erosion). Because the path is linear in
its starting value, it is scaled afterwards to hit the household's drawn assets exactly; everything is numpy
over an accounts x months matrix.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from actdesk.services.demo.households import CLIENT, MONTHS, NEVER, OUTFLOWS, PROSPECT, Households
from actdesk.services.demo.wealth import Wealth

EQUITY_WEIGHT = {"conservative": 0.3, "moderate": 0.5, "growth": 0.7, "aggressive": 0.85}
MANAGED_TYPES = ("brokerage", "ira", "roth_ira", "trust", "529")
HELD_TYPES = ("401k", "insurance", "annuity", "checking", "brokerage")


@dataclass
class Accounts:
    household: np.ndarray
    managed: np.ndarray
    types: list[str]
    open: np.ndarray  # first month with a balance
    ref: np.ndarray  # last month with a positive balance
    closed: np.ndarray  # True: a zero balance and a transfer out in month ref + 1 (the household left)
    opened_with_transfer: np.ndarray
    custodian: list[str]


@dataclass
class Series:
    balance: np.ndarray  # accounts x months, cents (only meaningful inside [open, ref] and the closing month)
    flow: np.ndarray  # accounts x months, cents (0 = none)
    flow_kind: np.ndarray  # accounts x months, index into FLOW_KINDS
    household_aum: np.ndarray  # households x months, managed balances in dollars
    equity: np.ndarray  # the market's monthly returns (the accounts of returning households follow it too)
    bonds: np.ndarray


FLOW_KINDS = ("deposit", "withdrawal", "transfer_in", "transfer_out")


def market_series(rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray]:
    """Monthly equity and bond returns: about 9%/16% and 3.5%/5% a year (mean/volatility), fat-tailed equity."""
    equity = 0.0075 + 0.046 * rng.standard_t(5, MONTHS) / np.sqrt(5 / 3)
    bonds = 0.0029 + 0.0145 * rng.standard_normal(MONTHS) + 0.05 * (equity - 0.0075)
    equity[0] = bonds[0] = 0.0
    return equity, bonds


def plan_accounts(
    hh: Households,
    wealth: Wealth,
    ages: dict[int, int],
    custodians: tuple[tuple[str, ...], tuple[str, ...]],
    rng: np.random.Generator,
) -> tuple[Accounts, np.ndarray]:
    """Accounts and the value each must reach at its reference month."""
    managed_custodians, held_custodians = custodians
    house = managed_custodians[int(rng.integers(len(managed_custodians)))]
    household, managed, types, opens, refs, closed, transfer, custodian, targets = ([] for _ in range(9))
    last = MONTHS - 1
    for h in range(hh.n):
        kind = hh.kind[h]
        if kind not in (CLIENT, PROSPECT):
            continue
        retired = ages[h] >= 66
        if kind == CLIENT:
            start = max(int(hh.since[h]), 0)
            departed = hh.until[h] < NEVER
            ref = int(hh.until[h]) - 1 if departed else last
            n_managed = int(rng.choice([1, 2, 3, 4], p=[0.3, 0.35, 0.25, 0.1]))
            n_held = int(rng.choice([0, 1, 2, 3], p=[0.3, 0.4, 0.22, 0.08]))
        else:
            start, departed, ref = last - int(rng.integers(3, 30)), False, last
            n_managed, n_held = 0, int(rng.choice([1, 2, 3], p=[0.4, 0.4, 0.2]))
        split_managed = rng.dirichlet(np.full(n_managed, 1.5)) * wealth.aum[h] if n_managed else []
        split_held = rng.dirichlet(np.full(n_held, 1.5)) * wealth.held_away[h] if n_held else []
        for k in range(n_managed + n_held):
            is_managed = k < n_managed
            if is_managed:
                pool = ("ira", "brokerage", "trust", "roth_ira") if retired else MANAGED_TYPES
                account_type = pool[0] if k == 0 else pool[int(rng.integers(len(pool)))]
                target = float(split_managed[k])
                name = (
                    house
                    if rng.random() < 0.85
                    else managed_custodians[int(rng.integers(len(managed_custodians)))]
                )
            else:
                pool = ("insurance", "annuity", "checking", "brokerage") if retired else HELD_TYPES
                account_type = pool[int(rng.integers(len(pool)))]
                target = float(split_held[k - n_managed])
                name = held_custodians[int(rng.integers(len(held_custodians)))]
            open_month = start
            if kind == CLIENT and k > 0 and rng.random() < 0.2:
                open_month = min(start + int(rng.integers(6, 48)), ref)
            household.append(h)
            managed.append(is_managed)
            types.append(account_type)
            opens.append(open_month)
            refs.append(ref)
            closed.append(departed and is_managed)
            transfer.append(is_managed and (open_month > 0 or hh.since[h] >= 0))
            custodian.append(name)
            targets.append(max(target, 1_000.0))
    accounts = Accounts(
        household=np.array(household, dtype=np.int64),
        managed=np.array(managed, dtype=bool),
        types=types,
        open=np.array(opens, dtype=np.int64),
        ref=np.array(refs, dtype=np.int64),
        closed=np.array(closed, dtype=bool),
        opened_with_transfer=np.array(transfer, dtype=bool),
        custodian=custodian,
    )
    return accounts, np.array(targets)


def simulate(
    hh: Households,
    accounts: Accounts,
    targets: np.ndarray,
    ages: dict[int, int],
    risks: dict[int, str],
    rng: np.random.Generator,
) -> Series:
    count = len(accounts.household)
    months = np.arange(MONTHS)
    equity, bonds = market_series(rng)
    weight = np.array([EQUITY_WEIGHT[risks[int(h)]] for h in accounts.household])
    types = np.array(accounts.types)
    returns = weight[:, None] * equity + (1 - weight[:, None]) * bonds
    returns += 0.009 * rng.standard_normal((count, MONTHS))
    steady = np.isin(types, ("insurance", "checking"))
    returns[steady] = np.where(types[steady] == "insurance", 0.0030, 0.0003)[:, None]
    returns[types == "annuity"] = 0.5 * returns[types == "annuity"] + 0.0012
    returns[:, 0] = 0.0

    # Flows as a share of the balance.
    age_at = np.array([ages[int(h)] for h in accounts.household])[:, None] - (MONTHS - 1 - months) / 12.0
    saver = (age_at < 62) & np.isin(types, ("401k", "ira", "roth_ira", "brokerage", "529"))[:, None]
    flows = np.where(
        saver & (rng.random((count, MONTHS)) < 0.22), rng.uniform(0.003, 0.02, (count, MONTHS)), 0
    )
    drawer = (age_at >= 66) & np.isin(types, ("ira", "brokerage", "trust"))[:, None] & (months % 3 == 0)
    flows -= np.where(
        drawer & (rng.random((count, MONTHS)) < 0.9), rng.uniform(0.008, 0.014, (count, MONTHS)), 0
    )
    lumps = rng.random((count, MONTHS)) < 0.006
    flows += np.where(
        lumps, rng.choice([-1.0, 1.0], (count, MONTHS)) * rng.uniform(0.03, 0.15, (count, MONTHS)), 0
    )
    flows[steady] = 0.0
    erosion = _erosion_mask(hh, accounts, rng)
    flows -= np.where(erosion, rng.uniform(0.02, 0.05, (count, MONTHS)), 0.0)

    inside = (months >= accounts.open[:, None] + 1) & (months <= accounts.ref[:, None])
    factor = np.where(inside, np.clip(1 + returns + flows, 0.5, None), 1.0)
    growth = np.cumprod(factor, axis=1)
    at_ref = growth[np.arange(count), accounts.ref]
    value = targets[:, None] * growth / at_ref[:, None]
    alive = (months >= accounts.open[:, None]) & (months <= accounts.ref[:, None])
    balance = np.where(alive, np.rint(value * 100), 0).astype(np.int64)
    previous = np.concatenate([np.zeros((count, 1)), value[:, :-1]], axis=1)
    flow = np.where(inside & (flows != 0), np.rint(flows * previous * 100), 0).astype(np.int64)
    kind = np.where(flow > 0, 0, 1).astype(np.int8)
    kind[erosion & (flow < 0) & (rng.random((count, MONTHS)) < 0.4)] = 3
    rows = np.arange(count)
    opening = accounts.opened_with_transfer
    flow[rows[opening], accounts.open[opening]] = balance[rows[opening], accounts.open[opening]]
    kind[rows[opening], accounts.open[opening]] = 2
    closing = accounts.closed
    close_month = accounts.ref[closing] + 1
    last_value = value[rows[closing], accounts.ref[closing]] * (1 + returns[rows[closing], close_month])
    flow[rows[closing], close_month] = -np.rint(last_value * 100).astype(np.int64)
    kind[rows[closing], close_month] = 3

    household_aum = np.zeros((hh.n, MONTHS))
    np.add.at(household_aum, accounts.household[accounts.managed], balance[accounts.managed] / 100.0)
    return Series(
        balance=balance, flow=flow, flow_kind=kind, household_aum=household_aum, equity=equity, bonds=bonds
    )


def _erosion_mask(hh: Households, accounts: Accounts, rng: np.random.Generator) -> np.ndarray:
    """Months of steady outflows: an episode that shows as outflows, in some of its managed accounts and
    some of its months (the departure itself is the closing transfer, not part of this)."""
    months = np.arange(MONTHS)
    start = np.full(len(accounts.household), NEVER)
    end = np.full(len(accounts.household), -1)
    for i, h in enumerate(accounts.household):
        if not accounts.managed[i] or not (hh.channels[h] & OUTFLOWS) or hh.episode_start[h] >= NEVER:
            continue
        if rng.random() < 0.85:
            start[i] = int(hh.episode_start[h]) + int(rng.integers(0, 4))
            end[i] = min(int(hh.episode_end[h]), int(hh.until[h])) - 1
    window = (months >= start[:, None]) & (months <= end[:, None])
    return window & (rng.random(window.shape) < 0.8)
