"""Load the book into ``BookFrames`` with a few aggregate SQL queries (issue 3's data access).

The KPIs' records come from the queries of ``book_records`` (the same rows: ``BookFrames.records``);
this module adds the pandas frames the monthly series and the retention model read (households, members,
activities, observations) and the dashboard's month-end scan. Works on SQLite and PostgreSQL.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, date, datetime, timedelta
from typing import Any

import pandas as pd
from sqlalchemy import (
    Column,
    Date,
    Integer,
    MetaData,
    Table,
    and_,
    case,
    func,
    literal,
    select,
)
from sqlalchemy.engine import Connection
from sqlalchemy.orm import Session

from actdesk.domain.analytics import frames as F
from actdesk.domain.analytics.dates import key_dates, shift_months
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
    account_rows,
    as_text,
    aum_rows,
    build_records,
    fee_rows,
    flow_rows,
    household_rows,
    latest_balance,
    member_rows,
    plain_rows,
    referral_rows,
    referrer_rows,
    returning_periods,
)
from actdesk.storage.overlapped_read import overlapped
from actdesk.storage.tables.base import UTCDateTime
from actdesk.storage.tables.book import (
    AccountRow,
    ActivityRow,
    FeeRow,
    FlowRow,
)

# Completed activities of these kinds count as contact with the household (a to-do task does not).
CONTACT_KINDS = ("call", "meeting", "review", "email", "event")


def load_book_frames(
    session: Session,
    as_of: date,
    months: int = 25,
    *,
    history: bool = True,
    exit_lag_months: int = 1,
    aum_days: Sequence[date] = (),
    retention_periods: Sequence[tuple[date, date]] = (),
) -> BookFrames:
    """The book as of ``as_of``.

    ``months`` monthly points of the book-level trend series (0 skips them: the KPIs do not need them;
    see ``analytics_series``). ``history`` also
    loads the per-household observations the retention model needs; ``exit_lag_months`` is how long
    before leaving a former client is observed, so that the exit transfer itself is not read as a signal.
    ``aum_days`` fills ``day_aum`` (``aum_on_days``) and ``retention_periods`` ``period_outflows``
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
            "accounts": account_rows(session),
            "flows": None if flows_aside else flow_rows(session, snaps[:3]),
            "fees": fee_rows(session, snaps),
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
            "activities": _activities(session, snaps[:3]) if history else _frame([], F.ACTIVITY_COLUMNS),
            "monthly": monthly_frame(session, as_of, months, households, members)
            if months > 0
            else _frame([], F.MONTHLY_COLUMNS),
            "observations": _observations(session, as_of, exit_lag_months) if history else None,
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


def _day_start(day: date) -> datetime:
    return datetime(day.year, day.month, day.day, tzinfo=UTC)


def _activities(s: Session, snaps: Sequence[date]) -> pd.DataFrame:
    """Completed contacts per household and interval, compared as instants: (older + 1 day, newer + 1 day)."""
    done = ActivityRow.completed_at
    bounds = [_day_start(d + timedelta(days=1)) for d in snaps]
    whens = [(done >= older, literal(newer, Date)) for newer, older in zip(snaps, bounds[1:], strict=False)]
    bucket = as_text(case(*whens, else_=None)).label("bucket")
    rows = plain_rows(
        s,
        select(ActivityRow.household_id, bucket, func.count(), as_text(func.max(done)))
        .where(done.is_not(None), done >= bounds[-1], done < bounds[0], ActivityRow.kind.in_(CONTACT_KINDS))
        .group_by(ActivityRow.household_id, bucket),
    )
    frame = _frame(rows, F.ACTIVITY_COLUMNS, dates=("date",))
    frame["last_completed"] = pd.to_datetime(frame["last_completed"], utc=True)
    return frame


_obs_metadata = MetaData()
_obs_table = Table(
    "actdesk_analytics_obs",
    _obs_metadata,
    Column("household_id", Integer, primary_key=True),
    Column("t0", Date),
    Column("t6", Date),
    Column("t12", Date),
    Column("a0", UTCDateTime),
    Column("a12", UTCDateTime),
    prefixes=["TEMPORARY"],
)


