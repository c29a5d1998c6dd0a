"""How much each household has: managed assets, share of wallet and net worth, drawn to published shapes.

Managed assets follow a log-normal (advisory books are heavily skewed: the top fifth of households bring most
of the revenue). Draws are stratified - one per quantile band, shuffled - so that even a 40-household book
has the intended spread instead of whatever a handful of random draws gives.
"""

from __future__ import annotations

from dataclasses import dataclass
from statistics import NormalDist

import numpy as np

from actdesk.services.demo.households import CLIENT, NEVER, PROSPECT, Households

MEDIAN_AUM = 520_000.0
AUM_SIGMA = 1.45  # log-normal spread: the top 20% of households then bring about two thirds of the fees
_NORMAL = NormalDist()


@dataclass
class Wealth:
    aum: np.ndarray  # managed assets at the reference month (as_of, or just before leaving), 0 for others
    share_of_wallet: np.ndarray  # NaN when not a client
    net_worth: np.ndarray  # NaN when unknown (centers of influence)
    held_away: np.ndarray  # total held-away assets the advisor knows about


def stratified_normal(count: int, rng: np.random.Generator) -> np.ndarray:
    if count == 0:
        return np.zeros(0)
    u = (rng.permutation(count) + rng.uniform(0.05, 0.95, count)) / count
    return np.array([_NORMAL.inv_cdf(float(x)) for x in u])


def plan_wealth(hh: Households, rng: np.random.Generator) -> Wealth:
    n = hh.n
    clients = np.nonzero(hh.kind == CLIENT)[0]
    prospects = np.nonzero(hh.kind == PROSPECT)[0]
    aum = np.zeros(n)
    # Stratified separately for today's clients and for those who left, so that today's book has the shape.
    for group in (clients[hh.until[clients] == NEVER], clients[hh.until[clients] < NEVER]):
        draws = stratified_normal(len(group), rng)
        aum[group] = np.clip(MEDIAN_AUM * np.exp(AUM_SIGMA * draws), 60_000, 40e6)
    sow = np.full(n, np.nan)
    band = rng.random(len(clients))
    core = 0.3 + 0.4 * rng.beta(2.2, 2.2, len(clients))
    low = rng.uniform(0.12, 0.3, len(clients))
    high = rng.uniform(0.7, 0.95, len(clients))
    sow[clients] = np.where(band < 0.8, core, np.where(band < 0.9, low, high))
    net_worth = np.full(n, np.nan)
    net_worth[clients] = aum[clients] / sow[clients]
    net_worth[prospects] = np.clip(
        900_000 * np.exp(0.9 * stratified_normal(len(prospects), rng)), 120_000, 30e6
    )
    rest = np.where(np.isfinite(net_worth), net_worth - aum, 0.0)
    held_away = rest * rng.uniform(0.25, 0.6, n)
    # Round to whole dollars so that the stored cents and the household sums agree exactly.
    net_worth = np.where(np.isfinite(net_worth), np.round(net_worth / 1000) * 1000, np.nan)
    return Wealth(aum=aum, share_of_wallet=sow, net_worth=net_worth, held_away=held_away)
