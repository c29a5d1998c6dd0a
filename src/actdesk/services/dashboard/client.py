"""One household's page (the client dashboard and meeting view): its own numbers only.

Everything returned concerns that household alone; names of other households never enter this data, so
the meeting view cannot show them by accident.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta, tzinfo
from decimal import Decimal

import pandas as pd

from actdesk.domain.analytics.config import AnalyticsConfig
from actdesk.domain.analytics.dates import shift_months
from actdesk.domain.analytics.survival import RetentionProbability
from actdesk.domain.models import Activity, HouseholdDetail
from actdesk.domain.schedule.config import DEFAULT_CONTACT_KINDS
from actdesk.domain.schedule.occurrences import Occurrence
from actdesk.services import analytics
from actdesk.storage.engine import Book
from actdesk.storage.repositories import activities
from actdesk.storage.repositories import dashboard as dashboard_repo
from actdesk.storage.repositories.households import get_detail

CONTACT_KINDS = DEFAULT_CONTACT_KINDS  # the card's and the alert rules' own, events included


@dataclass(frozen=True)
class AssetChange:
    """Managed assets a year ago and today, and what moved them: the client's own money in and out, and the
    markets (everything else)."""

    start: Decimal
    contributions: Decimal
    withdrawals: Decimal  # a positive amount
    end: Decimal

    @property
    def market(self) -> Decimal:
        return self.end - self.start - self.contributions + self.withdrawals


@dataclass
class ClientDashboard:
    as_of: date
    detail: HouseholdDetail
    balances: pd.DataFrame  # columns: date, account label, managed (bool), balance (float dollars), type (account type); month ends
    revenue: pd.DataFrame  # columns: month (date), recurring, one_off (float dollars)
    net_worth: Decimal | None  # the members' stated net worth
    probability: RetentionProbability | None
    contacts: list[Activity] = field(default_factory=list)  # completed calls, meetings, reviews, e-mails
    next_review: Occurrence | None = None
    change: AssetChange | None = None  # managed assets over the last 12 months, for the meeting view

    @property
    def managed(self) -> Decimal:
        return self.detail.managed_aum

    @property
    def share_of_wallet(self) -> float | None:
        if not self.net_worth or self.net_worth <= 0:
            return None
        return float(self.managed / self.net_worth)


def month_ends(as_of: date, months: int) -> list[date]:
    return [shift_months(as_of, -k) for k in range(months - 1, -1, -1)]


def gather_client(
    book: Book,
    household_id: int,
    as_of: date,
    now: datetime,
    tz: tzinfo,
    config: AnalyticsConfig,
    months: int = 25,
) -> ClientDashboard:
    days = month_ends(as_of, months)
    with book.reader() as s:
        detail = get_detail(s, household_id, activity_limit=0)
        labels = {a.id: _account_label(a.name, a.custodian, a.type.value) for a in detail.accounts}
        managed = {a.id: a.managed for a in detail.accounts}
        types = {a.id: a.type.value for a in detail.accounts}
        history = pd.DataFrame(
            dashboard_repo.balance_history(s, household_id, as_of), columns=["account_id", "date", "cents"]
        )
        fees = pd.DataFrame(
            dashboard_repo.household_fees(s, household_id, shift_months(days[0], -1), as_of),
            columns=["date", "cents", "recurring"],
        )
        done = dashboard_repo.completed_contacts(s, household_id, CONTACT_KINDS, 50)
        year_ago = shift_months(as_of, -12)
        flows = dashboard_repo.managed_flows(s, household_id, year_ago, as_of)
        inflow = outflow = 0
        for cents in flows:
            if cents >= 0:
                inflow += cents
            else:
                outflow -= cents
        start = datetime.combine(now.astimezone(tz).date(), time.min, tzinfo=tz).astimezone(UTC)
        upcoming = activities.occurrences(
            s, start, start + timedelta(days=400), tz, household_id=household_id
        )
    next_review = next((o for o in upcoming if o.kind == "review" and not o.done), None)
    worth = [c.net_worth for c in detail.contacts if c.net_worth is not None]
    probability = analytics.probabilities_for(book, as_of, config).get(household_id)
    return ClientDashboard(
        as_of=as_of,
        detail=detail,
        balances=_monthly_balances(history, days, labels, managed, types),
        revenue=_monthly_fees(fees, days),
        net_worth=sum(worth, Decimal(0)) if worth else None,
        probability=probability,
        contacts=done,
        next_review=next_review,
        change=AssetChange(
            _managed_on(history, managed, year_ago),
            Decimal(inflow) / 100,
            Decimal(outflow) / 100,
            _managed_on(history, managed, as_of),
        ),
    )


def _managed_on(history: pd.DataFrame, managed: dict[int | None, bool], day: date) -> Decimal:
    """Managed assets on ``day``: each managed account's latest balance on or before it."""
    if history.empty:
        return Decimal("0.00")
    known = history[history["date"] <= day]
    latest = known.groupby("account_id")["cents"].last()
    return Decimal(int(sum(c for a, c in latest.items() if managed.get(int(a))))) / 100


