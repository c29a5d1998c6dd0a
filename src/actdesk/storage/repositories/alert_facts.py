"""The SQL behind the alert rules' facts: a handful of grouped queries over the whole book.

Each query aggregates per household in the database (latest balance per account by index seek, flows,
fees and activities summed or maxed per household), so building the facts for 10,000 households costs
tens of milliseconds, not a Python loop per household. Works on SQLite and PostgreSQL.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from typing import Any

import pandas as pd
from dateutil.relativedelta import relativedelta
from sqlalchemy import Date, bindparam, text
from sqlalchemy.orm import Session
from sqlalchemy.sql.elements import BindParameter

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


def _frame(rows: list[Any], columns: list[str]) -> pd.DataFrame:
    return pd.DataFrame([tuple(r) for r in rows], columns=columns)


def _instants(values: pd.Series) -> pd.Series:
    """UTC instants (ISO text on SQLite, aware datetimes on PostgreSQL) as naive UTC timestamps."""
    return pd.to_datetime(values, utc=True, format="ISO8601").dt.tz_localize(None)


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


def load_fact_tables(s: Session, as_of: date, settings: AlertSettings) -> dict[str, pd.DataFrame]:
    """Everything the rules read, except the analytics' segments and retention probabilities.

    Returns ``households`` (indexed by client household id) and ``outflows``, ``members``, ``life_events``
    in the shapes of ``actdesk.domain.alerts.facts``.
    """
    end = datetime.combine(as_of + timedelta(days=1), time(), tzinfo=UTC)
    begin = datetime.combine(as_of, time(), tzinfo=UTC)
    # Month-ends map to month-ends (30 Nov - 6 months = 31 May), as the analytics count periods.
    past = shift_months(as_of, -settings.erosion_months)
    wallet_past = shift_months(as_of, -settings.wallet_months)
    y1, y2 = shift_months(as_of, -12), shift_months(as_of, -24)

    h = _frame(_query(s, CLIENTS, d=as_of), ["household_id", "name", "client_since"]).set_index(
        "household_id"
    )
    h = _periods(s, h, as_of)
    h["client_since"] = pd.to_datetime(h["client_since"])

    sums = _frame(
        _query(s, AUM_AT, d0=as_of, d1=past, d2=wallet_past),
        ["household_id", "managed", "now", "past", "wallet"],
    )
    sums["managed"] = sums["managed"].astype(bool)

    def aum(column: str, managed: bool) -> pd.Series:
        rows = sums[sums["managed"] == managed].set_index("household_id")[column]
        return rows.astype(float).reindex(h.index).fillna(0.0) / 100

    h["aum"] = aum("now", True)
    h["held_away"] = aum("now", False)
    h["aum_past"] = aum("past", True)
    aum_wallet_past = aum("wallet", True)
    flows = _frame(_query(s, NET_FLOWS, d=as_of, start=past, yes=True), ["household_id", "cents"])
    h["net_flows_past"] = (
        flows.set_index("household_id")["cents"].astype(float).reindex(h.index).fillna(0.0) / 100
    )
    worth = _frame(_query(s, NET_WORTH), ["household_id", "cents"]).set_index("household_id")["cents"]
    h["net_worth"] = worth.reindex(h.index).astype(float) / 100
    known = h["net_worth"].where(h["net_worth"] > 0)
    h["share_of_wallet"] = h["aum"] / known
    h["share_of_wallet_past"] = aum_wallet_past / known

    fees = _frame(
        _query(s, FEES, d=as_of, y1=y1, y2=y2, yes=True),
        ["household_id", "revenue_t12m", "revenue_prev_t12m", "recurring_t12m", "recurring_prev_t12m"],
    ).set_index("household_id")
    for col in fees.columns:
        h[col] = fees[col].astype(float).reindex(h.index).fillna(0.0) / 100

    _activity_facts(s, h, settings, begin, end)
    members = _member_facts(s, h, as_of, settings, end)
    outflows = _frame(
        _query(s, OUTFLOWS, d=as_of, start=as_of - timedelta(days=settings.withdrawal_window_days), yes=True),
        ["household_id", "date", "cents", "type", "custodian", "before_cents"],
    )
    outflows = outflows[outflows["household_id"].isin(h.index)]
    outflow_frame = pd.DataFrame(
        {
            "household_id": outflows["household_id"],
            "date": pd.to_datetime(outflows["date"]),
            "amount": outflows["cents"].astype(float) / 100,
            "aum_before": outflows["before_cents"].astype(float).fillna(0.0) / 100,
            "account": _account_labels(outflows),
        }
    )
    events = _frame(
        _query(
            s,
            LIFE_EVENTS,
            start=as_of - timedelta(days=settings.life_event_window_days),
            stop=as_of + timedelta(days=settings.life_event_lookahead_days),
        ),
        ["household_id", "kind", "date", "first", "last"],
    )
    event_frame = pd.DataFrame(
        {
            "household_id": events["household_id"],
            "kind": events["kind"],
            "date": pd.to_datetime(events["date"]),
            "member": (events["first"].fillna("") + " " + events["last"].fillna("")).str.strip(),
        }
    )
    return {"households": h, "outflows": outflow_frame, "members": members, "life_events": event_frame}


def _periods(s: Session, h: pd.DataFrame, as_of: date) -> pd.DataFrame:
    """Every client period, not only the latest: a household that came back has its tenure (the periods
    added up), the day it returned and the day it had left; one that was a client on ``as_of`` in an earlier
    period (a past evaluation date) is a client household then, from that period's start."""
    by_household: dict[int, list[ClientPeriod]] = {}
    for p in client_periods(s, returning_only=True):
        by_household.setdefault(p.household_id, []).append(p)
    back = {
        hid: next(p.start for p in ps if p.start <= as_of and (p.end is None or p.end > as_of))
        for hid, ps in by_household.items()
        if hid not in h.index and client_on(ps, as_of)
    }
    if back:
        from actdesk.storage.repositories.households import household_names  # rare: keeps its import off

        names = household_names(s, list(back))
        extra = pd.DataFrame(
            {"name": [names.get(hid, "") for hid in back], "client_since": list(back.values())},
            index=pd.Index(list(back), name="household_id"),
        )
        h = pd.concat([h, extra]) if len(h) else extra
    since = pd.to_datetime(h["client_since"])
    h["tenure_days"] = (pd.Timestamp(as_of) - since).dt.days.astype(float)
    h["returned_on"] = pd.NaT
    h["left_on"] = pd.NaT
    for hid, ps in by_household.items():
        if hid not in h.index:
            continue
        h.loc[hid, "tenure_days"] = float(tenure_days(ps, as_of))
        came_back = returned_on(ps, as_of)
        before = left_before(ps, as_of)
        if came_back is not None and before is not None:
            h.loc[hid, "returned_on"] = pd.Timestamp(came_back)
            h.loc[hid, "left_on"] = pd.Timestamp(before.end)
    return h


