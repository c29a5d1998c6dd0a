"""Load the book into ``BookRecords`` with a few aggregate SQL queries, no pandas (issue 21).

Aggregation happens in SQL where it is cheaper than moving rows: the latest balance per account on or
before a date is one index seek per account (``balances`` is keyed by account and date), and flows and fees
arrive already summed per household and interval. The rows come back as plain DBAPI tuples (dates as
text, parsed here), so that a small book's KPIs cost little more than its SQL. ``analytics_data`` builds
its pandas frames from these same queries. Works on SQLite and PostgreSQL.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from datetime import date
from typing import Any, cast

from sqlalchemy import (
    Date,
    String,
    and_,
    bindparam,
    case,
    exists,
    func,
    or_,
    select,
    type_coerce,
)
from sqlalchemy.engine import Connection
from sqlalchemy.orm import Session, aliased
from sqlalchemy.sql import ColumnElement

from actdesk.domain.analytics.dates import key_dates
from actdesk.domain.analytics.periods import ClientPeriod
from actdesk.domain.analytics.records import (
    BookRecords,
    HouseholdRecord,
    MemberRecord,
    ReferralRecord,
    ReferrerRecord,
)
from actdesk.domain.enums import RelationshipKind
from actdesk.storage.dialect import is_sqlite
from actdesk.storage.latest_balance import latest_balance
from actdesk.storage.overlapped_read import overlapped
from actdesk.storage.repositories.client_periods import client_periods
from actdesk.storage.tables.book import (
    AccountRow,
    ContactRow,
    FeeRow,
    FlowRow,
    HouseholdRow,
    ReferralRow,
    RelationshipRow,
)
from actdesk.storage.tables.client_periods import ClientPeriodRow

Rows = Sequence[Any]


_STATEMENTS: dict[tuple[object, ...], Any] = {}


def prepared(key: tuple[object, ...], build: Callable[[], Any]) -> Any:
    """The statement ``build()`` makes, built once per process and key (dates as bound parameters):
    building and hashing a statement costs more than running it on a small book, and a statement built
    once is compiled once (SQLAlchemy's compiled cache) and then only executed."""
    statement = _STATEMENTS.get(key)
    if statement is None:
        statement = _STATEMENTS[key] = build()
    return statement


def connection_of(target: Session | Connection) -> Connection:
    return target.connection() if isinstance(target, Session) else target


def plain_rows(target: Session | Connection, statement: Any, params: dict[str, Any] | None = None) -> Rows:
    """Plain DBAPI tuples of a Core statement. Its columns are chosen to need no result processing
    (dates fetched as text, flags as integers), so rows go from the driver to their use without a Row
    object each: on a 10,000-household book that halves the Python time of a load."""
    result = connection_of(target).execute(statement, params or {})
    try:
        return result.cursor.fetchall()
    finally:
        result.close()


def likely(s: Session | Connection, condition: ColumnElement[bool]) -> ColumnElement[bool]:
    """``condition`` marked as true for most rows, so that SQLite's planner does not drive a join from an
    index on it. A range of dates over a per-account join is the case: without the mark SQLite walks
    the date index and looks every account up (0.063 s for a year of flows of a 10,000-household book);
    with it, it walks the accounts and seeks each one's range on the (account_id, date) index (0.044 s).
    Other databases choose well by themselves."""
    if not is_sqlite(s):
        return condition
    # Untyped on purpose: a Boolean-typed function is compared with 1 on SQLite, which hides the range.
    return func.likely(condition)


def packed(sqlite: bool, statement: Any) -> Any:
    """``statement`` for a query meant to overlap other work in a second thread: on SQLite its rows come
    back packed as one JSON text, so the thread needs Python's global lock once instead of once per row
    (per row, it waits for the busy thread to let go every time: seconds instead of 0.1 s)."""
    if not sqlite:
        return statement
    inner = statement.subquery()
    return select(func.json_group_array(func.json_array(*inner.c)))


def packed_rows(target: Session | Connection, statement: Any, params: dict[str, Any]) -> Rows:
    """The rows of a statement made by ``packed``."""
    if not is_sqlite(target):
        return plain_rows(target, statement, params)
    rows: list[Any] = json.loads(connection_of(target).execute(statement, params).scalar_one())
    return rows


def as_text(column: Any) -> Any:
    """A date column fetched as it is stored (ISO text on SQLite), parsed by the caller all at once."""
    return type_coerce(column, String)


def day_of(value: Any) -> date | None:
    """A date fetched as text (SQLite) or as a date (PostgreSQL)."""
    if value is None or isinstance(value, date):
        return value
    return date.fromisoformat(str(value)[:10])


def _day(name: str) -> Any:
    return bindparam(name, type_=Date)


def _days(days: Sequence[date]) -> dict[str, date]:
    return {f"d{i}": d for i, d in enumerate(days)}


def household_rows(s: Session | Connection) -> Rows:
    """id, name, status, client_since, client_until (text), leaving_reason; ascending ids (the table's
    own order on SQLite: the sort costs nothing there)."""
    h = HouseholdRow
    return plain_rows(
        s,
        prepared(
            ("households",),
            lambda: select(
                h.id, h.name, h.status, as_text(h.client_since), as_text(h.client_until), h.leaving_reason
            ).order_by(h.id),
        ),
    )


# Above any contact id: a contact without the primary role sorts after every primary one.
_NOT_PRIMARY = 1 << 62


def _member_statement(sqlite: bool) -> Any:
    c, p = ContactRow, aliased(ContactRow)
    if sqlite:
        # SQLite's bare columns: in a group with exactly one min(), the other plain columns come from
        # the row that holds the minimum, so the primary contact's details arrive with the sums and no
        # join looks each one up again (33 -> 25 ms on 10,000 households). The same row as below: the
        # first contact with the primary role, else the first contact.
        pick = func.min(case((c.role == "primary", c.id), else_=c.id + _NOT_PRIMARY))
        return (
            select(
                c.household_id,
                func.count(),
                func.sum(c.income_cents),
                func.sum(c.net_worth_cents),
                pick % _NOT_PRIMARY,
                c.first_name,
                c.last_name,
                as_text(c.birth_date),
                c.risk_tolerance,
                c.city,
                c.region,
                c.country,
            )
            .where(c.household_id.is_not(None))
            .group_by(c.household_id)
        )
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
    return select(
        per.c.hid,
        per.c.members,
        per.c.income,
        per.c.worth,
        per.c.pid,
        p.first_name,
        p.last_name,
        as_text(p.birth_date),
        p.risk_tolerance,
        p.city,
        p.region,
        p.country,
    ).join(p, p.id == per.c.pid)


def member_rows(s: Session | Connection) -> Rows:
    """Contacts summed per household in SQL, joined to the primary contact's details (one row per
    household instead of one per contact): id, members, income, net worth, primary contact id, first
    name, last name, birth date (text), risk tolerance, city, region, country."""
    sqlite = is_sqlite(s)
    return plain_rows(s, prepared(("members", sqlite), lambda: _member_statement(sqlite)))


def _referrer_statement() -> Any:
    c = ContactRow
    named = exists().where(
        RelationshipRow.to_contact_id == c.id,
        RelationshipRow.kind == RelationshipKind.CENTER_OF_INFLUENCE.value,
    )
    return select(c.id, c.household_id, c.first_name, c.last_name, c.household_id.is_(None) | named).where(
        c.id.in_(select(ReferralRow.referrer_contact_id))
    )


def referrer_rows(s: Session | Connection) -> Rows:
    """Contacts who referred: id, household id, first name, last name, center of influence (no household,
    or named one by a relationship)."""
    return plain_rows(s, prepared(("referrers",), _referrer_statement))


def referral_rows(s: Session | Connection) -> Rows:
    r = ReferralRow
    return plain_rows(
        s,
        prepared(
            ("referrals",),
            lambda: select(r.referrer_contact_id, r.referred_household_id, as_text(r.date), r.outcome),
        ),
    )


def _aum_statement(sqlite: bool, k: int) -> Any:
    managed = AccountRow.managed.is_(True)
    columns = [
        func.sum(case((managed, latest_balance(AccountRow.id, _day(f"d{i}"), sqlite)))) for i in range(k)
    ]
    held = func.sum(case((~managed, latest_balance(AccountRow.id, _day("d0"), sqlite))))
    # the household's accounts counted in the same pass: accounts, managed accounts, distinct types
    counts = (
        func.count(),
        func.sum(case((managed, 1), else_=0)),  # PostgreSQL has no sum(boolean)
        func.count(AccountRow.type.distinct()),
    )
    in_window = or_(  # a client at some point between the oldest and the newest day: nobody else counts
        and_(
            HouseholdRow.client_since <= _day("newest"),
            or_(HouseholdRow.client_until.is_(None), HouseholdRow.client_until > _day("oldest")),
        ),
        exists().where(  # one that left and came back: its earlier periods may hold these days
            ClientPeriodRow.household_id == HouseholdRow.id, ClientPeriodRow.start < HouseholdRow.client_since
        ),
    )
    return packed(
        sqlite,
        select(AccountRow.household_id, *columns, held, *counts)
        .join(HouseholdRow, HouseholdRow.id == AccountRow.household_id)
        .where(in_window)
        .group_by(AccountRow.household_id),
    )


def aum_rows(s: Session | Connection, days: Sequence[date]) -> Rows:
    """Per household, the managed balance at each of ``days`` and the held-away balance at the first
    (the as-of date: nothing reads it at the older ones), None when it had none yet; then its accounts,
    managed accounts and distinct account types. One row per household that was a client at some point
    between the oldest and the newest day, grouped in SQL: one seek per managed account and day, one per
    held-away account. Counting the accounts here adds 9-10 ms to this read on a 10,000-household book,
    against 16 ms for a query of their own."""
    sqlite = is_sqlite(s)
    statement = prepared(("aum", sqlite, len(days)), lambda: _aum_statement(sqlite, len(days)))
    return packed_rows(s, statement, {**_days(days), "newest": max(days), "oldest": min(days)})


def _in_interval(column: Any, i: int, k: int) -> ColumnElement[bool]:
    """``column`` in the i-th interval (d{i+1}, d{i}] of ``k`` snapshots bound as d0 (newest) ..
    d{k-1}; the query's own range keeps it after d{k-1} and on or before d0."""
    if i == 0:
        return cast(ColumnElement[bool], column > _day("d1"))
    if i == k - 2:
        return cast(ColumnElement[bool], column <= _day(f"d{i}"))
    return and_(column <= _day(f"d{i}"), column > _day(f"d{i + 1}"))


def _flow_statement(s: Session | Connection, k: int) -> Any:
    amount = FlowRow.amount_cents
    sums = [
        func.sum(case((and_(_in_interval(FlowRow.date, i, k), sign), amount), else_=0))
        for i in range(k - 1)
        for sign in (amount > 0, amount < 0)
    ]
    return packed(
        is_sqlite(s),
        select(AccountRow.household_id, *sums)
        .select_from(AccountRow)
        .join(FlowRow, AccountRow.id == FlowRow.account_id)
        .where(
            AccountRow.managed.is_(True),
            likely(s, FlowRow.date > _day(f"d{k - 1}")),  # each account's flows by its (account, date) key
            likely(s, FlowRow.date <= _day("d0")),
        )
        .group_by(AccountRow.household_id),
    )


def flow_rows(s: Session | Connection, snaps: Sequence[date]) -> Rows:
    """Managed accounts' flows per household with any in (snaps[-1], snaps[0]]: id, then inflows and
    outflows (negative) of each interval (older snapshot, snapshot], newest first."""
    statement = prepared(("flows", is_sqlite(s), len(snaps)), lambda: _flow_statement(s, len(snaps)))
    return packed_rows(s, statement, _days(snaps))


def _fee_statement(sqlite: bool, k: int) -> Any:
    recurring, amount = FeeRow.recurring.is_(True), FeeRow.amount_cents
    sums = [
        func.sum(case((and_(_in_interval(FeeRow.date, i, k), kind), amount), else_=0))
        for i in range(k - 1)
        for kind in (recurring, ~recurring)
    ]
    return packed(
        sqlite,
        select(FeeRow.household_id, *sums)
        .where(FeeRow.date > _day(f"d{k - 1}"), FeeRow.date <= _day("d0"))
        .group_by(FeeRow.household_id),  # SQLite picks fees(date): the fastest here
    )


def fee_rows(s: Session | Connection, snaps: Sequence[date]) -> Rows:
    """Fees per household with any in (snaps[-1], snaps[0]]: id, then recurring and one-off fees of
    each interval (older snapshot, snapshot], newest first."""
    sqlite = is_sqlite(s)
    statement = prepared(("fees", sqlite, len(snaps)), lambda: _fee_statement(sqlite, len(snaps)))
    return packed_rows(s, statement, _days(snaps))


def returning_periods(s: Session | Connection) -> list[ClientPeriod]:
    """Every client period of the households that left and came back."""
    return client_periods(s, returning_only=True)


def _household_records(rows: Rows, periods: Sequence[ClientPeriod]) -> dict[int, HouseholdRecord]:
    by_household: dict[int, list[ClientPeriod]] = {}
    for p in periods:
        by_household.setdefault(p.household_id, []).append(p)
    day = day_of
    return {
        h: HouseholdRecord(name, status, day(since), day(until), reason, tuple(by_household.get(h, ())))
        for h, name, status, since, until, reason in rows  # ascending ids (household_rows)
    }


def _int(value: Any) -> int | None:
    return None if value is None else int(value)


def household_records(s: Session | Connection) -> dict[int, HouseholdRecord]:
    """Every household with its client periods (the yearly retention trend needs nothing else)."""
    return _household_records(household_rows(s), returning_periods(s))


def _member_records(rows: Rows) -> dict[int, MemberRecord]:
    day = day_of
    return {
        r[0]: MemberRecord(r[1], _int(r[2]), _int(r[3]), r[5], r[6], day(r[7]), r[8], r[9], r[10], r[11])
        for r in rows
    }


def _plain_records(
    *,
    households: Rows,
    members: Rows,
    referrers: Rows,
    referrals: Rows,
    periods: Sequence[ClientPeriod],
) -> dict[str, Any]:
    """The records that do not depend on the as-of date, but the accounts, by ``BookRecords`` field."""
    return {
        "households": _household_records(households, periods),
        "members": _member_records(members),
        "referrers": {
            c: ReferrerRecord(c, h, first, last, bool(named)) for c, h, first, last, named in referrers
        },
        "referrals": tuple(
            ReferralRecord(a, b, day_of(d) or date.min, outcome) for a, b, d, outcome in referrals
        ),
    }


def _account_records(aum: Rows) -> dict[int, tuple[int, int, int]]:
    """Accounts, managed accounts and distinct types, from the last three columns of ``aum_rows``."""
    return {r[0]: (int(r[-3]), int(r[-2]), int(r[-1])) for r in aum}


def _dated_records(*, aum: Rows, flows: Rows, fees: Rows) -> dict[str, Any]:
    """The balances, flows and fees of the snapshots, by ``BookRecords`` field."""
    return {
        "aum": {h: (int(a or 0), int(b or 0), int(c or 0)) for h, a, b, c, *_counts in aum},
        "flows": {h: (int(a), int(b), int(c), int(d)) for h, a, b, c, d in flows},
        "fees": {h: (int(a), int(b), int(c), int(d)) for h, a, b, c, d in fees},
    }


def build_records(
    as_of: date,
    snaps: tuple[date, ...],
    *,
    households: Rows,
    members: Rows,
    referrers: Rows,
    aum: Rows,
    flows: Rows,
    fees: Rows,
    referrals: Rows,
    periods: Sequence[ClientPeriod],
) -> BookRecords:
    """``BookRecords`` from the rows of the queries above. Sums of cents become ``int`` (PostgreSQL gives
    a Decimal for a sum of big integers); ids and counts are the driver's integers."""
    plain = _plain_records(
        households=households, members=members, referrers=referrers, referrals=referrals, periods=periods
    )
    dated = _dated_records(aum=aum, flows=flows, fees=fees)
    return BookRecords(as_of=as_of, snapshots=snaps, accounts=_account_records(aum), **plain, **dated)


def load_book_records(session: Session, as_of: date) -> BookRecords:
    """The book as of ``as_of``, for the KPIs. The balance reads (with the accounts counted per household)
    and the fees of two years overlap the rest on a second connection where there is one
    (``overlapped_read``), and so does the building of the records that do not need them. On a
    10,000-household book the halves take 0.08 s and 0.11 s of work on a quiet machine."""
    snaps = key_dates(as_of)

    def side(connection: Connection) -> tuple[Rows, Rows]:
        return (
            aum_rows(connection, (snaps[0], snaps[2])),
            fee_rows(
                connection, (snaps[0], snaps[2], snaps[3])
            ),  # the year to the as-of date, the one before
        )

    def here() -> tuple[dict[str, Any], Rows]:
        plain = _plain_records(
            households=household_rows(session),
            members=member_rows(session),
            referrers=referrer_rows(session),
            referrals=referral_rows(session),
            periods=returning_periods(session),
        )
        return plain, flow_rows(session, snaps[:3])

    (aum, fees), (plain, flows) = overlapped(session, side, here)
    dated = _dated_records(aum=aum, flows=flows, fees=fees)
    return BookRecords(as_of=as_of, snapshots=snaps, accounts=_account_records(aum), **plain, **dated)
