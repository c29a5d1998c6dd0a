"""Load the book into ``BookFrames`` with a few aggregate SQL queries (issue 3's data access).

Aggregation happens in SQL where it is cheaper than moving rows: the latest balance per account on or
before a date is one index seek per account (``balances`` is keyed by account and date), and flows, fees
and activities arrive already summed per household and interval. Works on SQLite and PostgreSQL.
"""

from __future__ import annotations

import itertools
import json
from collections.abc import Sequence
from datetime import UTC, date, datetime, timedelta
from typing import Any, cast

import numpy as np
import pandas as pd
from sqlalchemy import (
    Column,
    Date,
    Integer,
    MetaData,
    String,
    Table,
    and_,
    case,
    exists,
    func,
    literal,
    or_,
    select,
    type_coerce,
)
from sqlalchemy.engine import Connection
from sqlalchemy.orm import Session, aliased
from sqlalchemy.sql import ColumnElement

from actdesk.domain.analytics import frames as F
from actdesk.domain.analytics.dates import key_dates, shift_months
from actdesk.domain.analytics.frames import BookFrames
from actdesk.domain.enums import RelationshipKind
from actdesk.storage.analytics_series import (
    MonthEndScan,
    connection_of,
    finish_month_ends,
    first_balances,
    likely,
    load_returning_periods,
    monthly_frame,
    plain_rows,
    scan_month_ends,
    seek_aum,
    start_client_outflows,
)
from actdesk.storage.overlapped_read import overlapped
from actdesk.storage.tables.base import UTCDateTime
from actdesk.storage.tables.book import (
    AccountRow,
    ActivityRow,
    BalanceRow,
    ContactRow,
    FeeRow,
    FlowRow,
    HouseholdRow,
    ReferralRow,
    RelationshipRow,
)
from actdesk.storage.tables.client_periods import ClientPeriodRow

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

    def balances(connection: Connection) -> tuple[pd.DataFrame, MonthEndScan | None, pd.DataFrame | None]:
        scan = scan_month_ends(connection, aum_days) if aum_days else None
        flows = _flows(connection, snaps[:3]) if flows_aside else None
        return _aum(connection, snaps[:3]), scan, flows

    def the_rest() -> dict[str, Any]:
        households, members = _households(session), _members(session)
        referrals = plain_rows(
            session,
            select(
                ReferralRow.referrer_contact_id,
                ReferralRow.referred_household_id,
                _text(ReferralRow.date),
                ReferralRow.outcome,
            ),
        )
        return {
            "households": households,
            "members": members,
            "referrers": _referrers(session),
            "accounts": _accounts(session),
            "flows": None if flows_aside else _flows(session, snaps[:3]),
            "fees": _fees(session, snaps),
            "first": first_balances(session) if aum_days else None,
            "period_outflows": start_client_outflows(session, retention_periods),
            "activities": _activities(session, snaps[:3]) if history else _frame([], F.ACTIVITY_COLUMNS),
            "referrals": _frame(referrals, F.REFERRAL_COLUMNS, dates=("date",)),
            "periods": load_returning_periods(session),
            "monthly": monthly_frame(session, as_of, months, households, members)
            if months > 0
            else _frame([], F.MONTHLY_COLUMNS),
            "observations": _observations(session, as_of, exit_lag_months) if history else None,
        }

    (aum, scan, flows), rest = overlapped(session, balances, the_rest)
    first = rest.pop("first")
    if flows is not None:
        rest["flows"] = flows
    day_aum: dict[date, tuple[int, int]] = {}
    if scan is not None:
        day_aum, slow = finish_month_ends(scan, rest["households"], first, rest["periods"])
        for day in slow:  # days the scan cannot answer exactly (irregular balance dates): rare
            day_aum[day] = seek_aum(session, day)
    return BookFrames(as_of=as_of, snapshots=snaps, aum=aum, day_aum=day_aum, **rest)


def _run_packed(target: Session | Connection, statement: Any) -> Sequence[Any]:
    """``plain_rows`` for a query meant to overlap other work in a second thread: on SQLite its rows come
    back packed as one JSON text, so the thread needs Python's global lock once instead of once per row
    (per row, it waits for the busy thread to let go every time: seconds instead of 0.1 s)."""
    connection = connection_of(target)
    if connection.dialect.name != "sqlite":
        return plain_rows(connection, statement)
    inner = statement.subquery()
    packed = select(func.json_group_array(func.json_array(*inner.c)))
    rows: list[Any] = json.loads(connection.execute(packed).scalar_one())
    return rows


def _text(column: Any) -> Any:
    """A date column fetched as it is stored (ISO text on SQLite) for pandas to parse all at once."""
    return type_coerce(column, String)


