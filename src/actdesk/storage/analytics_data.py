"""Load the book into ``BookFrames`` with a few aggregate SQL queries (issue 3's data access).

The KPIs' records come from the queries of ``book_records`` (the same rows: ``BookFrames.records``);
this module adds the pandas frames the monthly series and the retention model read (households, members,
activities, observations) and the dashboard's month-end scan. Works on SQLite and PostgreSQL.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Any

import pandas as pd
from sqlalchemy.engine import Connection
from sqlalchemy.orm import Session

from actdesk.domain.analytics import frames as F
from actdesk.domain.analytics.dates import key_dates
from actdesk.domain.analytics.frames import BookFrames
from actdesk.storage.analytics_series import (
    MonthEndScan,
    finish_month_ends,
    first_balances,
    monthly_frame,
    periods_frame,
    scan_month_ends,
    seek_aum,
    start_client_outflows,
)
from actdesk.storage.book_records import (
    Rows,
    aum_rows,
    build_records,
    fee_rows,
    flow_rows,
    household_rows,
    member_rows,
    referral_rows,
    referrer_rows,
    returning_periods,
)
from actdesk.storage.overlapped_read import overlapped


def load_book_frames(
    session: Session,
    as_of: date,
    months: int = 25,
    *,
    aum_days: Sequence[date] = (),
    retention_periods: Sequence[tuple[date, date]] = (),
) -> BookFrames:
    """The book as of ``as_of``.

    ``months`` monthly points of the book-level trend series (0 skips them: the KPIs do not need them;
    see ``analytics_series``). ``aum_days`` fills ``day_aum`` (``aum_on_days``) and ``retention_periods`` ``period_outflows``
    (``start_client_outflows``): the dashboard's series, read in the same overlapped load.
    """
    snaps = key_dates(as_of)

    # The balance reads (the slowest queries) overlap the rest on a second connection where there is one;
    # the flows go with them when there is no month-end scan to balance the two halves.
    flows_aside = not aum_days

    def balances(connection: Connection) -> tuple[Rows, MonthEndScan | None, Rows | None]:
        scan = scan_month_ends(connection, aum_days) if aum_days else None
        flows = flow_rows(connection, snaps[:3]) if flows_aside else None
        return aum_rows(connection, (snaps[0], snaps[2])), scan, flows

    def the_rest() -> dict[str, Any]:
        rows: dict[str, Any] = {
            "households": household_rows(session),
            "members": member_rows(session),
            "referrers": referrer_rows(session),
            "flows": None if flows_aside else flow_rows(session, snaps[:3]),
            "fees": fee_rows(session, (snaps[0], snaps[2], snaps[3])),
            "referrals": referral_rows(session),
            "periods": returning_periods(session),
        }
        households, members = _households(rows["households"]), _members(rows["members"])
        return {
            "rows": rows,
            "households": households,
            "members": members,
            "first": first_balances(session) if aum_days else None,
            "period_outflows": start_client_outflows(session, retention_periods),
            "monthly": monthly_frame(session, as_of, months, households, members)
            if months > 0
            else _frame([], F.MONTHLY_COLUMNS),
        }

    (aum, scan, flows), rest = overlapped(session, balances, the_rest)
    first = rest.pop("first")
    rows = rest.pop("rows")
    if flows is not None:
        rows["flows"] = flows
    periods = periods_frame(rows["periods"])
    day_aum: dict[date, tuple[int, int]] = {}
    if scan is not None:
        day_aum, slow = finish_month_ends(scan, rest["households"], first, periods)
        for day in slow:  # days the scan cannot answer exactly (irregular balance dates): rare
            day_aum[day] = seek_aum(session, day)
    return BookFrames(
        as_of=as_of,
        snapshots=snaps,
        periods=periods,
        day_aum=day_aum,
        kpi_records=build_records(as_of, snaps, aum=aum, **rows),
        **rest,
    )


def _frame(rows: Sequence[Any], columns: Sequence[str], dates: Sequence[str] = ()) -> pd.DataFrame:
    frame = pd.DataFrame.from_records(list(rows), columns=list(columns))
    for name in dates:
        frame[name] = pd.to_datetime(frame[name])
    return frame


def load_households(s: Session) -> pd.DataFrame:
    """``BookFrames.households`` alone (the yearly retention trend needs nothing else)."""
    return _households(household_rows(s))


def _households(rows: Rows) -> pd.DataFrame:
    frame = _frame(rows, ("household_id", *F.HOUSEHOLD_COLUMNS), dates=("client_since", "client_until"))
    return frame.set_index("household_id")


def _members(rows: Rows) -> pd.DataFrame:
    """``BookFrames.members``: one row per household with contacts (``member_rows``)."""
    frame = _frame(rows, ("household_id", *F.MEMBER_COLUMNS), dates=("birth_date",))
    for number in ("members", "primary_contact_id"):
        frame[number] = frame[number].astype("int64")
    for money in ("income_cents", "net_worth_cents"):
        frame[money] = frame[money].astype("Int64")
    return frame.set_index("household_id")
