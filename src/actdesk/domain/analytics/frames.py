"""The book as a handful of pandas frames, as of one date: what the monthly series, the charts and the
retention model read. The KPIs read ``BookFrames.records`` (``records.py``), plain data loaded with them.

Storage fills it (``actdesk.storage.analytics_data.load_book_frames``); the domain only reads it. Money is integer cents
(``int64``) so that sums are exact; dates are ``datetime64[ns]`` (``NaT`` when unknown).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

import pandas as pd

from actdesk.domain.analytics.records import BookRecords

HOUSEHOLD_COLUMNS = ("name", "status", "client_since", "client_until", "leaving_reason")
# Per household with at least one contact (index household_id): members, their income and net worth
# summed (missing when nobody's is known) and the primary contact (the first with the primary role, else
# the first contact) with the details the analytics show.
MEMBER_COLUMNS = (
    "members",
    "income_cents",
    "net_worth_cents",
    "primary_contact_id",
    "first_name",
    "last_name",
    "birth_date",
    "risk_tolerance",
    "city",
    "region",
    "country",
)
# Every client period of the households that left and came back (the others' one period is their own
# client_since / client_until), ``storage/repositories/client_periods.py``.
PERIOD_COLUMNS = ("household_id", "start", "end", "leaving_reason")
MONTHLY_COLUMNS = (
    "date",
    "clients",
    "aum_cents",
    "aum_known_net_worth_cents",
    "net_worth_cents",
    "inflow_cents",
    "outflow_cents",
    "recurring_cents",
    "one_off_cents",
)


def empty_periods() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "household_id": pd.Series(dtype="int64"),
            "start": pd.Series(dtype="datetime64[ns]"),
            "end": pd.Series(dtype="datetime64[ns]"),
            "leaving_reason": pd.Series(dtype="object"),
        }
    )


@dataclass(frozen=True)
class BookFrames:
    """The book as of one date for the series and the model, with the KPIs' records (``records``).

    ``snapshots`` are the as-of date and 6, 12 and 24 months before it (``dates.key_dates``), newest
    first. Contacts arrive summed per household (``members``). ``monthly`` is the book-level monthly
    series for trends (empty when not loaded). The retention model reads its own monthly history
    (``storage/retention_history.py``), not these frames.
    """

    as_of: date
    snapshots: tuple[date, ...]
    households: pd.DataFrame  # index household_id; HOUSEHOLD_COLUMNS
    members: pd.DataFrame  # index household_id; MEMBER_COLUMNS
    monthly: pd.DataFrame = field(default_factory=lambda: pd.DataFrame(columns=list(MONTHLY_COLUMNS)))
    periods: pd.DataFrame = field(default_factory=lambda: empty_periods())  # PERIOD_COLUMNS
    # Loaded for the dashboard when asked for: the book's AUM (and AUM of clients with a known net worth)
    # on given days, and per yearly retention period (keyed by its start) the start's clients' outflows.
    day_aum: dict[date, tuple[int, int]] = field(default_factory=dict)
    period_outflows: dict[date, int] = field(default_factory=dict)
    # The same book as plain records, read by the same queries (``storage/book_records.py``): every KPI
    # and per-household figure is computed from them, the frames only feed the series and the model.
    kpi_records: BookRecords | None = field(default=None, repr=False, compare=False)

    @property
    def records(self) -> BookRecords:
        if self.kpi_records is None:
            raise ValueError("these frames were built without their records (load_book_frames loads both)")
        return self.kpi_records

    @property
    def period_start(self) -> date:
        """The start of the default period: 12 months before the as-of date."""
        return self.snapshots[2]
