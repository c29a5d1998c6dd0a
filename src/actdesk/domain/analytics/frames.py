"""The book as a handful of pandas frames, as of one date: what every analytics function reads.

Storage fills it (``actdesk.storage.analytics_data.load_book_frames``); the domain only reads it, so the
analytics stay free of SQLAlchemy and can be tested on frames built by hand. Money is integer cents
(``int64``) so that sums are exact; dates are ``datetime64[ns]`` (``NaT`` when unknown).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

import pandas as pd

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
# Contacts who referred; center_of_influence: named one by a relationship (or a contact without a household).
REFERRER_COLUMNS = ("contact_id", "household_id", "first_name", "last_name", "center_of_influence")
# Per household with accounts (index household_id): accounts, managed accounts, distinct account types.
ACCOUNT_COLUMNS = ("accounts", "managed_accounts", "account_types")
AUM_COLUMNS = ("household_id", "date", "managed_cents", "held_away_cents")
FLOW_COLUMNS = ("household_id", "date", "inflow_cents", "outflow_cents")
FEE_COLUMNS = ("household_id", "date", "recurring_cents", "one_off_cents")
ACTIVITY_COLUMNS = ("household_id", "date", "completed", "last_completed")
# Every client period of the households that left and came back (the others' one period is their own
# client_since / client_until), ``storage/repositories/client_periods.py``.
PERIOD_COLUMNS = ("household_id", "start", "end", "leaving_reason")
REFERRAL_COLUMNS = ("referrer_contact_id", "referred_household_id", "date", "outcome")
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
OBSERVATION_COLUMNS = (
    "household_id",
    "obs_date",
    "aum_cents",
    "aum_6m_cents",
    "aum_12m_cents",
    "net_flows_6m_cents",
    "revenue_12m_cents",
    "contacts_12m",
    "last_contact",
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
    """Everything the KPIs need for one as-of date, pre-aggregated where SQL does it cheaper.

    ``snapshots`` are the as-of date and 6, 12 and 24 months before it (``dates.key_dates``), newest
    first. ``aum`` holds, per household that was a client at some point of the last 12 months and each of
    the first three snapshots, the sum of the latest balance on or before that date of its managed
    accounts, and of its held-away accounts at the as-of date (0 at the others). Contacts and accounts
    arrive summed per household (``members``, ``accounts``); only referrers come one row per contact.
    ``flows`` (managed
    accounts only), ``fees`` and ``activities`` (completed contacts) are summed per household over each
    interval (next-older snapshot, snapshot], labelled by the interval's end: fees over 24 months (the
    segments at the period start need the year before), flows and activities over 12 (activities only
    with the history, which is what reads them). ``monthly`` is the book-level
    monthly series for trends (empty when not loaded). ``observations`` is one row per household that was
    ever a client, measured at its observation time (the as-of date for current clients, shortly before
    leaving for former ones): the raw material of the retention model (None when not loaded).
    """

    as_of: date
    snapshots: tuple[date, ...]
    households: pd.DataFrame  # index household_id; HOUSEHOLD_COLUMNS
    members: pd.DataFrame  # index household_id; MEMBER_COLUMNS
    referrers: pd.DataFrame  # REFERRER_COLUMNS
    accounts: pd.DataFrame  # index household_id; ACCOUNT_COLUMNS
    aum: pd.DataFrame  # AUM_COLUMNS
    flows: pd.DataFrame  # FLOW_COLUMNS, managed accounts only
    fees: pd.DataFrame  # FEE_COLUMNS
    activities: pd.DataFrame  # ACTIVITY_COLUMNS (completed = count of completed activities)
    referrals: pd.DataFrame  # REFERRAL_COLUMNS
    monthly: pd.DataFrame = field(default_factory=lambda: pd.DataFrame(columns=list(MONTHLY_COLUMNS)))
    observations: pd.DataFrame | None = None  # OBSERVATION_COLUMNS; None when not loaded
    periods: pd.DataFrame = field(default_factory=lambda: empty_periods())  # PERIOD_COLUMNS
    # Loaded for the dashboard when asked for: the book's AUM (and AUM of clients with a known net worth)
    # on given days, and per yearly retention period (keyed by its start) the start's clients' outflows.
    day_aum: dict[date, tuple[int, int]] = field(default_factory=dict)
    period_outflows: dict[date, int] = field(default_factory=dict)
    # Derived tables computed once per frames (clients on a date, T12M fees...): the KPIs share them.
    memo: dict[tuple[object, ...], object] = field(default_factory=dict, repr=False, compare=False)

    @property
    def period_start(self) -> date:
        """The start of the default period: 12 months before the as-of date."""
        return self.snapshots[2]