def _frame(rows: Sequence[Any], columns: Sequence[str], dates: Sequence[str] = ()) -> pd.DataFrame:
    frame = pd.DataFrame.from_records(list(rows), columns=list(columns))
    for name in dates:
        frame[name] = pd.to_datetime(frame[name])
    return frame


def load_households(s: Session) -> pd.DataFrame:
    """``BookFrames.households`` alone (the yearly retention trend needs nothing else)."""
    return _households(s)


def _households(s: Session) -> pd.DataFrame:
    rows = plain_rows(
        s,
        select(
            HouseholdRow.id,
            HouseholdRow.name,
            HouseholdRow.status,
            _text(HouseholdRow.client_since),
            _text(HouseholdRow.client_until),
            HouseholdRow.leaving_reason,
        ),
    )
    frame = _frame(rows, ("household_id", *F.HOUSEHOLD_COLUMNS), dates=("client_since", "client_until"))
    return frame.set_index("household_id")


def _members(s: Session) -> pd.DataFrame:
    """``BookFrames.members``: contacts summed per household in SQL, joined to the primary contact's
    details (one row per household instead of one per contact)."""
    c, p = ContactRow, aliased(ContactRow)
    per = (
        select(
            c.household_id.label("hid"),
            func.count().label("members"),
            func.sum(c.income_cents).label("income"),
            func.sum(c.net_worth_cents).label("worth"),
            func.coalesce(func.min(case((c.role == "primary", c.id))), func.min(c.id)).label("pid"),
        )
        .where(c.household_id.is_not(None))
        .group_by(c.household_id)
        .subquery()
    )
    rows = plain_rows(
        s,
        select(
            per.c.hid,
            per.c.members,
            per.c.income,
            per.c.worth,
            per.c.pid,
            p.first_name,
            p.last_name,
            _text(p.birth_date),
            p.risk_tolerance,
            p.city,
            p.region,
            p.country,
        ).join(p, p.id == per.c.pid),
    )
    frame = _frame(rows, ("household_id", *F.MEMBER_COLUMNS), dates=("birth_date",))
    for number in ("members", "primary_contact_id"):
        frame[number] = frame[number].astype("int64")
    for money in ("income_cents", "net_worth_cents"):
        frame[money] = frame[money].astype("Int64")
    return frame.set_index("household_id")


def _referrers(s: Session) -> pd.DataFrame:
    c = ContactRow
    named = exists().where(
        RelationshipRow.to_contact_id == c.id,
        RelationshipRow.kind == RelationshipKind.CENTER_OF_INFLUENCE.value,
    )
    rows = plain_rows(
        s,
        select(c.id, c.household_id, c.first_name, c.last_name, c.household_id.is_(None) | named).where(
            c.id.in_(select(ReferralRow.referrer_contact_id))
        ),
    )
    frame = _frame(rows, F.REFERRER_COLUMNS)
    frame["household_id"] = frame["household_id"].astype("Int64")
    frame["center_of_influence"] = frame["center_of_influence"].astype(bool)
    return frame


def _accounts(s: Session) -> pd.DataFrame:
    a = AccountRow
    managed = func.sum(case((a.managed.is_(True), 1), else_=0))  # PostgreSQL has no sum(boolean)
    rows = plain_rows(
        s,
        select(a.household_id, func.count(), managed, func.count(a.type.distinct())).group_by(a.household_id),
    )
    frame = _frame(rows, ("household_id", *F.ACCOUNT_COLUMNS)).astype("int64")
    return frame.set_index("household_id")


def _latest_balance(account_id: Any, day: Any) -> ColumnElement[Any]:
    """The latest balance of one account on or before ``day``: one seek on the (account_id, date) key."""
    return (
        select(BalanceRow.balance_cents)
        .where(BalanceRow.account_id == account_id, BalanceRow.date <= day)
        .order_by(BalanceRow.date.desc())
        .limit(1)
        .scalar_subquery()
    )


