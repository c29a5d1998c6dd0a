"""Who is a client when: the households' life cycle over ten years, calibrated to yearly client retention.

Departures are drawn year by year as in the analytics' definition of retention (clients at the start of a
12-month period who are gone at its end): the number leaving each year is the retention target applied to that
year's clients (with carried rounding, so small books still hit it), and who leaves is weighted by risk signals
that the rest of the generator makes visible (outflows, thin contact, low share of wallet).
"""

from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import date

import numpy as np

MONTHS = 121  # month-ends of ten years, both ends included
NEVER = 10**6

CLIENT, PROSPECT, COI = 0, 1, 2


def month_end(year: int, month: int) -> date:
    return date(year, month, calendar.monthrange(year, month)[1])


def shift_month(day: date, months: int) -> tuple[int, int]:
    index = day.year * 12 + day.month - 1 + months
    return index // 12, index % 12 + 1


@dataclass
class Grid:
    """The month-ends of the history: index 0 is ten years before the last month-end on or before as_of."""

    as_of: date
    ends: list[date]

    @classmethod
    def ending(cls, as_of: date) -> Grid:
        last = month_end(as_of.year, as_of.month)
        if last > as_of:
            last = month_end(*shift_month(as_of, -1))
        ends = [month_end(*shift_month(last, k - MONTHS + 1)) for k in range(MONTHS)]
        return cls(as_of=as_of, ends=ends)

    def day(self, month: int, day_of_month: int) -> date:
        """A day inside month ``month`` (may be before the history or after it)."""
        year, mon = shift_month(self.ends[-1], month - (MONTHS - 1))
        return date(year, mon, min(day_of_month, calendar.monthrange(year, mon)[1]))


@dataclass
class Households:
    kind: np.ndarray  # CLIENT (ever a client), PROSPECT, COI
    since: np.ndarray  # month index the relationship began (negative: before the history); NEVER if none
    until: np.ndarray  # month index of departure; NEVER if still a client
    fragile: np.ndarray  # weak relationship: more likely to leave, shows fewer contacts and outflows first
    eroding: np.ndarray  # current client silently withdrawing in the last months
    since_day: np.ndarray
    until_day: np.ndarray
    reason: list[str | None]

    @property
    def n(self) -> int:
        return len(self.kind)

    def is_client_at(self, month: int) -> np.ndarray:
        return (self.kind == CLIENT) & (self.since <= month) & (self.until > month)


def plan_households(
    n: int,
    rng: np.random.Generator,
    reasons: tuple[tuple[str, float], ...],
    death_reason: str,
    yearly_retention: float = 0.962,
) -> Households:
    n_coi = 0 if n < 8 else max(1, round(n * 0.025))
    n_prospect = max(1, round(n * 0.12)) if n >= 4 else 0
    kind = np.full(n, CLIENT, dtype=np.int8)
    order = rng.permutation(n)
    kind[order[:n_coi]] = COI
    kind[order[n_coi : n_coi + n_prospect]] = PROSPECT
    clients = np.nonzero(kind == CLIENT)[0]

    since = np.full(n, NEVER, dtype=np.int64)
    # Slightly more than half were already clients when the history starts; the rest joined over ten years.
    veteran = rng.random(len(clients)) < 0.55
    since[clients] = np.where(
        veteran, -rng.integers(1, 180, len(clients)), rng.integers(1, MONTHS, len(clients))
    )
    since_day = rng.integers(1, 29, n)
    fragile = np.zeros(n, dtype=bool)
    fragile[clients] = rng.random(len(clients)) < 0.18

    until = np.full(n, NEVER, dtype=np.int64)
    reason: list[str | None] = [None] * n
    texts = [text for text, _w in reasons]
    weights = np.array([w for _t, w in reasons])
    weights = weights / weights.sum()
    carry = rng.random()
    for year in range(10):
        start = year * 12 + (MONTHS - 1) % 12
        if start >= MONTHS - 1:
            break
        present = np.nonzero((kind == CLIENT) & (since <= start) & (until > start))[0]
        carry += (1.0 - yearly_retention) * len(present)
        leaving = int(carry)
        carry -= leaving
        if leaving == 0 or len(present) == 0:
            continue
        risk = np.where(fragile[present], 6.0, 1.0) * np.where(since[present] > start - 36, 1.5, 1.0)
        chosen = rng.choice(present, size=min(leaving, len(present)), replace=False, p=risk / risk.sum())
        until[chosen] = start + rng.integers(1, 13, len(chosen))
        for h in chosen:
            reason[h] = death_reason if rng.random() < 0.08 else texts[rng.choice(len(texts), p=weights)]
    departed = until < NEVER
    eroding = (kind == CLIENT) & ~departed & (rng.random(n) < 0.05)
    until_day = rng.integers(1, 29, n)
    return Households(kind, since, until, fragile, eroding, since_day, until_day, reason)