def _account_label(name: str | None, custodian: str, kind: str) -> str:
    return (
        name or f"{custodian} {kind.replace('_', ' ').upper() if len(kind) <= 4 else kind.replace('_', ' ')}"
    )


def _monthly_balances(
    history: pd.DataFrame,
    days: list[date],
    labels: dict[int | None, str],
    managed: dict[int | None, bool],
    types: dict[int | None, str],
) -> pd.DataFrame:
    """The latest balance of each account on or before each month end (as the analytics value AUM)."""
    rows = []
    for account_id, group in history.groupby("account_id"):
        dates = list(group["date"])
        cents = list(group["cents"])
        i = 0
        for day in days:
            while i < len(dates) and dates[i] <= day:
                i += 1
            if i:
                rows.append(
                    (
                        day,
                        labels.get(int(account_id), ""),
                        managed.get(int(account_id), True),
                        cents[i - 1] / 100.0,
                        types.get(int(account_id), "other"),
                    )
                )
    return pd.DataFrame(rows, columns=["date", "account", "managed", "balance", "type"])


@dataclass(frozen=True)
class AssetSeries:
    """Month-end balances summed by account type, the managed accounts and those held elsewhere apart: the
    managed ones add up to the "Managed assets" tile, so they are never stacked with the others."""

    days: list[date]
    managed: dict[str, list[float]]  # account type -> balance at each day; the largest today first
    held_away: dict[str, list[float]]

    @property
    def managed_total(self) -> list[float]:
        return [sum(values) for values in zip(*self.managed.values(), strict=True)]

    @property
    def held_away_total(self) -> list[float]:
        return [sum(values) for values in zip(*self.held_away.values(), strict=True)]


def assets_by_type(balances: pd.DataFrame) -> AssetSeries:
    """Group ``ClientDashboard.balances`` by (managed, account type); a month without a balance counts 0."""
    if balances.empty:
        return AssetSeries([], {}, {})
    days = sorted(set(balances["date"]))
    groups: list[dict[str, list[float]]] = []
    for managed in (True, False):
        part = balances[balances["managed"] == managed]
        if part.empty:
            groups.append({})
            continue
        pivot = (
            part.pivot_table(index="date", columns="type", values="balance", aggfunc="sum")
            .reindex(days)
            .fillna(0.0)
        )
        order = sorted(pivot.columns, key=lambda t: (-float(pivot[t].iloc[-1]), str(t)))
        groups.append({str(t): [float(v) for v in pivot[t]] for t in order})
    return AssetSeries(days, groups[0], groups[1])


def _monthly_fees(fees: pd.DataFrame, days: list[date]) -> pd.DataFrame:
    rows = []
    older = shift_months(days[0], -1)
    for day in days:
        part = fees[(fees["date"] > older) & (fees["date"] <= day)] if not fees.empty else fees
        recurring = part[part["recurring"]]["cents"].sum() / 100.0 if not part.empty else 0.0
        one_off = part[~part["recurring"]]["cents"].sum() / 100.0 if not part.empty else 0.0
        rows.append((day, float(recurring), float(one_off)))
        older = day
    return pd.DataFrame(rows, columns=["month", "recurring", "one_off"])