def _aum(s: Session | Connection, days: Sequence[date]) -> pd.DataFrame:
    """Per household, the managed balance at each of ``days`` and the held-away balance at the first
    (the as-of date: nothing reads it at the older ones), zero when it had none yet. One row per
    household and grouped in SQL: one seek per managed account and day, one per held-away account."""
    managed = AccountRow.managed.is_(True)
    columns = [func.sum(case((managed, _latest_balance(AccountRow.id, literal(d, Date))))) for d in days]
    held = func.sum(case((~managed, _latest_balance(AccountRow.id, literal(days[0], Date)))))
    newest, oldest = max(days), min(days)
    in_window = or_(  # a client at some point between the oldest and the newest day: nobody else counts
        and_(
            HouseholdRow.client_since <= newest,
            or_(HouseholdRow.client_until.is_(None), HouseholdRow.client_until > oldest),
        ),
        exists().where(  # one that left and came back: its earlier periods may hold these days
            ClientPeriodRow.household_id == HouseholdRow.id, ClientPeriodRow.start < HouseholdRow.client_since
        ),
    )
    rows = _run_packed(
        s,
        select(AccountRow.household_id, *columns, held)
        .join(HouseholdRow, HouseholdRow.id == AccountRow.household_id)
        .where(in_window)
        .group_by(AccountRow.household_id),
    )
    count, k = len(rows), len(days)
    wide = np.array([[0 if v is None else v for v in r] for r in rows], dtype="int64").reshape(count, k + 2)
    held_cents = np.zeros((k, count), dtype="int64")
    held_cents[0] = wide[:, -1]
    return pd.DataFrame(
        {
            "household_id": np.tile(wide[:, 0], k),
            "date": np.repeat(pd.to_datetime(pd.Series(list(days))).to_numpy(), count),
            "managed_cents": wide[:, 1 : 1 + k].T.reshape(-1),
            "held_away_cents": held_cents.reshape(-1),
        }
    )


def _interval(column: Any, snaps: Sequence[date]) -> ColumnElement[Any]:
    """The snapshot ending the interval (older snapshot, snapshot] that ``column`` falls in."""
    whens = [(column > older, literal(newer, Date)) for newer, older in itertools.pairwise(snaps)]
    return cast(ColumnElement[Any], _text(case(*whens, else_=None)))


def _flows(s: Session | Connection, snaps: Sequence[date]) -> pd.DataFrame:
    bucket = _interval(FlowRow.date, snaps).label("bucket")
    inflow = func.sum(case((FlowRow.amount_cents > 0, FlowRow.amount_cents), else_=0))
    outflow = func.sum(case((FlowRow.amount_cents < 0, FlowRow.amount_cents), else_=0))
    rows = _run_packed(
        s,
        select(AccountRow.household_id, bucket, inflow, outflow)
        .select_from(AccountRow)
        .join(FlowRow, AccountRow.id == FlowRow.account_id)
        .where(
            AccountRow.managed.is_(True),
            likely(s, FlowRow.date > snaps[-1]),  # each account's flows by its (account, date) key
            likely(s, FlowRow.date <= snaps[0]),
        )
        .group_by(AccountRow.household_id, bucket),
    )
    return _frame(rows, F.FLOW_COLUMNS, dates=("date",))


def _fees(s: Session | Connection, snaps: Sequence[date]) -> pd.DataFrame:
    bucket = _interval(FeeRow.date, snaps).label("bucket")
    recurring = func.sum(case((FeeRow.recurring.is_(True), FeeRow.amount_cents), else_=0))
    one_off = func.sum(case((FeeRow.recurring.is_(True), 0), else_=FeeRow.amount_cents))
    rows = plain_rows(
        s,
        select(FeeRow.household_id, bucket, recurring, one_off)
        .where(FeeRow.date > snaps[-1], FeeRow.date <= snaps[0])
        .group_by(FeeRow.household_id, bucket),  # SQLite picks fees(date): the fastest here
    )
    return _frame(rows, F.FEE_COLUMNS, dates=("date",))


def _day_start(day: date) -> datetime:
    return datetime(day.year, day.month, day.day, tzinfo=UTC)


def _activities(s: Session, snaps: Sequence[date]) -> pd.DataFrame:
    """Completed contacts per household and interval, compared as instants: (older + 1 day, newer + 1 day)."""
    done = ActivityRow.completed_at
    bounds = [_day_start(d + timedelta(days=1)) for d in snaps]
    whens = [(done >= older, literal(newer, Date)) for newer, older in zip(snaps, bounds[1:], strict=False)]
    bucket = _text(case(*whens, else_=None)).label("bucket")
    rows = plain_rows(
        s,
        select(ActivityRow.household_id, bucket, func.count(), _text(func.max(done)))
        .where(done.is_not(None), done >= bounds[-1], done < bounds[0], ActivityRow.kind.in_(CONTACT_KINDS))
        .group_by(ActivityRow.household_id, bucket),
    )
    frame = _frame(rows, F.ACTIVITY_COLUMNS, dates=("date",))
    frame["last_completed"] = pd.to_datetime(frame["last_completed"], utc=True)
    return frame


def _client_on(day: date) -> ColumnElement[bool]:
    return and_(
        HouseholdRow.client_since <= day,
        or_(HouseholdRow.client_until.is_(None), HouseholdRow.client_until > day),
    )


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
    households = _households(s)
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
                *(func.sum(_latest_balance(AccountRow.id, col)) for col in (o.t0, o.t6, o.t12)),
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
