"""The SQL behind the alert rules' facts: a handful of grouped queries over the whole book.

Each query aggregates per household in the database (latest balance per account by index seek, flows,
fees and activities summed or maxed per household), so building the facts for 10,000 households costs
tens of milliseconds, not a query per household. The rows are folded into one plain ``HouseholdFacts`` per
client household (no pandas: issue 21). Works on SQLite and PostgreSQL.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from dateutil.relativedelta import relativedelta
from sqlalchemy import Date, bindparam, text
from sqlalchemy.orm import Session
from sqlalchemy.sql.elements import BindParameter

from actdesk.domain.alerts.facts import HouseholdFacts, LifeEventFacts, MemberFacts, OutflowFacts
from actdesk.domain.alerts.settings import AlertSettings
from actdesk.domain.analytics.dates import shift_months
from actdesk.domain.analytics.periods import ClientPeriod, client_on, left_before, returned_on, tenure_days
from actdesk.storage.repositories.client_periods import client_periods
from actdesk.storage.tables.base import UTCDateTime


def _query(s: Session, sql: str, **params: Any) -> list[Any]:
    """Run ``sql`` with typed parameters: dates, aware instants and lists (expanded into IN (...))."""
    binds: list[BindParameter[Any]] = []
    for name, value in params.items():
        if isinstance(value, list | tuple):
            binds.append(bindparam(name, expanding=True))
        elif isinstance(value, datetime):
            binds.append(bindparam(name, type_=UTCDateTime()))
        elif isinstance(value, date):
            binds.append(bindparam(name, type_=Date()))
    return list(s.execute(text(sql).bindparams(*binds), params).all())


def _day(value: Any) -> date | None:
    """A date column's value (ISO text on SQLite, a date on PostgreSQL)."""
    if value is None:
        return None
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    return date.fromisoformat(str(value)[:10])


def _instant(value: Any) -> datetime | None:
    """A UTC instant (ISO text on SQLite, an aware datetime on PostgreSQL) as a naive UTC datetime."""
    if value is None:
        return None
    moment = value if isinstance(value, datetime) else datetime.fromisoformat(str(value))
    return moment.astimezone(UTC).replace(tzinfo=None) if moment.tzinfo is not None else moment


def _units(cents: Any, unknown: float = 0.0) -> float:
    """Cents (an integer, or a Decimal on PostgreSQL) as float currency units."""
    return unknown if cents is None else float(cents) / 100


def _name(first: str | None, last: str | None) -> str:
    return f"{first or ''} {last or ''}".strip()


CLIENTS = """
SELECT id, name, client_since FROM households
WHERE client_since <= :d AND (client_until IS NULL OR client_until > :d)
"""

# Per account, the latest balance on or before each of three dates: one index seek each.
LATEST = "(SELECT b.balance_cents FROM balances b WHERE b.account_id = a.id AND b.date <= {d} ORDER BY b.date DESC LIMIT 1)"
AUM_AT = f"""
SELECT a.household_id, a.managed, SUM({LATEST.format(d=":d0")}), SUM({LATEST.format(d=":d1")}),
  SUM({LATEST.format(d=":d2")})
FROM accounts a
GROUP BY a.household_id, a.managed
"""

NET_FLOWS = """
SELECT a.household_id, SUM(f.amount_cents)
FROM flows f JOIN accounts a ON a.id = f.account_id
WHERE a.managed = :yes AND f.date > :start AND f.date <= :d
GROUP BY a.household_id
"""

OUTFLOWS = """
SELECT a.household_id, f.date, -f.amount_cents, a.type, a.custodian,
  (SELECT SUM(b.balance_cents) FROM accounts a2 JOIN balances b ON b.account_id = a2.id
   WHERE a2.household_id = a.household_id AND a2.managed = :yes
     AND b.date = (SELECT MAX(b3.date) FROM balances b3 WHERE b3.account_id = a2.id AND b3.date < f.date))
FROM flows f JOIN accounts a ON a.id = f.account_id
WHERE a.managed = :yes AND f.amount_cents < 0 AND (f.kind IS NULL OR f.kind <> 'fee')
  AND f.date >= :start AND f.date <= :d
"""

NET_WORTH = """
SELECT household_id, SUM(net_worth_cents) FROM contacts
WHERE household_id IS NOT NULL AND net_worth_cents IS NOT NULL
GROUP BY household_id
"""

