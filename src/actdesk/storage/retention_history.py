"""Load every household's monthly history up to an as-of date for the retention model.

Only records dated on or before ``as_of`` are read, and client periods still open on that date are read
as open: the history a model sees at a past date is exactly what the book knew then, so a backtest cannot
look ahead even by accident. A handful of plain queries; the month bucketing happens in numpy.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

import numpy as np
from sqlalchemy import String, and_, extract, func, select, type_coerce
from sqlalchemy.orm import Session

from actdesk.domain.analytics.dates import last_month_end, shift_months
from actdesk.domain.analytics.history import HouseholdHistory, client_matrices, earlier_tenure
from actdesk.domain.analytics.periods import ClientPeriod
from actdesk.domain.schedule.config import DEFAULT_CONTACT_KINDS
from actdesk.storage.book_records import connection_of, plain_rows
from actdesk.storage.repositories.client_periods import periods_known_on
from actdesk.storage.tables.book import (
    AccountRow,
    ActivityRow,
    BalanceRow,
    ContactRow,
    FeeRow,
    FlowRow,
    LifeEventRow,
    ReferralRow,
)

MAX_MONTHS = 180  # fifteen years of month-ends is plenty for landmarks
CONTACT_KINDS = DEFAULT_CONTACT_KINDS


def _text(column: Any) -> Any:
    return type_coerce(column, String)


def _month(column: Any) -> Any:
    """Year * 12 + month - 1 of a date, computed by the database (an integer per row is far cheaper
    to fetch and bucket than a date)."""
    return extract("year", column) * 12 + extract("month", column) - 1


def _ym(values: list[Any]) -> np.ndarray:
    return np.array(values, dtype=np.int64)


def client_periods(s: Session, as_of: date) -> list[ClientPeriod]:
    """Every client period that had begun by ``as_of``, as the book knew it then: a household that left
    and came back has two (``storage/repositories/client_periods.py``), so a landmark inside the gap is not
    a client and the departure before it is a departure."""
    return periods_known_on(s, as_of)


def load_history(s: Session, as_of: date, months_back: int = MAX_MONTHS) -> HouseholdHistory:
    """The history up to ``as_of``, at most ``months_back`` month-ends long (scoring with a kept model
    needs only the features' own window, ``landmarks.HISTORY_NEEDED``)."""
    periods = client_periods(s, as_of)
    last = last_month_end(as_of)
    first_needed = min((p.start for p in periods), default=last)
    # The history starts where the records do: before the first balance, a veteran client "has had no
    # contact for years" only because nothing was recorded yet.
    first_record = s.execute(select(func.min(BalanceRow.date))).scalar()
    if first_record is not None:
        first_needed = max(first_needed, date.fromisoformat(str(first_record)[:10]))
    first = max(shift_months(last, -(months_back - 1)), last_month_end(min(first_needed, last)))
    count = (last.year - first.year) * 12 + last.month - first.month + 1
    months = [shift_months(last, k - count + 1) for k in range(count)]
    ids = sorted({p.household_id for p in periods})
    row = {hid: i for i, hid in enumerate(ids)}
    n = len(ids)
    base = first.year * 12 + first.month - 1
    client, left, start = client_matrices(ids, months, periods)

    def matrix(dtype: type = np.float64) -> np.ndarray:
        return np.zeros((n, count), dtype=dtype)

    accounts = plain_rows(s, select(AccountRow.id, AccountRow.household_id, AccountRow.managed))
    acct_row = {int(a): row[int(h)] for a, h, _m in accounts if int(h) in row}
    managed_acct = {int(a) for a, _h, m in accounts if m}
    managed, held_away = matrix(), matrix()
    balances = _Balances(sorted(acct_row), count)
    for chunk in _chunks(
        s,
        select(BalanceRow.account_id, _month(BalanceRow.date), BalanceRow.balance_cents)
        .where(BalanceRow.date <= as_of, BalanceRow.date > shift_months(first, -1))
        .order_by(BalanceRow.account_id, BalanceRow.date),
    ):
        columns = np.array(chunk, dtype=np.float64)  # account, month, cents (all integers in a double)
        balances.add(columns[:, 0].astype(np.int64), columns[:, 1].astype(np.int64) - base, columns[:, 2])
    balances.fill(acct_row, managed_acct, managed, held_away)
    # What the next steps do not read is let go now, not at the return: the dense balances (30 MB at
    # 10,000 households) and each step's rows stayed alive under everything loaded after them.
    del balances, accounts
    inflow, withdrawal, transfer_out = matrix(), matrix(), matrix()
    for flows in _chunks(
        s,
        select(FlowRow.account_id, _month(FlowRow.date), FlowRow.amount_cents, FlowRow.kind).where(
            FlowRow.date <= as_of, FlowRow.date > shift_months(first, -1)
        ),
    ):
        h_of = np.array([acct_row.get(int(r[0]), -1) if int(r[0]) in managed_acct else -1 for r in flows])
        m_of = _ym([r[1] for r in flows]) - base
        dollars = np.array([(r[2] or 0) / 100.0 for r in flows])
        out_kind = np.array([r[3] == "transfer_out" for r in flows])
        ok = (h_of >= 0) & (m_of >= 0) & (m_of < count) & (dollars != 0)
        for target, mask, sign in (
            (inflow, dollars > 0, 1.0),
            (transfer_out, (dollars < 0) & out_kind, -1.0),
            (withdrawal, (dollars < 0) & ~out_kind, -1.0),
        ):
            sel = ok & mask
            np.add.at(target, (h_of[sel], m_of[sel]), sign * dollars[sel])
    # counts are exact in float32: half the memory of a 10,000-household book's matrices
    contacts, reviews, events, refs = (matrix(np.float32) for _ in range(4))
    fees = matrix()
    done = ActivityRow.completed_at
    for activity in _chunks(
        s,
        select(ActivityRow.household_id, _month(done), ActivityRow.kind).where(
            done.is_not(None),
            ActivityRow.kind.in_(CONTACT_KINDS),
            done >= datetime.combine(shift_months(first, -1) + timedelta(days=1), time(), tzinfo=UTC),
            done < datetime.combine(as_of + timedelta(days=1), time(), tzinfo=UTC),
        ),
    ):
        _count(activity, row, base, count, contacts, lambda r: True)
        _count(activity, row, base, count, reviews, lambda r: r[2] == "review")
    requests, overdue = _service(s, as_of, row, base, count)
    life = plain_rows(
        s,
        select(LifeEventRow.household_id, _month(LifeEventRow.date)).where(
            LifeEventRow.date <= as_of, LifeEventRow.date > shift_months(first, -1)
        ),
    )
    _count(life, row, base, count, events, lambda r: True)
    del life
    for fee_rows in _chunks(  # 233,000 rows at 10,000 households: a chunk at a time, added in order
        s,
        select(FeeRow.household_id, _month(FeeRow.date), FeeRow.amount_cents).where(
            FeeRow.date <= as_of, FeeRow.date > shift_months(first, -1)
        ),
    ):
        _count(fee_rows, row, base, count, fees, lambda r: True, amount=lambda r: (r[2] or 0) / 100.0)
    referral_rows = plain_rows(
        s,
        select(ContactRow.household_id, _month(ReferralRow.date))
        .join(ContactRow, and_(ContactRow.id == ReferralRow.referrer_contact_id))
        .where(ReferralRow.date <= as_of, ContactRow.household_id.is_not(None)),
    )
    # Having ever referred someone is a feature: referrals before the history count in its first month.
    _count(referral_rows, row, base, count, refs, lambda r: True, clip_early=True)
    birth = np.full(n, np.nan)
    people = plain_rows(
        s,
        select(ContactRow.household_id, ContactRow.role, _text(ContactRow.birth_date)).order_by(
            ContactRow.id
        ),
    )
    for hid, role, born in people:
        h = row.get(int(hid)) if hid is not None else None
        if h is None or born is None:
            continue
        if np.isnan(birth[h]) or role == "primary":
            birth[h] = int(str(born)[:4]) + (int(str(born)[5:7]) - 0.5) / 12
    return HouseholdHistory(
        months,
        np.array(ids, dtype=np.int64),
        client,
        left,
        start,
        managed,
        held_away,
        inflow,
        withdrawal,
        transfer_out,
        contacts,
        reviews,
        events,
        fees,
        refs,
        birth,
        requests,
        overdue,
        earlier_tenure(ids, months, periods),
    )


def _service(
    s: Session, as_of: date, row: dict[int, int], base: int, count: int
) -> tuple[np.ndarray, np.ndarray]:
    """Service requests (tasks) by the month they fell due, and per month-end those past due and not done
    by then. A request done after ``as_of`` counts as not done: the book did not know it yet."""
    due = func.coalesce(ActivityRow.due_date, func.date(ActivityRow.start))
    rows = plain_rows(
        s,
        select(
            ActivityRow.household_id,
            _month(due),
            _month(ActivityRow.completed_at),
            _text(ActivityRow.completed_at),
        ).where(ActivityRow.kind == "task", due.is_not(None), due <= as_of),
    )
    requests = np.zeros((len(row), count), dtype=np.float32)
    overdue = np.zeros((len(row), count + 1), dtype=np.float32)
    chosen = [r for r in rows if r[0] is not None and int(r[0]) in row and r[1] is not None]
    if not chosen:
        return requests, overdue[:, :count]
    h = np.array([row[int(r[0])] for r in chosen])
    m = _ym([r[1] for r in chosen]) - base
    done_after = [r[3] is None or str(r[3])[:10] > as_of.isoformat() for r in chosen]
    c = np.array([count if late else int(r[2]) - base for r, late in zip(chosen, done_after, strict=True)])
    seen = (m >= 0) & (m < count)
    np.add.at(requests, (h[seen], m[seen]), 1.0)
    # +1 from the month it fell due, -1 from the month it was done: a running sum gives the open ones.
    first, last = np.clip(m, 0, count), np.clip(c, 0, count)
    late = first < last
    np.add.at(overdue, (h[late], first[late]), 1.0)
    np.add.at(overdue, (h[late], last[late]), -1.0)
    return requests, np.cumsum(overdue, axis=1)[:, :count]


def _count(
    rows: Sequence[Any],
    row: dict[int, int],
    base: int,
    count: int,
    target: np.ndarray,
    keep: Callable[[Any], bool],
    amount: Callable[[Any], float] = lambda r: 1.0,
    *,
    clip_early: bool = False,
) -> None:
    """Add each kept row (household id, date, ...) into ``target[household, month]``."""
    chosen = [r for r in rows if r[0] is not None and int(r[0]) in row and keep(r)]
    if not chosen:
        return
    h = np.array([row[int(r[0])] for r in chosen])
    m = _ym([r[1] for r in chosen]) - base
    if clip_early:
        m = np.maximum(m, 0)
    values = np.array([amount(r) for r in chosen], dtype=float)
    ok = (m >= 0) & (m < count)
    np.add.at(target, (h[ok], m[ok]), values[ok])


CHUNK = 50_000  # rows fetched at a time: a 10,000-household book has 2 million balances


def _chunks(s: Session, statement: Any) -> Iterator[Sequence[Any]]:
    """Plain rows of ``statement`` a chunk at a time, so that millions of rows never sit in Python at once."""
    result = connection_of(s).execute(statement)
    try:
        while rows := result.cursor.fetchmany(CHUNK):
            yield rows
    finally:
        result.close()


class _Balances:
    """Each account's balance at each month-end: its latest balance on or before it, from rows arriving
    sorted by account and date in chunks. The last row of each (account, month) goes into a dense table
    (column 0: the month before the history), carried forward along months at the end."""

    def __init__(self, accounts: list[int], count: int) -> None:
        self.keys = np.array(accounts, dtype=np.int64)
        self.count = count
        self.dense = np.full((len(accounts), count + 1), np.nan)

    def add(self, acct: np.ndarray, month: np.ndarray, cents: np.ndarray) -> None:
        index = np.searchsorted(self.keys, acct)
        known = (index < len(self.keys)) & (self.keys[np.minimum(index, len(self.keys) - 1)] == acct)
        index, column, value = index[known], np.clip(month[known], -1, self.count - 1) + 1, cents[known]
        cell = index * (self.count + 1) + column
        last = np.ones(len(cell), dtype=bool)
        last[:-1] = cell[:-1] != cell[1:]  # sorted by account and date: the month's last balance
        self.dense[index[last], column[last]] = np.nan_to_num(value[last]) / 100.0

    def fill(
        self, acct_row: dict[int, int], managed_acct: set[int], managed: np.ndarray, held_away: np.ndarray
    ) -> None:
        households = np.array([acct_row.get(int(a), -1) for a in self.keys.tolist()], dtype=np.int64)
        is_managed = np.array([int(a) in managed_acct for a in self.keys.tolist()], dtype=bool)
        columns = np.arange(self.count + 1)[None, :]
        for lo in range(0, len(self.keys), 5000):  # a block of accounts at a time: small temporaries
            dense = self.dense[lo : lo + 5000]
            position = np.maximum.accumulate(np.where(np.isnan(dense), -1, columns), axis=1)
            found = np.take_along_axis(dense, np.maximum(position, 0), axis=1)
            series = np.where(position >= 0, found, 0.0)[:, 1:]
            h, m = households[lo : lo + 5000], is_managed[lo : lo + 5000]
            for target, mask in ((managed, m), (held_away, ~m)):
                chosen = mask & (h >= 0)
                np.add.at(target, h[chosen], series[chosen])
