"""Ten years of contact with the households: semi-annual reviews plus calls, e-mails, meetings, tasks, events.

The volume scales with ``per_household`` (the benchmark asks for 50 per household, 500,000 in all). Reserved
households are contacted less all along (unrelated to leaving). During a disaffection episode whose channels
include SILENT, most contacts do not happen; with NO_REVIEW, reviews are skipped. Nothing here looks at the
departure date itself (see households.py and docs/demo-book.md). Activities after ``now`` are open (the schedule ahead); some past ones are left open too
(overdue tasks and calls an advisor forgot to log).
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import numpy as np

from actdesk.services.demo.content import Content
from actdesk.services.demo.households import (
    CLIENT,
    COI,
    MONTHS,
    NEVER,
    NO_REVIEW,
    SILENT,
    Grid,
    Households,
)
from actdesk.services.demo.people import People

KINDS = ("call", "meeting", "review", "task", "email", "event")
MIX = {
    CLIENT: (0.34, 0.12, 0.0, 0.22, 0.28, 0.04),  # reviews are scheduled separately, every six months
    COI: (0.3, 0.4, 0.0, 0.0, 0.2, 0.1),
}
PROSPECT_MIX = (0.4, 0.25, 0.0, 0.1, 0.25, 0.0)
DURATION = {"call": (15, 30), "meeting": (60, 90), "review": (60, 90), "event": (120, 180)}


def build_activities(
    hh: Households,
    people: People,
    grid: Grid,
    content: Content,
    per_household: float,
    now: datetime,
    rng: np.random.Generator,
) -> Iterator[dict[str, Any]]:
    """Rows in chronological order, yielded one by one (500,000 dicts would cost hundreds of megabytes)."""
    last = MONTHS - 1
    future = last + 3
    span_start = np.where(
        hh.kind == CLIENT, np.maximum(hh.since - 2, 0), np.where(hh.kind == COI, 0, last - 24)
    )
    span_end = np.where(hh.until < NEVER, np.minimum(hh.until, last), future)
    years = np.maximum(span_end - span_start + 1, 1) / 12.0
    weight = np.where(hh.kind == CLIENT, years, np.where(hh.kind == COI, 0.6 * years, 0.5))
    # Thinning (below) removes about 5% on average; ask for that much more so the book gets the average asked.
    budget = rng.multinomial(round(per_household * hh.n / 0.95), weight / weight.sum())

    chosen_h: list[int] = []
    chosen_month: list[int] = []
    chosen_kind: list[int] = []
    review = KINDS.index("review")
    for h in range(hh.n):
        months: list[int] = []
        if hh.kind[h] == CLIENT:
            first = int(span_start[h]) + 4
            months = list(range(first, int(span_end[h]) + 1, 6))[-max(int(budget[h]) // 3, 1) :]
        for m in months:
            chosen_h.append(h)
            chosen_month.append(m)
            chosen_kind.append(review)
        others = max(int(budget[h]) - len(months), 0)
        if others:
            mix = np.array(MIX.get(int(hh.kind[h]), PROSPECT_MIX))
            chosen_h.extend([h] * others)
            chosen_month.extend(rng.integers(span_start[h], span_end[h] + 1, others).tolist())
            chosen_kind.extend(rng.choice(len(KINDS), size=others, p=mix / mix.sum()).tolist())
    h_arr = np.array(chosen_h, dtype=np.int64)
    m_arr = np.array(chosen_month, dtype=np.int64)
    k_arr = np.array(chosen_kind, dtype=np.int64)
    keep = _thin(hh, h_arr, m_arr, k_arr == review, rng)
    h_arr, m_arr, k_arr = h_arr[keep], m_arr[keep], k_arr[keep]
    total = len(h_arr)
    day = rng.integers(1, 29, total)
    minute = rng.integers(8 * 4, 17 * 4, total) * 15
    order = np.lexsort((h_arr, minute, day, m_arr))
    zone = ZoneInfo(content.timezone)
    locations, outcomes, notes = content.locations, content.outcomes, content.activity_notes
    subjects = {kind: content.subjects[kind] for kind in KINDS}
    spins = rng.random((total, 6))
    day_cache: dict[tuple[int, int], date] = {}
    for new_id, i in enumerate(order.tolist(), start=1):
        h, kind = int(h_arr[i]), KINDS[k_arr[i]]
        key = (int(m_arr[i]), int(day[i]))
        on = day_cache.get(key)
        if on is None:
            on = day_cache[key] = grid.day(*key)
        local = datetime.combine(on, time(int(minute[i]) // 60, int(minute[i]) % 60), zone)
        start = local.astimezone(UTC)
        spin = spins[i]
        span = DURATION.get(kind)
        duration = span[int(spin[0] * 2)] if span else None
        done = start < now and spin[1] < (0.85 if kind == "task" else 0.965)
        completed = None
        if done:
            completed = start + timedelta(minutes=duration or 5 + int(spin[2] * 2000))
            completed = min(completed, now)
        contact = people.primary[h]
        if h in people.spouse and spin[3] < 0.2:
            contact = people.spouse[h]
        pool = subjects[kind]
        yield (
            {
                "id": new_id,
                "household_id": h + 1,
                "contact_id": contact,
                "kind": kind,
                "subject": pool[int(spin[4] * len(pool))],
                "start": start,
                "duration_minutes": duration,
                "due_date": on + timedelta(days=int(spin[5] * 14)) if kind == "task" else None,
                "location": locations[int(spin[2] * len(locations))]
                if kind in ("meeting", "review", "event")
                else None,
                "notes": notes[int(spin[5] * len(notes))]
                if kind in ("meeting", "review") and spin[3] > 0.85
                else None,
                "outcome": outcomes[int(spin[0] * len(outcomes))]
                if done and kind in ("call", "review") and spin[5] < 0.4
                else None,
                "completed_at": completed,
                "owner": None,
                "rrule": None,
                "created_at": min(start - timedelta(days=int(spin[4] * 21)), now),
            }
        )


def _thin(
    hh: Households, h: np.ndarray, m: np.ndarray, is_review: np.ndarray, rng: np.random.Generator
) -> np.ndarray:
    """Fewer contacts for reserved households, and far fewer during an episode that shows as silence
    (most calls and e-mails, and many reviews, do not happen); skipped reviews during one that shows as
    such."""
    draw = rng.random(len(h))
    keep = ~(hh.reserved[h] & (draw < 0.3))
    episode = (m >= hh.episode_start[h]) & (m <= hh.episode_end[h])
    silent = episode & ((hh.channels[h] & SILENT) > 0)
    keep &= ~(silent & np.where(is_review, draw < 0.8, draw < 0.95))
    keep &= ~(episode & ((hh.channels[h] & NO_REVIEW) > 0) & is_review & (draw < 0.95))
    return np.asarray(keep)
