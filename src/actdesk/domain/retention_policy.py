"""Which backups to keep: grandfather-father-son thinning, as borg and restic prune it.

Pure and deterministic: give it the backups (id, when) and the counts; it says what to keep. Periods are
counted among periods that *have* a backup (a laptop closed for a week does not use up the daily slots),
and within a period the newest backup is the one kept.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Iterable
from dataclasses import dataclass
from datetime import datetime


@dataclass(frozen=True)
class RetentionPolicy:
    recent: int = 5  # the newest N, whatever their age (covers several backups in one day)
    daily: int = 7
    weekly: int = 4
    monthly: int = 12

    def __post_init__(self) -> None:
        for name in ("recent", "daily", "weekly", "monthly"):
            if getattr(self, name) < 0:
                raise ValueError(f"{name} must be zero or more")


@dataclass(frozen=True)
class BackupStamp:
    id: str
    created_at: datetime
    pinned: bool = False  # e.g. the safety copy taken before a restore: never thinned automatically


def _newest_per_period(
    items: list[BackupStamp], count: int, period: Callable[[datetime], Hashable]
) -> set[str]:
    kept: set[str] = set()
    seen: set[Hashable] = set()
    for item in items:  # newest first
        if len(seen) >= count:
            break
        key = period(item.created_at)
        if key not in seen:
            seen.add(key)
            kept.add(item.id)
    return kept


def backups_to_keep(backups: Iterable[BackupStamp], policy: RetentionPolicy) -> set[str]:
    """Ids of the backups to keep; every other one may be deleted."""
    items = sorted(backups, key=lambda b: (b.created_at, b.id), reverse=True)
    keep = {b.id for b in items[: policy.recent]}
    keep |= {b.id for b in items if b.pinned}
    keep |= _newest_per_period(items, policy.daily, lambda t: t.date())
    keep |= _newest_per_period(items, policy.weekly, lambda t: tuple(t.isocalendar())[:2])
    keep |= _newest_per_period(items, policy.monthly, lambda t: (t.year, t.month))
    return keep


def backups_to_delete(backups: Iterable[BackupStamp], policy: RetentionPolicy) -> list[str]:
    items = list(backups)
    keep = backups_to_keep(items, policy)
    return sorted((b.id for b in items if b.id not in keep), reverse=True)