def _account_labels(outflows: pd.DataFrame) -> pd.Series:
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
    template = _("{account} at {custodian}")
    return pd.Series(
        [
            template.format(account=labels.get(t, _("account")), custodian=c)
            if c
            else labels.get(t, _("account"))
            for t, c in zip(outflows["type"], outflows["custodian"], strict=True)
        ],
        index=outflows.index,
        dtype=object,
    )


RECENT_DAYS = 800  # longer than any default cadence or review interval, twice over


def _activity_facts(
    s: Session, h: pd.DataFrame, settings: AlertSettings, begin: datetime, end: datetime
) -> None:
    kinds = list(settings.contact_kinds) or ["call"]
    columns = ["household_id", "last_contact", "last_review"]
    # The recent past by the completed_at index; older history only for households with nothing recent
    # (by the household index), instead of scanning ten years of activities every 15 minutes.
    floor = end - timedelta(days=RECENT_DAYS)
    recent = _frame(_query(s, ACTIVITIES, contact_kinds=kinds, floor=floor, end=end), columns)
    series = _frame(_query(s, OCCURRENCES, contact_kinds=kinds, end=end), columns)
    known = pd.concat([recent, series])
    for col in ("last_contact", "last_review"):
        known[col] = _instants(known[col])
    known = known.groupby("household_id")[["last_contact", "last_review"]].max().reindex(h.index)
    missing = [int(hid) for hid in h.index[known["last_contact"].isna() | known["last_review"].isna()]]
    older = [
        _frame(_query(s, ACTIVITIES_OF, contact_kinds=kinds, ids=missing[i : i + 500], floor=floor), columns)
        for i in range(0, len(missing), 500)
    ]
    both = pd.concat([recent, series, *older])
    for col in ("last_contact", "last_review"):
        both[col] = _instants(both[col])
    latest = both.groupby("household_id")[["last_contact", "last_review"]].max()
    h["last_contact"] = latest["last_contact"].reindex(h.index).dt.normalize()
    h["last_review"] = latest["last_review"].reindex(h.index).dt.normalize()
    nxt = _frame(_query(s, NEXT_REVIEW, begin=begin), ["household_id", "start"]).set_index("household_id")[
        "start"
    ]
    h["next_review"] = _instants(nxt).reindex(h.index).dt.normalize() if len(nxt) else pd.NaT
    # Meetings as a client: counted per household from its own client_since (one query, filtered here).
    meetings = _frame(
        _query(s, MEETINGS, end=end, floor=end - timedelta(days=settings.first_year_days + 2)),
        ["household_id", "completed_at"],
    )
    meetings["completed_at"] = (
        _instants(meetings["completed_at"]) if len(meetings) else pd.Series(dtype="datetime64[ns]")
    )
    meetings = meetings[meetings["household_id"].isin(h.index)]
    since = h["client_since"].reindex(meetings["household_id"]).to_numpy()
    counted = meetings[meetings["completed_at"].to_numpy() >= since]
    h["meetings_as_client"] = counted.groupby("household_id").size().reindex(h.index).fillna(0).astype(int)


