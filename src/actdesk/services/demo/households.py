"""Who is a client when: the households' life cycle over ten years, calibrated to yearly client retention.

Departures are drawn month by month: the number leaving each month is the monthly rate of the yearly
retention target applied to that month's clients (with carried rounding, so small books still hit it). Who
leaves is driven by a latent cause the data shows only partly: some clients go through a "disaffection
episode" (9-24 months), which makes them far more likely to leave once it has run for 8-14 months; each
episode shows through some of three channels only (fewer contacts, outflows, skipped reviews), each present
or not at random, and many episodes end without a departure. About a third of departures come with no
warning at all (deaths, moves, heirs). Drawing them once a year instead, from the state at the as-of month,
made the model's out-of-time AUC follow the calendar (a cycle no real book has). See docs/demo-book.md,
"Why clients leave".
"""

from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import date

import numpy as np

MONTHS = 121  # month-ends of ten years, both ends included
NEVER = 10**6

CLIENT, PROSPECT, COI = 0, 1, 2
SILENT, OUTFLOWS, NO_REVIEW = 1, 2, 4
EPISODE_RATE = 0.05  # chance a client begins a disaffection episode in a given year
EPISODE_WEIGHT = (
    350.0  # how much more likely a client in an episode (shown long enough) is to be the one leaving
)
LEAD_MONTHS = (8, 14)  # an episode shows for this long (months) before the client can move the money


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
    reserved: np.ndarray  # a client who simply keeps in touch less (unrelated to leaving: noise)
    episode_start: np.ndarray  # month a disaffection episode begins (NEVER: none)
    episode_end: np.ndarray  # month it ends (the departure month when it ends in one)
    channels: np.ndarray  # what the episode shows: SILENT | OUTFLOWS | NO_REVIEW bits (0: nothing)
    since_day: np.ndarray
    until_day: np.ndarray
    reason: list[str | None]

    @property
    def n(self) -> int:
        return len(self.kind)

    def is_client_at(self, month: int) -> np.ndarray:
        return np.asarray((self.kind == CLIENT) & (self.since <= month) & (self.until > month))


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
    reserved = np.zeros(n, dtype=bool)
    reserved[clients] = rng.random(len(clients)) < 0.15
    episode_start, episode_end = _episodes(n, clients, since, rng)
    channels = np.zeros(n, dtype=np.int64)
    for bit, share in ((SILENT, 0.65), (OUTFLOWS, 0.55), (NO_REVIEW, 0.5)):
        channels |= np.where(rng.random(n) < share, bit, 0)

    until = np.full(n, NEVER, dtype=np.int64)
    reason: list[str | None] = [None] * n
    texts = [text for text, _w in reasons]
    weights = np.array([w for _t, w in reasons])
    weights = weights / weights.sum()
    # Disaffection builds for some months before a client actually moves the money.
    lead = rng.integers(LEAD_MONTHS[0], LEAD_MONTHS[1] + 1, n)
    monthly = 1.0 - yearly_retention ** (1 / 12)
    carry = rng.random()
    for month in range(MONTHS - 1):  # who leaves during month + 1, drawn month by month: no calendar cycle
        present = np.nonzero((kind == CLIENT) & (since <= month) & (until > month))[0]
        carry += monthly * len(present)
        leaving = int(carry)
        carry -= leaving
        if leaving == 0 or len(present) == 0:
            continue
        ready = (episode_start[present] + lead[present] <= month + 1) & (episode_end[present] > month)
        risk = 1.0 + EPISODE_WEIGHT * ready
        picked = rng.choice(len(present), size=min(leaving, len(present)), replace=False, p=risk / risk.sum())
        for i in picked.tolist():
            h = present[i]
            until[h] = month + 1
            if ready[i]:
                episode_end[h] = until[h]
                reason[h] = texts[rng.choice(len(texts), p=weights)]
            else:  # no warning: a death, a move, heirs taking over
                reason[h] = death_reason if rng.random() < 0.35 else texts[rng.choice(len(texts), p=weights)]
    until_day = rng.integers(1, 29, n)
    return Households(
        kind, since, until, reserved, episode_start, episode_end, channels, since_day, until_day, reason
    )


def _episodes(
    n: int, clients: np.ndarray, since: np.ndarray, rng: np.random.Generator
) -> tuple[np.ndarray, np.ndarray]:
    """At most one disaffection episode per client: its first month (at ``EPISODE_RATE`` a year over
    the history, after the relationship began) and its length of 6-24 months."""
    start = np.full(n, NEVER, dtype=np.int64)
    end = np.full(n, NEVER, dtype=np.int64)
    monthly = 1.0 - (1.0 - EPISODE_RATE) ** (1 / 12)
    first = rng.geometric(monthly, len(clients)) - 1 + np.maximum(since[clients], 0) + 6
    has = first < MONTHS - 1
    start[clients[has]] = first[has]
    end[clients[has]] = first[has] + rng.integers(9, 25, int(has.sum()))
    return start, end
