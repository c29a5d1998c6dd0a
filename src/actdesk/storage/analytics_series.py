"""Book-level series for the trend charts: monthly AUM, flows, fees, clients and net worth, and the
yearly retention figures, each computed by a few aggregate queries whatever the number of points.

AUM on a day D is the sum, over managed accounts of households that are clients on D, of each account's
latest balance on or before D. Asking that with one balance seek per account and day costs about a
second of CPU for 25 months of a 10,000-household book. Balances are month-end values, so the latest
balance on or before D is, for nearly every account, its balance on the book's latest balance date on
or before D (call it M). One scan of ``balances`` grouped by date therefore sums every day at once.
The shortcut is exact when every account that has a balance on or before D has one on M; the scan
counts the rows it used and the days where the count falls short (gaps, a mid-month balance, a closed
account, two days sharing one M) are summed with the per-account seeks instead, so the figures never
depend on the shape of the data.
"""

from __future__ import annotations

import itertools
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

import numpy as np
import pandas as pd
from sqlalchemy import Date, String, and_, case, exists, func, literal, or_, select, type_coerce
from sqlalchemy.engine import Connection
from sqlalchemy.orm import Session
from sqlalchemy.sql import ColumnElement

from actdesk.domain.analytics import frames as F
from actdesk.domain.analytics.common import client_matrix
from actdesk.domain.analytics.dates import month_series, shift_months
from actdesk.domain.analytics.periods import ClientPeriod
from actdesk.storage.book_records import likely, plain_rows, returning_periods
from actdesk.storage.dialect import is_sqlite
from actdesk.storage.latest_balance import latest_balance
from actdesk.storage.tables.book import AccountRow, BalanceRow, ContactRow, FeeRow, FlowRow, HouseholdRow
from actdesk.storage.tables.client_periods import ClientPeriodRow


def _client_on(day: Any, returning: bool = False) -> ColumnElement[bool]:
    """The issue's rule, with ``day`` a literal or an expression. ``returning`` (the book has households
    that left and came back) also accepts an earlier client period holding ``day``; it is asked only then,
    so the usual book's scans stay as fast as they were."""
    latest = and_(
        HouseholdRow.client_since <= day,
        or_(HouseholdRow.client_until.is_(None), HouseholdRow.client_until > day),
    )
    if not returning:
        return latest
    p = ClientPeriodRow
    earlier = exists().where(
        p.household_id == HouseholdRow.id,
        p.start < HouseholdRow.client_since,
        p.start <= day,
        or_(p.end.is_(None), p.end > day),
    )
    return or_(latest, earlier)


def has_returns(s: Session | Connection) -> bool:
    """Whether any household left and came back (has a client period before its client_since)."""
    p = ClientPeriodRow
    query = select(
        exists().where(
            p.household_id == HouseholdRow.id,
            HouseholdRow.client_since.is_not(None),
            p.start < HouseholdRow.client_since,
        )
    )
    return bool(s.execute(query).scalar())


def periods_frame(periods: Sequence[ClientPeriod]) -> pd.DataFrame:
    """``BookFrames.periods`` from the client periods of the households that left and came back
    (``book_records.returning_periods``)."""
    rows = [
        (c.household_id, c.start.isoformat(), c.end.isoformat() if c.end else None, c.reason) for c in periods
    ]
    if not rows:
        return F.empty_periods()
    frame = pd.DataFrame.from_records(rows, columns=list(F.PERIOD_COLUMNS))
    for column in ("start", "end"):
        frame[column] = pd.to_datetime(frame[column])
    return frame


def load_returning_periods(s: Session | Connection) -> pd.DataFrame:
    """``BookFrames.periods``: every client period of the households that left and came back."""
    return periods_frame(returning_periods(s))


def _worth() -> Any:
    """Members' net worth summed per household (NULL when nobody's is known)."""
    return (
        select(ContactRow.household_id.label("hid"), func.sum(ContactRow.net_worth_cents).label("nw"))
        .where(ContactRow.household_id.is_not(None))
        .group_by(ContactRow.household_id)
        .subquery()
    )