FEES = """
SELECT household_id,
  SUM(CASE WHEN date > :y1 THEN amount_cents ELSE 0 END),
  SUM(CASE WHEN date <= :y1 THEN amount_cents ELSE 0 END),
  SUM(CASE WHEN date > :y1 AND recurring = :yes THEN amount_cents ELSE 0 END),
  SUM(CASE WHEN date <= :y1 AND recurring = :yes THEN amount_cents ELSE 0 END)
FROM fees WHERE date > :y2 AND date <= :d
GROUP BY household_id
"""

ACTIVITIES = """
SELECT act.household_id,
  MAX(CASE WHEN act.kind IN :contact_kinds THEN act.completed_at END),
  MAX(CASE WHEN act.kind = 'review' THEN act.completed_at END)
FROM activities act
WHERE act.completed_at >= :floor AND act.completed_at < :end
GROUP BY act.household_id
"""

ACTIVITIES_OF = """
SELECT act.household_id,
  MAX(CASE WHEN act.kind IN :contact_kinds THEN act.completed_at END),
  MAX(CASE WHEN act.kind = 'review' THEN act.completed_at END)
FROM activities act
WHERE act.household_id IN :ids AND act.completed_at IS NOT NULL AND act.completed_at < :floor
GROUP BY act.household_id
"""

OCCURRENCES = """
SELECT act.household_id,
  MAX(CASE WHEN act.kind IN :contact_kinds THEN x.completed_at END),
  MAX(CASE WHEN act.kind = 'review' THEN x.completed_at END)
FROM activity_exceptions x JOIN activities act ON act.id = x.activity_id
WHERE x.completed_at IS NOT NULL AND x.completed_at < :end
GROUP BY act.household_id
"""

NEXT_REVIEW = """
SELECT household_id, MIN(start) FROM activities
WHERE kind = 'review' AND completed_at IS NULL AND start >= :begin
GROUP BY household_id
"""

MEMBERS = """
SELECT id, household_id, role, first_name, last_name, birth_date FROM contacts
WHERE household_id IS NOT NULL
"""

SPOUSE_LINKS = """
SELECT DISTINCT c.household_id FROM contact_relationships r
JOIN contacts c ON c.id = r.from_contact_id OR c.id = r.to_contact_id
WHERE r.kind = 'spouse' AND c.household_id IS NOT NULL
"""

PARENT_LINKS = """
SELECT DISTINCT c.household_id FROM contact_relationships r JOIN contacts c ON c.id = r.from_contact_id
WHERE r.kind = 'parent' AND c.household_id IS NOT NULL
"""

MARITAL_EVENTS = """
SELECT household_id, kind, MAX(date) FROM life_events
WHERE kind IN ('marriage', 'divorce', 'death') AND date <= :d
GROUP BY household_id, kind
"""

CONTACT_ACTIVITY = """
SELECT contact_id, COUNT(*) FROM activities
WHERE contact_id IS NOT NULL AND completed_at IS NOT NULL AND completed_at >= :since AND completed_at < :end
GROUP BY contact_id
"""

MEETINGS = """
SELECT household_id, completed_at FROM activities
WHERE kind IN ('meeting', 'review') AND completed_at IS NOT NULL AND completed_at < :end AND completed_at >= :floor
"""

LIFE_EVENTS = """
SELECT le.household_id, le.kind, le.date, c.first_name, c.last_name
FROM life_events le LEFT JOIN contacts c ON c.id = le.contact_id
WHERE le.date >= :start AND le.date <= :stop
"""