def _member_facts(
    s: Session, h: pd.DataFrame, as_of: date, settings: AlertSettings, end: datetime
) -> pd.DataFrame:
    contacts = _frame(
        _query(s, MEMBERS), ["contact_id", "household_id", "role", "first", "last", "birth_date"]
    )
    contacts = contacts[contacts["household_id"].isin(h.index)]
    contacts["name"] = (contacts["first"].fillna("") + " " + contacts["last"].fillna("")).str.strip()
    spouses = contacts[contacts["role"] == "spouse"].drop_duplicates("household_id").set_index("household_id")
    h["spouse_on_file"] = h.index.isin(spouses.index)
    h["spouse_name"] = spouses["name"].reindex(h.index).fillna("")
    linked = {int(r[0]) for r in _query(s, SPOUSE_LINKS)}
    marital = _frame(_query(s, MARITAL_EVENTS, d=as_of), ["household_id", "kind", "date"])
    marital = marital.pivot_table(index="household_id", columns="kind", values="date", aggfunc="max")
    married_by_event: set[int] = set()
    if "marriage" in marital.columns:
        for hid, row in marital.iterrows():
            wed = row.get("marriage")
            ended = max(
                (d for d in (row.get("divorce"), row.get("death")) if isinstance(d, date | str)), default=None
            )
            if isinstance(wed, date | str) and (ended is None or str(ended) < str(wed)):
                married_by_event.add(int(str(hid)))
    h["married"] = h["spouse_on_file"] | h.index.isin(list(linked | married_by_event))
    heirs = set(contacts.loc[contacts["role"].isin(["heir", "child"]), "household_id"].tolist())
    heirs |= {int(r[0]) for r in _query(s, PARENT_LINKS)}
    h["heirs_recorded"] = h.index.isin(list(heirs))
    window = end - relativedelta(months=settings.spouse_unseen_months)
    seen = dict(_query(s, CONTACT_ACTIVITY, since=window, end=end))
    primaries = contacts[contacts["role"] == "primary"]
    primary_seen = (
        primaries.assign(n=primaries["contact_id"].map(seen).fillna(0)).groupby("household_id")["n"].max()
    )
    spouse_seen = spouses["contact_id"].map(seen).fillna(0)
    h["spouse_unseen"] = (spouse_seen.reindex(h.index).fillna(0) == 0) & (
        primary_seen.reindex(h.index).fillna(0) >= 2
    )
    members = contacts[contacts["role"].isin(["primary", "spouse"])]
    return pd.DataFrame(
        {
            "household_id": members["household_id"],
            "name": members["name"],
            "birth_date": pd.to_datetime(members["birth_date"]),
        }
    )
