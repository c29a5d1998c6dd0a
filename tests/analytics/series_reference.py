"""The monthly series and yearly retention computed the slow, obvious way, to check the SQL ones against.

``reference_monthly`` reads the raw tables into pandas and, for every month, takes each account's latest
balance on or before the month's date (the issue's definition, what the loader used to ask with one
balance seek per account and month). ``reference_retention`` is the previous ``retention_trend``: full
frames loaded at each anniversary and ``retention`` computed from them.
"""

from __future__ import annotations

from datetime import date

import pandas as pd
from sqlalchemy import text

from actdesk.domain.analytics.dates import month_series, shift_months
from actdesk.domain.analytics.retention import client_retention, retention
from actdesk.storage import analytics_series as series
from actdesk.storage.book_records import load_book_records


def _table(s, sql: str, dates: tuple[str, ...] = ()) -> pd.DataFrame:
    result = s.execute(text(sql))
    frame = pd.DataFrame(result.all(), columns=list(result.keys()))
    for column in dates:
        frame[column] = pd.to_datetime(frame[column])
    return frame


def reference_monthly(book, as_of: date, months: int) -> pd.DataFrame:
    with book.reader() as s:
        households = _table(
            s, "SELECT id, client_since, client_until FROM households", ("client_since", "client_until")
        )
        accounts = _table(s, "SELECT id AS account_id, household_id, managed FROM accounts")
        balances = _table(s, "SELECT account_id, date, balance_cents FROM balances", ("date",))
        contacts = _table(s, "SELECT household_id, net_worth_cents FROM contacts")
        flows = _table(
            s,
            "SELECT f.date, f.amount_cents FROM flows f JOIN accounts a ON a.id = f.account_id WHERE a.managed",
            ("date",),
        )
        fees = _table(s, "SELECT date, amount_cents, recurring FROM fees", ("date",))
    worth = contacts.dropna().groupby("household_id")["net_worth_cents"].sum()
    known = set(worth[worth > 0].index)
    managed = accounts[accounts["managed"].astype(bool)]
    days = month_series(as_of, months)
    rows = []
    previous = pd.Timestamp(shift_months(days[0], -1))
    for day in days:
        ts = pd.Timestamp(day)
        since, until = households["client_since"], households["client_until"]
        clients = set(households["id"][since.notna() & (since <= ts) & (until.isna() | (until > ts))])
        latest = balances[balances["date"] <= ts].sort_values("date").groupby("account_id").last()
        held = managed[managed["household_id"].isin(clients)].join(latest, on="account_id", how="inner")
        month_flows = flows[(flows["date"] > previous) & (flows["date"] <= ts)]["amount_cents"]
        month_fees = fees[(fees["date"] > previous) & (fees["date"] <= ts)]
        recurring = month_fees["recurring"].astype(bool)
        rows.append(
            {
                "date": ts,
                "clients": len(clients),
                "aum_cents": int(held["balance_cents"].sum()),
                "aum_known_net_worth_cents": int(
                    held[held["household_id"].isin(known)]["balance_cents"].sum()
                ),
                "net_worth_cents": int(worth[worth.index.isin(clients & known)].sum()),
                "inflow_cents": int(month_flows[month_flows > 0].sum()),
                "outflow_cents": int(month_flows[month_flows < 0].sum()),
                "recurring_cents": int(month_fees["amount_cents"][recurring].sum()),
                "one_off_cents": int(month_fees["amount_cents"][~recurring].sum()),
            }
        )
        previous = ts
    return pd.DataFrame(rows)


def reference_retention(book, as_of: date, years: int) -> pd.DataFrame:
    rows = []
    with book.reader() as s:
        for k in range(years - 1, -1, -1):
            end = shift_months(as_of, -12 * k)
            records = load_book_records(s, end)
            kept = retention(records)
            n, retained, rate = client_retention(records.households, records.period_start, end)
            rows.append(
                {
                    "end": end,
                    "clients_at_start": n,
                    "retained": retained,
                    "client_rate": rate,
                    "asset_rate": kept.asset_rate,
                    "assets_kept_rate": kept.assets_kept_rate,
                    "departures": len(kept.departures),
                }
            )
    return pd.DataFrame(rows)


def count_seeks(monkeypatch) -> list[date]:
    """Record the days summed with per-account seeks (the real function still runs)."""
    days: list[date] = []
    real = series.seek_aum

    def counted(s, day):
        days.append(day)
        return real(s, day)

    monkeypatch.setattr(series, "seek_aum", counted)
    return days