def load_household_facts(s: Session, as_of: date, settings: AlertSettings) -> list[HouseholdFacts]:
    """Everything the rules read, one record per client household on ``as_of``, except the analytics'
    segments and retention probabilities (the caller adds those)."""
    end = datetime.combine(as_of + timedelta(days=1), time(), tzinfo=UTC)
    begin = datetime.combine(as_of, time(), tzinfo=UTC)
    # Month-ends map to month-ends (30 Nov - 6 months = 31 May), as the analytics count periods.
    past = shift_months(as_of, -settings.erosion_months)
    wallet_past = shift_months(as_of, -settings.wallet_months)
    y1, y2 = shift_months(as_of, -12), shift_months(as_of, -24)

    hh: dict[int, HouseholdFacts] = {
        int(hid): HouseholdFacts(int(hid), name=name, client_since=_day(since), aum_past=0.0)
        for hid, name, since in _query(s, CLIENTS, d=as_of)
    }
    _periods(s, hh, as_of)

    aum_wallet_past: dict[int, float] = {}
    for hid, managed, now, then, wallet in _query(s, AUM_AT, d0=as_of, d1=past, d2=wallet_past):
        h = hh.get(hid)
        if h is None:
            continue
        if managed:
            h.aum, h.aum_past, aum_wallet_past[hid] = _units(now), _units(then), _units(wallet)
        else:
            h.held_away = _units(now)
    for hid, cents in _query(s, NET_FLOWS, d=as_of, start=past, yes=True):
        if hid in hh:
            hh[hid].net_flows_past = _units(cents)
    worth = {hid: _units(cents, math.nan) for hid, cents in _query(s, NET_WORTH)}
    for hid, h in hh.items():
        h.net_worth = worth.get(hid, math.nan)
        known = h.net_worth if h.net_worth > 0 else math.nan
        h.share_of_wallet = h.aum / known
        h.share_of_wallet_past = aum_wallet_past.get(hid, 0.0) / known
    for hid, revenue, revenue_prev, recurring, recurring_prev in _query(
        s, FEES, d=as_of, y1=y1, y2=y2, yes=True
    ):
        if hid in hh:
            h = hh[hid]
            h.revenue_t12m, h.revenue_prev_t12m = _units(revenue), _units(revenue_prev)
            h.recurring_t12m, h.recurring_prev_t12m = _units(recurring), _units(recurring_prev)

    _activity_facts(s, hh, settings, begin, end)
    _member_facts(s, hh, as_of, settings, end)
    outflows: dict[int, list[OutflowFacts]] = {}
    for hid, day, cents, kind, custodian, before in _query(
        s, OUTFLOWS, d=as_of, start=as_of - timedelta(days=settings.withdrawal_window_days), yes=True
    ):
        when = _day(day)
        if hid in hh and when is not None:
            outflows.setdefault(hid, []).append(
                OutflowFacts(when, _units(cents), _units(before), _account_label(kind, custodian))
            )
    events: dict[int, list[LifeEventFacts]] = {}
    for hid, kind, day, first, last in _query(
        s,
        LIFE_EVENTS,
        start=as_of - timedelta(days=settings.life_event_window_days),
        stop=as_of + timedelta(days=settings.life_event_lookahead_days),
    ):
        when = _day(day)
        if hid in hh and when is not None:
            events.setdefault(hid, []).append(LifeEventFacts(kind, when, _name(first, last)))
    for hid, h in hh.items():
        h.outflows = tuple(outflows.get(hid, ()))
        h.life_events = tuple(events.get(hid, ()))
    return list(hh.values())


def _periods(s: Session, hh: dict[int, HouseholdFacts], as_of: date) -> None:
    """Every client period, not only the latest: a household that came back has its tenure (the periods
    added up), the day it returned and the day it had left; one that was a client on ``as_of`` in an earlier
    period (a past evaluation date) is a client household then, from that period's start."""
    by_household: dict[int, list[ClientPeriod]] = {}
    for p in client_periods(s, returning_only=True):
        by_household.setdefault(p.household_id, []).append(p)
    back = {
        hid: next(p.start for p in ps if p.start <= as_of and (p.end is None or p.end > as_of))
        for hid, ps in by_household.items()
        if hid not in hh and client_on(ps, as_of)
    }
    if back:
        from actdesk.storage.repositories.households import household_names  # rare: keeps its import off

        names = household_names(s, list(back))
        for hid, start in back.items():
            hh[hid] = HouseholdFacts(hid, name=names.get(hid, ""), client_since=start, aum_past=0.0)
    for h in hh.values():
        if h.client_since is not None:
            h.tenure_days = float((as_of - h.client_since).days)
    for hid, ps in by_household.items():
        if hid not in hh:
            continue
        h = hh[hid]
        h.tenure_days = float(tenure_days(ps, as_of))
        came_back = returned_on(ps, as_of)
        before = left_before(ps, as_of)
        if came_back is not None and before is not None:
            h.returned_on, h.left_on = came_back, before.end


def _account_label(kind: str | None, custodian: str | None) -> str:
    from actdesk.i18n import _

    labels = {
        "ira": "IRA",
        "roth_ira": "Roth IRA",
        "401k": "401(k)",
        "529": "529 plan",
        "brokerage": _("brokerage account"),
        "annuity": _("annuity"),
        "insurance": _("insurance policy"),
        "trust": _("trust account"),
        "checking": _("checking account"),
        "other": _("account"),
    }
    account = labels.get(kind or "", _("account"))
    return (
        _("{account} at {custodian}").format(account=account, custodian=custodian) if custodian else account
    )


RECENT_DAYS = 800  # longer than any default cadence or review interval, twice over


def _later(a: datetime | None, b: datetime | None) -> datetime | None:
    return b if a is None else a if b is None else max(a, b)