def observation_dates(households: pd.DataFrame, as_of: date, exit_lag_months: int) -> dict[int, date]:
    """When each household that was ever a client is observed: the as-of date if it is still a client,
    else ``exit_lag_months`` before it left (never before it became a client)."""
    out: dict[int, date] = {}
    for hid, since, until in households[["client_since", "client_until"]].itertuples():
        if pd.isna(since) or since.date() > as_of:
            continue
        if pd.isna(until) or until.date() > as_of:
            out[int(hid)] = as_of
        else:
            out[int(hid)] = max(since.date(), shift_months(until.date(), -exit_lag_months))
    return out


def _observations(s: Session, as_of: date, exit_lag_months: int) -> pd.DataFrame:
    """Per household ever a client: AUM at its observation time T, T-6m and T-12m, net flows in
    (T-6m, T], fees in (T-12m, T], completed contacts in (T-12m, T] and its last contact on or before T."""
    households = _households(household_rows(s))
    when = observation_dates(households, as_of, exit_lag_months)
    if not when:
        return _frame([], F.OBSERVATION_COLUMNS)
    conn = s.connection()
    _obs_table.drop(conn, checkfirst=True)
    _obs_table.create(conn)
    try:
        conn.execute(
            _obs_table.insert(),
            [
                {
                    "household_id": hid,
                    "t0": t,
                    "t6": shift_months(t, -6),
                    "t12": shift_months(t, -12),
                    "a0": _day_start(t + timedelta(days=1)),
                    "a12": _day_start(shift_months(t, -12) + timedelta(days=1)),
                }
                for hid, t in when.items()
            ],
        )
        o = _obs_table.c
        aum_rows = conn.execute(
            select(
                o.household_id,
                *(func.sum(latest_balance(AccountRow.id, col)) for col in (o.t0, o.t6, o.t12)),
            )
            .join(AccountRow, and_(AccountRow.household_id == o.household_id, AccountRow.managed.is_(True)))
            .group_by(o.household_id)
        ).all()
        flow_rows = conn.execute(
            select(o.household_id, func.sum(FlowRow.amount_cents))
            .join(AccountRow, and_(AccountRow.household_id == o.household_id, AccountRow.managed.is_(True)))
            .join(
                FlowRow, and_(FlowRow.account_id == AccountRow.id, FlowRow.date > o.t6, FlowRow.date <= o.t0)
            )
            .group_by(o.household_id)
        ).all()
        fee_rows = conn.execute(
            select(o.household_id, func.sum(FeeRow.amount_cents))
            .join(
                FeeRow, and_(FeeRow.household_id == o.household_id, FeeRow.date > o.t12, FeeRow.date <= o.t0)
            )
            .group_by(o.household_id)
        ).all()
        done = ActivityRow.completed_at
        contact_rows = conn.execute(
            select(o.household_id, func.sum(case((done >= o.a12, 1), else_=0)), func.max(done))
            .join(
                ActivityRow,
                and_(
                    ActivityRow.household_id == o.household_id,
                    done.is_not(None),
                    done < o.a0,
                    ActivityRow.kind.in_(CONTACT_KINDS),
                ),
            )
            .group_by(o.household_id)
        ).all()
    finally:
        _obs_table.drop(conn, checkfirst=True)
    aum = {int(h): (int(a or 0), int(b or 0), int(c or 0)) for h, a, b, c in aum_rows}
    flows = {int(h): int(v or 0) for h, v in flow_rows}
    fees = {int(h): int(v or 0) for h, v in fee_rows}
    contacts = {int(h): (int(n or 0), last) for h, n, last in contact_rows}
    records = [
        (hid, t, *aum.get(hid, (0, 0, 0)), flows.get(hid, 0), fees.get(hid, 0), *contacts.get(hid, (0, None)))
        for hid, t in when.items()
    ]
    frame = _frame(records, F.OBSERVATION_COLUMNS, dates=("obs_date",))
    frame["last_contact"] = pd.to_datetime(frame["last_contact"], utc=True)
    return frame
