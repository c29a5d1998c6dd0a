"""Load every household's monthly history up to an as-of date for the retention model.

Only records dated on or before ``as_of`` are read, and client periods still open on that date are read
as open: the history a model sees at a past date is exactly what the book knew then, so a backtest cannot
look ahead even by accident. A handful of plain queries; the month bucketing happens in numpy.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

import numpy as np
from sqlalchemy import String, and_, extract, func, select, type_coerce
from sqlalchemy.orm import Session

from actdesk.domain.analytics.dates import last_month_end, shift_months
from actdesk.domain.analytics.history import ClientPeriod, HouseholdHistory, client_matrices
from actdesk.storage.analytics_series import plain_rows
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
CONTACT_KINDS = ("call", "meeting", "review", "email", "event")


def _text(column: Any) -> Any:
    return type_coerce(column, String)


def _month(column: Any) -> Any:
    """Year * 12 + month - 1 of a date, computed by the database (an integer per row is far cheaper
    to fetch and bucket than a date)."""
    return extract("year", column) * 12 + extract("month", column) - 1


def _ym(values: list[Any]) -> np.ndarray:
    return np.fromiter((int(v) for v in values), np.int64, len(values))


def client_periods(s: Session, as_of: date) -> list[ClientPeriod]:
    """Every client period that had begun by ``as_of``, as the book knew it then: a household that left
    and came back has two (``storage/repositories/client_periods.py``), so a landmark inside the gap is not
    a client and the departure before it is a departure."""
    return periods_known_on(s, as_of)


def load_history(s: Session, as_of: date) -> HouseholdHistory:
    periods = client_periods(s, as_of)
    last = last_month_end(as_of)
    first_needed = min((p.start for p in periods), default=last)
    # The history starts where the records do: before the first balance, a veteran client "has had no
    # contact for years" only because nothing was recorded yet.
    first_record = s.execute(select(func.min(BalanceRow.date))).scalar()
    if first_record is not None:
        first_needed = max(first_needed, date.fromisoformat(str(first_record)[:10]))
    first = max(shift_months(last, -(MAX_MONTHS - 1)), last_month_end(min(first_needed, last)))
    count = (last.year - first.year) * 12 + last.month - first.month + 1
    months = [shift_months(last, k - count + 1) for k in range(count)]
    ids = sorted({p.household_id for p in periods})
    row = {hid: i for i, hid in enumerate(ids)}
    n = len(ids)
    base = first.year * 12 + first.month - 1
    client, left, start = client_matrices(ids, months, periods)

    def matrix() -> np.ndarray:
        return np.zeros((n, count))

    accounts = plain_rows(s, select(AccountRow.id, AccountRow.household_id, AccountRow.managed))
    acct_row = {int(a): row[int(h)] for a, h, _m in accounts if int(h) in row}
    managed_acct = {int(a) for a, _h, m in accounts if m}
    managed, held_away = matrix(), matrix()
    balances = plain_rows(
        s,
        select(BalanceRow.account_id, _month(BalanceRow.date), BalanceRow.balance_cents)
        .where(BalanceRow.date <= as_of, BalanceRow.date > shift_months(first, -1))
        .order_by(BalanceRow.account_id, BalanceRow.date),
    )
    if balances:
        acct = np.fromiter((r[0] for r in balances), np.int64, len(balances))
        month = _ym([r[1] for r in balances]) - base
        value = np.fromiter((r[2] or 0 for r in balances), np.float64, len(balances)) / 100.0
        _fill_balances(acct, month, value, acct_row, managed_acct, managed, held_away, count)
    inflow, withdrawal, transfer_out = matrix(), matrix(), matrix()
    flows = plain_rows(
        s,
        select(FlowRow.account_id, _month(FlowRow.date), FlowRow.amount_cents, FlowRow.kind).where(
            FlowRow.date <= as_of, FlowRow.date > shift_months(first, -1)
        ),
    )
    if flows:
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
    contacts, reviews, events, fees, refs = matrix(), matrix(), matrix(), matrix(), matrix()
    done = ActivityRow.completed_at
    activity = plain_rows(
        s,
        select(ActivityRow.household_id, _month(done), ActivityRow.kind).where(
            done.is_not(None),
            ActivityRow.kind.in_(CONTACT_KINDS),
            done < datetime.combine(as_of + timedelta(days=1), time(), tzinfo=UTC),
        ),
    )
    _count(activity, row, base, count, contacts, lambda r: True)
    _count(activity, row, base, count, reviews, lambda r: r[2] == "review")
    life = plain_rows(
        s, select(LifeEventRow.household_id, _month(LifeEventRow.date)).where(LifeEventRow.date <= as_of)
    )
    _count(life, row, base, count, events, lambda r: True)
    fee_rows = plain_rows(
        s, select(FeeRow.household_id, _month(FeeRow.date), FeeRow.amount_cents).where(FeeRow.date <= as_of)
    )
    _count(fee_rows, row, base, count, fees, lambda r: True, amount=lambda r: (r[2] or 0) / 100.0)
    referral_rows = plain_rows(
        s,
        select(ContactRow.household_id, _month(ReferralRow.date))
        .join(ContactRow, and_(ContactRow.id == ReferralRow.referrer_contact_id))
        .where(ReferralRow.date <= as_of, ContactRow.household_id.is_not(None)),
    )
    _count(referral_rows, row, base, count, refs, lambda r: True)
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
    )


def _count(
    rows: Sequence[Any],
    row: dict[int, int],
    base: int,
    count: int,
    target: np.ndarray,
    keep: Callable[[Any], bool],
    amount: Callable[[Any], float] = lambda r: 1.0,
) -> None:
    """Add each kept row (household id, date, ...) into ``target[household, month]``."""
    chosen = [r for r in rows if r[0] is not None and int(r[0]) in row and keep(r)]
    if not chosen:
        return
    h = np.array([row[int(r[0])] for r in chosen])
    m = _ym([r[1] for r in chosen]) - base
    values = np.array([amount(r) for r in chosen], dtype=float)
    ok = (m >= 0) & (m < count)
    np.add.at(target, (h[ok], m[ok]), values[ok])


def _fill_balances(
    acct: np.ndarray,
    month: np.ndarray,
    value: np.ndarray,
    acct_row: dict[int, int],
    managed_acct: set[int],
    managed: np.ndarray,
    held_away: np.ndarray,
    count: int,
) -> None:
    """Each account's balance at each month-end: its latest balance on or before it (rows arrive sorted
    by account and date), summed into its household's managed or held-away matrix."""
    keys, first_index = np.unique(acct, return_index=True)
    bounds = [*first_index.tolist(), len(acct)]
    months = np.arange(count)
    for k, a in enumerate(keys.tolist()):
        h = acct_row.get(int(a))
        if h is None:
            continue
        lo, hi = bounds[k], bounds[k + 1]
        m, v = np.clip(month[lo:hi], -1, count - 1), value[lo:hi]
        position = np.searchsorted(m, months, side="right") - 1
        series = np.where(position >= 0, v[np.clip(position, 0, None)], 0.0)
        (managed if int(a) in managed_acct else held_away)[h] += series