def _fold(latest: dict[int, list[datetime | None]], rows: Iterable[Any]) -> None:
    """Keep the latest contact and review instant per household from ``(household, contact, review)`` rows."""
    for hid, contact, review in rows:
        seen = latest.setdefault(hid, [None, None])
        seen[0] = _later(seen[0], _instant(contact))
        seen[1] = _later(seen[1], _instant(review))


def _activity_facts(
    s: Session, hh: dict[int, HouseholdFacts], settings: AlertSettings, begin: datetime, end: datetime
) -> None:
    kinds = list(settings.contact_kinds) or ["call"]
    # The recent past by the completed_at index; older history only for households with nothing recent
    # (by the household index), instead of scanning ten years of activities every 15 minutes.
    floor = end - timedelta(days=RECENT_DAYS)
    latest: dict[int, list[datetime | None]] = {}
    _fold(latest, _query(s, ACTIVITIES, contact_kinds=kinds, floor=floor, end=end))
    _fold(latest, _query(s, OCCURRENCES, contact_kinds=kinds, end=end))
    missing = [hid for hid in hh if None in latest.get(hid, (None,))]
    for i in range(0, len(missing), 500):
        _fold(latest, _query(s, ACTIVITIES_OF, contact_kinds=kinds, ids=missing[i : i + 500], floor=floor))
    for hid, (contact, review) in latest.items():
        h = hh.get(hid)
        if h is not None:
            h.last_contact = None if contact is None else contact.date()
            h.last_review = None if review is None else review.date()
    for hid, start in _query(s, NEXT_REVIEW, begin=begin):
        moment = _instant(start)
        if hid in hh and moment is not None:
            hh[hid].next_review = moment.date()
    # Meetings as a client: counted per household from its own client_since (one query, filtered here).
    for hid, completed in _query(
        s, MEETINGS, end=end, floor=end - timedelta(days=settings.first_year_days + 2)
    ):
        h = hh.get(hid)
        moment = _instant(completed)
        since = None if h is None or h.client_since is None else datetime.combine(h.client_since, time())
        if h is not None and since is not None and moment is not None and moment >= since:
            h.meetings_as_client += 1


def _member_facts(
    s: Session, hh: dict[int, HouseholdFacts], as_of: date, settings: AlertSettings, end: datetime
) -> None:
    contacts = [row for row in _query(s, MEMBERS) if row[1] in hh]
    spouses: dict[int, tuple[int, str]] = {}  # the first spouse on file: contact id and name
    primaries: dict[int, list[int]] = {}
    heirs: set[int] = set()
    members: dict[int, list[MemberFacts]] = {}
    for contact_id, hid, role, first, last, birth in contacts:
        name = _name(first, last)
        if role == "spouse":
            spouses.setdefault(hid, (contact_id, name))
        elif role == "primary":
            primaries.setdefault(hid, []).append(contact_id)
        elif role in ("heir", "child"):
            heirs.add(hid)
        if role in ("primary", "spouse"):
            members.setdefault(hid, []).append(MemberFacts(name, _day(birth)))
    linked = {int(r[0]) for r in _query(s, SPOUSE_LINKS)}
    marital: dict[int, dict[str, Any]] = {}
    for hid, kind, day in _query(s, MARITAL_EVENTS, d=as_of):
        if day is not None:
            marital.setdefault(int(hid), {})[kind] = day
    married_by_event: set[int] = set()
    for hid, dates in marital.items():
        wed = dates.get("marriage")
        ended = max((d for d in (dates.get("divorce"), dates.get("death")) if d is not None), default=None)
        if wed is not None and (ended is None or str(ended) < str(wed)):
            married_by_event.add(hid)
    heirs |= {int(r[0]) for r in _query(s, PARENT_LINKS)}
    window = end - relativedelta(months=settings.spouse_unseen_months)
    seen: dict[int, int] = {int(cid): int(n) for cid, n in _query(s, CONTACT_ACTIVITY, since=window, end=end)}
    for hid, h in hh.items():
        spouse = spouses.get(hid)
        h.spouse_on_file = spouse is not None
        h.spouse_name = spouse[1] if spouse is not None else ""
        h.married = h.spouse_on_file or hid in linked or hid in married_by_event
        h.heirs_recorded = hid in heirs
        primary_seen = max((seen.get(cid, 0) for cid in primaries.get(hid, ())), default=0)
        spouse_seen = seen.get(spouse[0], 0) if spouse is not None else 0
        h.spouse_unseen = spouse_seen == 0 and primary_seen >= 2
        h.members = tuple(members.get(hid, ()))