def _latest_balance(s: Session, day: date) -> ColumnElement[Any]:
    """The latest balance of the outer query's account on or before ``day`` (``latest_balance``)."""
    return latest_balance(AccountRow.id, literal(day, Date), is_sqlite(s))


def seek_aum(s: Session, day: date) -> tuple[int, int]:
    """AUM and AUM of households with a known net worth on ``day``, one balance seek per account."""
    worth = _worth()
    known = func.coalesce(worth.c.nw, 0) > 0
    balance = _latest_balance(s, day)
    aum, aum_nw = s.execute(
        select(func.sum(balance), func.sum(case((known, balance), else_=0)))
        .select_from(AccountRow)
        .join(HouseholdRow, HouseholdRow.id == AccountRow.household_id)
        .outerjoin(worth, worth.c.hid == AccountRow.household_id)
        .where(AccountRow.managed.is_(True), _client_on(literal(day, Date), has_returns(s)))
    ).one()
    return int(aum or 0), int(aum_nw or 0)


def households_aum(s: Session, household_ids: Sequence[int], day: date) -> int:
    """Managed AUM (cents) on ``day`` of the given households, whatever their status then: one balance
    seek per account. The yearly trend's *assets kept from departures* reads the few households that left."""
    if not household_ids:
        return 0
    balance = _latest_balance(s, day)
    total = s.execute(
        select(func.sum(balance)).where(
            AccountRow.managed.is_(True), AccountRow.household_id.in_(sorted(household_ids))
        )
    ).scalar()
    return int(total or 0)


def first_balances(s: Session) -> pd.DataFrame:
    """Managed accounts with their household and first balance date (NaT without balances)."""
    first = select(func.min(BalanceRow.date)).where(BalanceRow.account_id == AccountRow.id).scalar_subquery()
    # Dates as stored (ISO text on SQLite): pandas parses them all at once.
    rows = plain_rows(
        s, select(AccountRow.household_id, type_coerce(first, String)).where(AccountRow.managed.is_(True))
    )
    frame = pd.DataFrame.from_records(rows, columns=["household_id", "first"])
    frame["first"] = pd.to_datetime(frame["first"])
    return frame


@dataclass(frozen=True)
class MonthEndScan:
    """What one read of ``balances`` gives for a set of days (``scan_month_ends``)."""

    latest: dict[date, date | None]  # day -> the book's latest balance date on or before it
    sums: dict[date, tuple[int, int, int]]  # balance date -> (AUM, AUM of known net worth, rows summed)


def aum_on_days(s: Session, days: Sequence[date], households: pd.DataFrame) -> dict[date, tuple[int, int]]:
    """Per day: (AUM of the day's clients, the same over clients with a known positive net worth), cents.

    ``households`` is ``BookFrames.households`` (client_since/client_until per household id)."""
    out, slow = finish_month_ends(
        scan_month_ends(s, days), households, first_balances(s), load_returning_periods(s)
    )
    for day in slow:
        out[day] = seek_aum(s, day)
    return out


def _fast(latest: dict[date, date | None]) -> dict[date, date]:
    """The days the scan can answer: those with a balance date of their own (not shared with another)."""
    shared = {m for m, n in pd.Series(list(latest.values()), dtype=object).value_counts().items() if n > 1}
    return {d: m for d, m in latest.items() if m is not None and m not in shared}


def scan_month_ends(s: Session | Connection, days: Sequence[date]) -> MonthEndScan:
    """The SQL half of ``aum_on_days``: each day's latest balance date, and one read of the balances of
    those dates summed per date (by the covering index ``ix_balances_date_account``). Only SQL, a few
    dozen rows back: it can run on a second connection while the rest loads."""
    latest = {
        d: s.execute(select(func.max(BalanceRow.date)).where(BalanceRow.date <= d)).scalar()
        for d in sorted(set(days))
    }
    fast = _fast(latest)
    return MonthEndScan(latest, _scan_sums(s, fast) if fast else {})


