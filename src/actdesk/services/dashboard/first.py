"""The Book dashboard's first numbers: its tiles from SQL sums, shown before the frames, the charts and
the retention model (issue 21). Imports no pandas, numpy or matplotlib."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from actdesk.domain.analytics.config import AnalyticsConfig
from actdesk.domain.analytics.dates import key_dates
from actdesk.domain.analytics.first_tiles import first_kpis
from actdesk.storage.engine import Book
from actdesk.storage.repositories.first_tiles import tile_sums


@dataclass(frozen=True)
class FirstNumbers:
    """The tiles' KPIs (the keys of ``compute_kpis`` they show, equal to it) on ``as_of``."""

    as_of: date
    kpis: dict[str, Any]


def first_numbers(book: Book, as_of: date, config: AnalyticsConfig) -> FirstNumbers:
    _now, _six, start, prior = key_dates(as_of)
    with book.reader() as s:
        sums = tile_sums(s, as_of, start, prior)
    return FirstNumbers(as_of, first_kpis(sums, as_of, start, config))
