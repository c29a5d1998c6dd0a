"""Former clients who come back (issue 20): a small share of the households that left return one to four
years later, bring assets back (their managed accounts reopened, sometimes a new one funded) and are served
again (a meeting before the return, reviews, calls and e-mails after it, fees on the assets), with a note
saying why they came back. Their earlier period keeps its dates and its leaving reason.

Everything here draws from a stream of its own (``returns_rng``: the seed mixed with ``SALT``), after the
rest of the book is planned, and only adds rows or changes the returning households' own: every other draw
of the generator is the same with or without returns, so the rest of the book, and the retention model's
figures on it, move only because some households came back (``DemoOptions.returns`` switches them off).
docs/demo-book.md, "Households that come back".
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import numpy as np

from actdesk.services.demo.content import Content
from actdesk.services.demo.fees import annual_fee
from actdesk.services.demo.households import CLIENT, MONTHS, NEVER, Grid, Households
from actdesk.services.demo.markets import EQUITY_WEIGHT, Accounts, Series
from actdesk.services.demo.people import People

SALT = 0x5EED_BAC  # mixed into the seed: the returns' own stream
SHARE = 0.15  # of the former clients who left (not by a death) early enough to be back by the as-of date
GAP_MONTHS = (12, 48)  # away for one to four years
NEW_ACCOUNT = 0.4  # chance a returning household also funds a new account
NEW_TYPES = ("ira", "brokerage", "roth_ira")
CONTACTS_A_YEAR = 3.0
STEADY = ("insurance", "checking", "annuity")  # calls and e-mails a year after the return


def returns_rng(seed: int) -> np.random.Generator:
    return np.random.default_rng(np.random.SeedSequence([seed, SALT]))


@dataclass(frozen=True)
class Return:
    household: int  # index
    month: int  # month index of the return
    day: int  # its day of the month
    note: str  # why it came back
    accounts: tuple[tuple[int, str, float], ...]  # (account id, type, dollars brought back) per account


@dataclass
class ReturnRows:
    """The rows the returns add to the book (ids are given when they are written, after the others)."""

    periods: list[dict[str, Any]] = field(default_factory=list)
    accounts: list[dict[str, Any]] = field(default_factory=list)
    balances: list[tuple[Any, ...]] = field(default_factory=list)
    flows: list[tuple[Any, ...]] = field(default_factory=list)  # (account id, date, cents, kind)
    fees: list[dict[str, Any]] = field(default_factory=list)
    activities: list[dict[str, Any]] = field(default_factory=list)
    notes: list[dict[str, Any]] = field(default_factory=list)


def plan_returns(
    hh: Households,
    accounts: Accounts,
    series: Series,
    content: Content,
    death_reason: str,
    rng: np.random.Generator,
) -> list[Return]:
    """Who comes back, when, and with what: at least one household when any could (the demo shows it)."""
    last = MONTHS - 1
    can = [
        h
        for h in range(hh.n)
        if hh.kind[h] == CLIENT
        and hh.until[h] < NEVER
        and hh.reason[h] != death_reason
        and hh.until[h] + GAP_MONTHS[0] <= last
        and hh.since[h] < hh.until[h]
    ]
    if not can:
        return []
    chosen = sorted(rng.choice(can, size=max(1, round(SHARE * len(can))), replace=False).tolist())
    next_id = len(accounts.household) + 1
    out = []
    for h in chosen:
        until = int(hh.until[h])
        month = until + int(rng.integers(GAP_MONTHS[0], min(GAP_MONTHS[1], last - until) + 1))
        managed = np.nonzero((accounts.household == h) & accounts.managed)[0]
        before = float(series.household_aum[h, max(until - 1, 0)])
        value = max(before, 50_000.0) * float(rng.uniform(0.5, 1.1))
        brought: list[tuple[int, str, float]] = []
        if rng.random() < NEW_ACCOUNT or len(managed) == 0:
            share = float(rng.uniform(0.2, 0.5)) if len(managed) else 1.0
            brought.append((next_id, NEW_TYPES[int(rng.integers(len(NEW_TYPES)))], value * share))
            next_id += 1
            value *= 1 - share
        # its managed accounts reopened (each with a balance every month-end again, like any client's)
        split = rng.dirichlet(np.full(len(managed), 1.5)) * value if len(managed) else np.zeros(0)
        reopened = [
            (int(a) + 1, accounts.types[int(a)], float(v)) for a, v in zip(managed, split, strict=True)
        ]
        brought = reopened + brought
        note = content.return_notes[int(rng.integers(len(content.return_notes)))]
        out.append(Return(h, month, int(rng.integers(1, 29)), note, tuple(brought)))
    return out


def build_return_rows(
    returns: list[Return],
    hh: Households,
    accounts: Accounts,
    series: Series,
    people: People,
    grid: Grid,
    content: Content,
    now: datetime,
    rng: np.random.Generator,
) -> ReturnRows:
    rows = ReturnRows()
    ids = _period_ids(hh, returns)
    for r in returns:
        h = r.household
        rows.periods.append(
            {
                "id": ids[h],
                "household_id": h + 1,
                "start": grid.day(int(hh.since[h]), int(hh.since_day[h])),
                "end": grid.day(int(hh.until[h]), int(hh.until_day[h])),
                "leaving_reason": hh.reason[h],
            }
        )
        back = grid.day(r.month, r.day)
        weight = EQUITY_WEIGHT[people.risk[h]]
        aum = np.zeros(MONTHS)
        for account_id, kind, dollars in r.accounts:
            if account_id > len(accounts.household):
                rows.accounts.append(
                    {
                        "id": account_id,
                        "household_id": h + 1,
                        "custodian": _custodian(accounts, h, content),
                        "type": kind,
                        "managed": True,
                        "account_number": f"XXXX-{int(rng.integers(1000, 10000))}",
                        "name": content.account_names[kind],
                    }
                )
            path = _path(series, weight, r.month, dollars, rng)
            aum[r.month :] += path
            rows.flows.append((account_id, back, round(dollars * 100), "transfer_in"))
            if account_id <= len(accounts.household):  # reopened: empty at the month-end before the money
                rows.balances.append((account_id, grid.ends[r.month - 1], 0))
            rows.balances += [
                (account_id, grid.ends[m], int(np.rint(path[m - r.month] * 100)))
                for m in range(r.month, MONTHS)
            ]
        for i in np.nonzero((accounts.household == h) & ~accounts.managed)[0].tolist():
            # the assets held elsewhere are on record again from the return (not the value of years ago)
            last = int(accounts.ref[i])
            if last < int(hh.until[h]) - 1 or series.balance[i, last] <= 0:
                continue
            grown = series.balance[i, last] / 100.0 * float(np.prod(1 + series.bonds[last + 1 : r.month + 1]))
            path = _path(series, 0.0 if accounts.types[i] in STEADY else weight, r.month, grown, rng)
            rows.balances += [
                (i + 1, grid.ends[m], int(np.rint(path[m - r.month] * 100))) for m in range(r.month, MONTHS)
            ]
        for m in range(r.month + 1, MONTHS):
            if grid.ends[m].month % 3 == 0 and aum[m] > 0:
                cents = int(np.rint(annual_fee(aum[m : m + 1])[0] / 4 * 100))
                rows.fees.append(
                    {"household_id": h + 1, "date": grid.ends[m], "amount_cents": cents, "recurring": True}
                )
        rows.notes.append(
            {
                "household_id": h + 1,
                "contact_id": people.primary[h],
                "body": r.note,
                "created_at": datetime.combine(back, time(15), UTC),
            }
        )
        rows.activities += list(_activities(r, people, grid, content, now, rng))
    return rows


def _period_ids(hh: Households, returns: list[Return]) -> dict[int, int]:
    """The id each earlier period has when every period is written in order of household and start (as an
    import of the open book format writes them): an export of the demo imports as the same rows."""
    back = {r.household for r in returns}
    ids, position = {}, 0
    for h in np.nonzero(hh.kind == CLIENT)[0].tolist():
        if h in back:
            ids[h] = position + 1
            position += 1
        position += 1
    return ids


def _path(series: Series, weight: float, month: int, dollars: float, rng: np.random.Generator) -> np.ndarray:
    """Month-end values from the return to the last month-end: the shared market, mixed by risk tolerance."""
    returns = weight * series.equity[month + 1 :] + (1 - weight) * series.bonds[month + 1 :]
    returns = returns + 0.009 * rng.standard_normal(len(returns))
    return dollars * np.concatenate([[1.0], np.cumprod(1 + returns)])


def _activities(
    r: Return, people: People, grid: Grid, content: Content, now: datetime, rng: np.random.Generator
) -> Iterator[dict[str, Any]]:
    """A meeting a few weeks before the return, a review about two months after it and every six months,
    calls and e-mails in between; the ones after ``now`` are the schedule ahead (open)."""
    zone = ZoneInfo(content.timezone)
    back = grid.day(r.month, r.day)
    meeting = back - timedelta(days=int(rng.integers(10, 40)))
    plan: list[tuple[str, date, str]] = [("meeting", meeting, content.return_meeting)]
    review = back + timedelta(days=int(rng.integers(45, 75)))
    horizon = now.date() + timedelta(days=90)
    while review <= horizon:
        plan.append(
            ("review", review, content.subjects["review"][int(rng.integers(len(content.subjects["review"])))])
        )
        review += timedelta(days=182)
    years = max((horizon - back).days / 365.25, 0.0)
    for _ in range(int(rng.poisson(CONTACTS_A_YEAR * years))):
        kind = "call" if rng.random() < 0.55 else "email"
        day = back + timedelta(days=int(rng.integers(0, max((horizon - back).days, 1))))
        plan.append((kind, day, content.subjects[kind][int(rng.integers(len(content.subjects[kind])))]))
    for kind, day, subject in sorted(plan, key=lambda p: p[1]):
        local = datetime.combine(day, time(int(rng.integers(9, 17)), 0), zone)
        start = local.astimezone(UTC)
        duration = {"meeting": 60, "review": 90, "call": 20}.get(kind)
        done = start < now
        yield {
            "household_id": r.household + 1,
            "contact_id": people.primary[r.household],
            "kind": kind,
            "subject": subject,
            "start": start,
            "duration_minutes": duration,
            "due_date": None,
            "location": content.locations[0] if kind in ("meeting", "review") else None,
            "notes": None,
            "outcome": None,
            "completed_at": min(start + timedelta(minutes=duration or 5), now) if done else None,
            "owner": None,
            "rrule": None,
            "created_at": min(start - timedelta(days=7), now),
        }


def _custodian(accounts: Accounts, h: int, content: Content) -> str:
    """A new account is opened where the household's main account is."""
    managed = np.nonzero((accounts.household == h) & accounts.managed)[0]
    return accounts.custodian[int(managed[0])] if len(managed) else content.managed_custodians[0]


def numbered(rows: list[dict[str, Any]], first: int) -> list[dict[str, Any]]:
    """``rows`` with ids from ``first`` on (after the rows the rest of the book wrote)."""
    return [{"id": first + i, **row} for i, row in enumerate(rows)]


def numbered_tuples(rows: list[tuple[Any, ...]], first: int) -> list[tuple[Any, ...]]:
    return [(first + i, *row) for i, row in enumerate(rows)]