def finish_month_ends(
    scan: MonthEndScan, households: pd.DataFrame, first: pd.DataFrame, periods: pd.DataFrame | None = None
) -> tuple[dict[date, tuple[int, int]], list[date]]:
    """The scan's sums for the days it answers exactly, and the days to sum with one seek per account
    instead: those whose row count shows an account without a balance on that date. ``first`` is
    ``first_balances``; ``periods`` the client periods of households that left and came back."""
    fast = _fast(scan.latest)
    out: dict[date, tuple[int, int]] = {d: (0, 0) for d, m in scan.latest.items() if m is None}
    slow = [d for d, m in scan.latest.items() if m is not None and d not in fast]
    needed = _accounts_with_balances(first, list(fast), households, periods)
    for d, m in fast.items():
        aum, aum_known, used = scan.sums.get(m, (0, 0, 0))
        if used == needed[d]:
            out[d] = (aum, aum_known)
        else:
            slow.append(d)
    return out, sorted(slow)


def _scan_sums(s: Session | Connection, latest: dict[date, date]) -> dict[date, tuple[int, int, int]]:
    """Per balance date of ``latest`` (day -> its latest balance date): AUM, AUM of clients with a known
    positive net worth and the number of balances summed, over the managed accounts of the day's clients."""
    known = AccountRow.household_id.in_(
        select(ContactRow.household_id)
        .where(ContactRow.household_id.is_not(None))
        .group_by(ContactRow.household_id)
        .having(func.sum(ContactRow.net_worth_cents) > 0)
    )
    if all(d == m for d, m in latest.items()):
        day: Any = BalanceRow.date
    else:
        day = case(*((BalanceRow.date == m, literal(d, Date)) for d, m in latest.items()), else_=None)
    statement = (
        select(
            type_coerce(BalanceRow.date, Date),
            func.sum(BalanceRow.balance_cents),
            func.sum(case((known, BalanceRow.balance_cents), else_=0)),
            func.count(),
        )
        .select_from(BalanceRow)
        .join(AccountRow, AccountRow.id == BalanceRow.account_id)
        .join(HouseholdRow, HouseholdRow.id == AccountRow.household_id)
        .where(
            BalanceRow.date.in_(sorted(latest.values())),  # ix_balances_date_account covers the read
            AccountRow.managed.is_(True),
            _client_on(day, has_returns(s)),
        )
        .group_by(BalanceRow.date)
    )
    return {m: (int(a or 0), int(k or 0), int(n)) for m, a, k, n in s.execute(statement).all()}


def _accounts_with_balances(
    accounts: pd.DataFrame, days: list[date], households: pd.DataFrame, periods: pd.DataFrame | None = None
) -> dict[date, int]:
    """Per day: managed accounts of the day's clients that have a balance on or before it (one
    accounts-by-days comparison, no loop over accounts). ``accounts`` is ``first_balances``."""
    owners = households.reindex(accounts["household_id"])
    client = client_matrix(owners, days, periods).astype(bool)
    when = pd.to_datetime(pd.Series(days)).to_numpy()[None, :]
    first = accounts["first"].to_numpy()[:, None]  # NaT (no balance) compares False: never counts
    counts = (client & (first <= when)).sum(axis=0)
    return {d: int(n) for d, n in zip(days, counts, strict=True)}


def _daily(s: Session, statement: Any, columns: Sequence[str]) -> pd.DataFrame:
    frame = pd.DataFrame.from_records(s.execute(statement).all(), columns=["day", *columns])
    frame["day"] = pd.to_datetime(frame["day"])
    return frame


def _per_interval(daily: pd.DataFrame, bounds: Sequence[date], columns: Sequence[str]) -> np.ndarray:
    """Sums of ``columns`` over the intervals (bounds[i-1], bounds[i]], one row per interval."""
    out = np.zeros((len(bounds) - 1, len(columns)), dtype="int64")
    if daily.empty:
        return out
    edges = pd.to_datetime(pd.Series(list(bounds))).to_numpy()
    slot = np.searchsorted(edges, daily["day"].to_numpy(), side="left") - 1  # (edge[i], edge[i+1]]
    for j, column in enumerate(columns):
        np.add.at(out[:, j], slot, daily[column].to_numpy(dtype="int64"))
    return out


