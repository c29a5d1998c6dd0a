"""A large synthetic book written straight with sqlite3, for the analytics benchmark.

The demo generator (``actdesk demo``) is the realistic book; this one exists so that the benchmark can
build a 10,000-household, 10-year book in seconds and with a known shape: ~3 accounts per household, a
balance per account at every month-end, monthly flows on a quarter of the accounts, monthly fees.
"""

from __future__ import annotations

import sqlite3
from datetime import date
from pathlib import Path

import numpy as np
from dateutil.relativedelta import relativedelta

from actdesk.storage.open import open_book

NOW = "2026-01-01T00:00:00.000000+00:00"


def month_ends(last: date, count: int) -> list[date]:
    first_of_next = last.replace(day=1) + relativedelta(months=1)
    return [first_of_next - relativedelta(months=k) - relativedelta(days=1) for k in range(count)][::-1]


def build(
    path: Path, households: int = 10_000, years: int = 10, seed: int = 7, last: date = date(2026, 9, 30)
) -> Path:
    """Write the book at ``path`` (a fresh file) and return it."""
    open_book(path).dispose()
    rng = np.random.default_rng(seed)
    months = month_ends(last, years * 12)
    con = sqlite3.connect(path)
    con.execute("PRAGMA synchronous=OFF")
    hh_rows, contact_rows, account_rows, balance_rows, flow_rows, fee_rows, act_rows, ref_rows = (
        [] for _ in range(8)
    )
    account_id = 0
    contact_id = 0
    for h in range(1, households + 1):
        since = months[
            int(rng.integers(0, 12)) if rng.random() < 0.75 else int(rng.integers(0, len(months) - 6))
        ]
        leaves = rng.random() < 0.2
        until = None
        if leaves:
            start_idx = months.index(since)
            until_idx = int(rng.integers(start_idx + 3, len(months) + 12))
            until = months[until_idx] if until_idx < len(months) else None
        status = "former_client" if until else "client"
        hh_rows.append(
            (
                h,
                f"Household {h}",
                status,
                since.isoformat(),
                until.isoformat() if until else None,
                "moved to another advisor" if until else None,
                1,
                NOW,
                NOW,
            )
        )
        for role in ("primary", "spouse")[: 1 + int(rng.random() < 0.6)]:
            contact_id += 1
            birth = date(int(rng.integers(1940, 1990)), int(rng.integers(1, 13)), 1)
            contact_rows.append(
                (
                    contact_id,
                    h,
                    role,
                    "First",
                    f"Last{h}",
                    birth.isoformat(),
                    int(rng.integers(50_000, 500_000)) * 100,
                    int(rng.integers(100_000, 5_000_000)) * 100,
                    ["conservative", "moderate", "growth", "aggressive"][int(rng.integers(0, 4))],
                    ["Austin", "Denver", "Boston", "Miami"][int(rng.integers(0, 4))],
                    "US",
                    0,
                    NOW,
                    NOW,
                )
            )
        start_idx = months.index(since)
        end_idx = months.index(until) if until else len(months) - 1
        for _a in range(int(rng.integers(2, 6))):
            account_id += 1
            managed = rng.random() < 0.8
            account_rows.append(
                (
                    account_id,
                    h,
                    "Schwab",
                    ["ira", "brokerage", "roth_ira", "401k"][int(rng.integers(0, 4))],
                    int(managed),
                )
            )
            level = float(rng.uniform(20_000, 800_000))
            returns = rng.normal(0.005, 0.03, end_idx - start_idx + 1)
            for k, m in enumerate(months[start_idx : end_idx + 1]):
                level *= 1 + returns[k]
                bal = 0 if (until and m == until) else int(level * 100)
                balance_rows.append((account_id, m.isoformat(), bal))
            if managed and rng.random() < 0.25:
                for m in months[start_idx : end_idx + 1]:
                    flow_rows.append((account_id, m.isoformat(), int(rng.normal(0, 2_000) * 100), "deposit"))
        for m in months[start_idx : end_idx + 1]:
            fee_rows.append((h, m.isoformat(), int(rng.uniform(100, 800) * 100), 1))
            if rng.random() < 0.15:
                act_rows.append(
                    (
                        h,
                        "call",
                        "Check-in",
                        f"{m.isoformat()}T15:00:00.000000+00:00",
                        f"{m.isoformat()}T15:30:00.000000+00:00",
                        NOW,
                    )
                )
        if h > 10 and rng.random() < 0.2:
            ref_rows.append((int(rng.integers(1, contact_id)), h, since.isoformat(), "client"))
    con.executemany(
        "INSERT INTO households (id,name,status,client_since,client_until,leaving_reason,version,created_at,updated_at) VALUES (?,?,?,?,?,?,?,?,?)",
        hh_rows,
    )
    con.executemany(
        "INSERT INTO contacts (id,household_id,role,first_name,last_name,birth_date,income_cents,net_worth_cents,risk_tolerance,city,country,do_not_email,created_at,updated_at) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
        contact_rows,
    )
    con.executemany(
        "INSERT INTO accounts (id,household_id,custodian,type,managed) VALUES (?,?,?,?,?)", account_rows
    )
    con.executemany("INSERT INTO balances (account_id,date,balance_cents) VALUES (?,?,?)", balance_rows)
    con.executemany("INSERT INTO flows (account_id,date,amount_cents,kind) VALUES (?,?,?,?)", flow_rows)
    con.executemany("INSERT INTO fees (household_id,date,amount_cents,recurring) VALUES (?,?,?,?)", fee_rows)
    con.executemany(
        "INSERT INTO activities (household_id,kind,subject,start,completed_at,created_at) VALUES (?,?,?,?,?,?)",
        act_rows,
    )
    con.executemany(
        "INSERT INTO referrals (referrer_contact_id,referred_household_id,date,outcome) VALUES (?,?,?,?)",
        ref_rows,
    )
    con.commit()
    con.execute("ANALYZE")
    con.close()
    return path


if __name__ == "__main__":
    import sys
    import time

    t = time.perf_counter()
    out = build(Path(sys.argv[1]), int(sys.argv[2]) if len(sys.argv) > 2 else 10_000)
    print(out, f"{time.perf_counter() - t:.1f}s")
