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
CONTACT_COLUMNS = (
    "contact_id",
    "household_id",
    "role",
    "first_name",
    "last_name",
    "birth_date",
    "income_cents",
    "net_worth_cents",
    "risk_tolerance",
    "city",
    "region",
    "country",
)
ACCOUNT_COLUMNS = ("account_id", "household_id", "type", "managed")
AUM_COLUMNS = ("household_id", "date", "managed_cents", "held_away_cents")
FLOW_COLUMNS = ("household_id", "date", "inflow_cents", "outflow_cents")
FEE_COLUMNS = ("household_id", "date", "recurring_cents", "one_off_cents")
ACTIVITY_COLUMNS = ("household_id", "date", "completed", "last_completed")
REFERRAL_COLUMNS = ("referrer_contact_id", "referred_household_id", "date", "outcome")
OBSERVATION_COLUMNS = (
    "household_id",
    "obs_date",
    "aum_cents",
    "aum_6m_cents",
    "aum_12m_cents",
    "net_flows_6m_cents",
    "contacts_12m",
    "last_contact",
)


@dataclass(frozen=True)
class BookFrames:
    """Everything the KPIs need for one as-of date, pre-aggregated where SQL does it cheaper.

    ``snapshots`` are the as-of date and the same day of each earlier month (month-ends when the as-of
    date is a month-end), newest first; ``aum`` holds, per household and snapshot, the sum of the latest
    balance on or before that date of its managed and of its held-away accounts. ``flows``, ``fees`` and
    ``activities`` are summed per household over each interval (previous snapshot, snapshot], labelled
    by the interval's end. ``observations`` is one row per household that was ever a client, measured at
    its observation time (the as-of date for current clients, shortly before leaving for former ones):
    the raw material of the retention model.
    """

    as_of: date
    snapshots: tuple[date, ...]
    households: pd.DataFrame  # index household_id; HOUSEHOLD_COLUMNS
    contacts: pd.DataFrame  # CONTACT_COLUMNS
    accounts: pd.DataFrame  # ACCOUNT_COLUMNS
    aum: pd.DataFrame  # AUM_COLUMNS
    flows: pd.DataFrame  # FLOW_COLUMNS, managed accounts only
    fees: pd.DataFrame  # FEE_COLUMNS
    activities: pd.DataFrame  # ACTIVITY_COLUMNS (completed = count of completed activities)
    referrals: pd.DataFrame  # REFERRAL_COLUMNS
    observations: pd.DataFrame | None = None  # OBSERVATION_COLUMNS; None when not loaded
    extras: dict[str, object] = field(default_factory=dict)

    @property
    def period_start(self) -> date:
        """The start of the default period: 12 months before the as-of date (or the oldest snapshot)."""
        return self.snapshots[min(12, len(self.snapshots) - 1)]