def monthly_frame(
    s: Session,
    as_of: date,
    months: int,
    households: pd.DataFrame,
    members: pd.DataFrame,
    aum: dict[date, tuple[int, int]] | None = None,
) -> pd.DataFrame:
    """``BookFrames.monthly``: per month clients, AUM, AUM and net worth of clients with a known
    positive net worth, managed-account flows and fees (see ``frames.MONTHLY_COLUMNS``). ``aum`` is
    ``aum_on_days`` of (at least) the months, when the caller already has it."""
    days = month_series(as_of, months)
    if aum is None:
        aum = aum_on_days(s, days, households)
    worth = members["net_worth_cents"].dropna().astype("int64")
    worth = worth[worth > 0]
    first = shift_months(days[0], -1)
    flows = _daily(
        s,
        select(
            FlowRow.date,
            func.sum(case((FlowRow.amount_cents > 0, FlowRow.amount_cents), else_=0)),
            func.sum(case((FlowRow.amount_cents < 0, FlowRow.amount_cents), else_=0)),
        )
        .where(  # IN rather than a join: SQLite then seeks each managed account's range (0.05 s against
            # 0.2 s through the date index for 25 months of a 10,000-household book's flows)
            FlowRow.account_id.in_(select(AccountRow.id).where(AccountRow.managed.is_(True))),
            FlowRow.date > first,
            FlowRow.date <= as_of,
        )
        .group_by(FlowRow.date),
        ("inflow", "outflow"),
    )
    fees = _daily(
        s,
        select(
            FeeRow.date,
            func.sum(case((FeeRow.recurring.is_(True), FeeRow.amount_cents), else_=0)),
            func.sum(case((FeeRow.recurring.is_(True), 0), else_=FeeRow.amount_cents)),
        )
        .where(FeeRow.date > first, FeeRow.date <= as_of)
        .group_by(FeeRow.date),
        ("recurring", "one_off"),
    )
    bounds = [first, *days]
    moved = _per_interval(flows, bounds, ("inflow", "outflow"))
    paid = _per_interval(fees, bounds, ("recurring", "one_off"))
    clients = client_matrix(households, days, load_returning_periods(s))  # households x days
    known_worth = worth.reindex(households.index).fillna(0).to_numpy(dtype="int64")
    counts = clients.sum(axis=0)
    worth_sums = known_worth @ clients  # int64: exact cents
    points = []
    for i, day in enumerate(days):
        points.append(
            (
                pd.Timestamp(day),
                int(counts[i]),
                *aum[day],
                int(worth_sums[i]),
                *(int(v) for v in moved[i]),
                *(int(v) for v in paid[i]),
            )
        )
    frame = pd.DataFrame.from_records(points, columns=list(F.MONTHLY_COLUMNS))
    frame["date"] = pd.to_datetime(frame["date"])
    return frame


def start_client_outflows(s: Session | Connection, periods: Sequence[tuple[date, date]]) -> dict[date, int]:
    """Per period (start, end], keyed by start: the sum (negative cents) of the negative flows on managed
    accounts of the households that were clients at its start. The periods must follow one another
    (each end is the next period's start), as the yearly retention periods do."""
    if not periods:
        return {}
    ordered = sorted(periods, reverse=True)
    if any(newer[0] != older[1] for newer, older in itertools.pairwise(ordered)):
        raise ValueError("retention periods must follow one another")
    start = case(*((FlowRow.date > a, literal(a, Date)) for a, _ in ordered), else_=None)
    label = type_coerce(start, Date).label("period_start")
    rows = s.execute(
        select(label, func.sum(FlowRow.amount_cents))
        .select_from(FlowRow)
        .join(AccountRow, AccountRow.id == FlowRow.account_id)
        .join(HouseholdRow, HouseholdRow.id == AccountRow.household_id)
        .where(
            FlowRow.amount_cents < 0,
            AccountRow.managed.is_(True),
            likely(s, FlowRow.date > ordered[-1][0]),  # each account's range on (account_id, date)
            likely(s, FlowRow.date <= ordered[0][1]),
            _client_on(start, has_returns(s)),
        )
        .group_by(label)
    ).all()
    out = {a: 0 for a, _ in periods}
    out.update({a: int(v or 0) for a, v in rows if a is not None})
    return out
