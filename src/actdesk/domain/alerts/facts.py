"""What the rules read: one row of numbers per client household, plus a few per-event tables.

``BookFacts`` is columnar (pandas) so that every rule is one vectorised pass over the whole book, which
keeps a 10,000-household evaluation well under a second. ``HouseholdFacts`` is the same data for one
household as a plain dataclass: tests and small callers build books from it with ``BookFacts.from_households``.

Money is float currency units here (statistics, never stored); dates are ``datetime64`` (NaT when unknown).
"""

from __future__ import annotations

from dataclasses import dataclass, field, fields
from datetime import date
from typing import Any, cast

import numpy as np
import pandas as pd

NAN = float("nan")


@dataclass(frozen=True, slots=True)
class OutflowFacts:
    """One outflow (withdrawal or transfer out) from a managed account."""

    date: date
    amount: float  # positive: money that left
    aum_before: float  # the household's managed AUM just before it
    account: str = ""  # e.g. "IRA at Schwab"


@dataclass(frozen=True, slots=True)
class MemberFacts:
    name: str
    birth_date: date | None


@dataclass(frozen=True, slots=True)
class LifeEventFacts:
    kind: str  # LifeEventKind value
    date: date
    member: str = ""


@dataclass(slots=True)
class HouseholdFacts:
    """One client household as of the evaluation date. NaN / None mean "not known"."""

    household_id: int
    name: str = ""
    segment: str = "C"
    client_since: date | None = None  # the start of the period holding the evaluation date
    returned_on: date | None = None  # that start, when an earlier period had ended (a returning client)
    left_on: date | None = None  # the end of the last period that ended before (a returning client)
    tenure_days: float = NAN  # days as a client, every period added up (NaN: since client_since)
    aum: float = 0.0  # managed AUM now
    aum_past: float = NAN  # managed AUM ``erosion_months`` ago
    net_flows_past: float = 0.0  # net flows on managed accounts since then (negative = money out)
    net_worth: float = NAN
    share_of_wallet: float = NAN
    share_of_wallet_past: float = NAN  # ``wallet_months`` ago
    revenue_t12m: float = 0.0
    revenue_prev_t12m: float = 0.0
    recurring_t12m: float = 0.0
    recurring_prev_t12m: float = 0.0
    held_away: float = 0.0
    last_contact: date | None = None
    last_review: date | None = None
    next_review: date | None = None  # a review scheduled but not yet held
    meetings_as_client: int = 0  # completed meetings and reviews since client_since
    retention_probability: float = NAN
    retention_reference: float = NAN  # the probability to compare with (last evaluation, or a kept baseline)
    retention_factors: tuple[str, ...] = ()
    married: bool = False  # a sign of a spouse or partner (see docs/alerts.md)
    spouse_on_file: bool = False
    spouse_name: str = ""
    spouse_unseen: bool = False  # spouse on file but never in a completed activity lately, primary seen
    heirs_recorded: bool = False
    outflows: tuple[OutflowFacts, ...] = ()
    members: tuple[MemberFacts, ...] = ()
    life_events: tuple[LifeEventFacts, ...] = ()


SCALAR_FIELDS = tuple(
    f.name
    for f in fields(HouseholdFacts)
    if f.name not in ("household_id", "outflows", "members", "life_events")
)
DATE_FIELDS = ("client_since", "returned_on", "left_on", "last_contact", "last_review", "next_review")
OUTFLOW_COLUMNS = ("household_id", "date", "amount", "aum_before", "account")
MEMBER_COLUMNS = ("household_id", "name", "birth_date")
EVENT_COLUMNS = ("household_id", "kind", "date", "member")


def _dates(values: pd.Series) -> pd.Series:
    return pd.to_datetime(values, errors="coerce")


@dataclass
class BookFacts:
    """The whole book's facts. ``households`` is indexed by household id with ``SCALAR_FIELDS`` columns."""

    as_of: date
    households: pd.DataFrame
    outflows: pd.DataFrame = field(default_factory=lambda: pd.DataFrame(columns=list(OUTFLOW_COLUMNS)))
    members: pd.DataFrame = field(default_factory=lambda: pd.DataFrame(columns=list(MEMBER_COLUMNS)))
    life_events: pd.DataFrame = field(default_factory=lambda: pd.DataFrame(columns=list(EVENT_COLUMNS)))

    def __post_init__(self) -> None:
        self.households = normalise_households(self.households)
        for name, columns, date_columns in (
            ("outflows", OUTFLOW_COLUMNS, ("date",)),
            ("members", MEMBER_COLUMNS, ("birth_date",)),
            ("life_events", EVENT_COLUMNS, ("date",)),
        ):
            frame = getattr(self, name).reindex(columns=list(columns)).reset_index(drop=True)
            for col in date_columns:
                frame[col] = _dates(frame[col])
            setattr(self, name, frame)

    @property
    def as_of_ts(self) -> pd.Timestamp:
        return pd.Timestamp(self.as_of)

    def names(self) -> dict[int, str]:
        return dict(zip(self.households.index.tolist(), self.households["name"].tolist(), strict=True))

    @classmethod
    def from_households(cls, as_of: date, households: list[HouseholdFacts]) -> BookFacts:
        rows = [{name: getattr(h, name) for name in SCALAR_FIELDS} for h in households]
        frame = pd.DataFrame(rows, index=pd.Index([h.household_id for h in households], name="household_id"))
        outflows = [
            (h.household_id, o.date, o.amount, o.aum_before, o.account)
            for h in households
            for o in h.outflows
        ]
        members = [(h.household_id, m.name, m.birth_date) for h in households for m in h.members]
        events = [(h.household_id, e.kind, e.date, e.member) for h in households for e in h.life_events]
        return cls(
            as_of=as_of,
            households=frame,
            outflows=pd.DataFrame(outflows, columns=list(OUTFLOW_COLUMNS)),
            members=pd.DataFrame(members, columns=list(MEMBER_COLUMNS)),
            life_events=pd.DataFrame(events, columns=list(EVENT_COLUMNS)),
        )


def normalise_households(frame: pd.DataFrame) -> pd.DataFrame:
    """Fill missing columns with their "unknown" defaults and fix dtypes, so rules can rely on them."""
    defaults = HouseholdFacts(household_id=0)
    out = frame.copy()
    out.index.name = "household_id"
    for name in SCALAR_FIELDS:
        default = getattr(defaults, name)
        if name not in out.columns:
            out[name] = [default] * len(out) if isinstance(default, tuple) else default
    for name in DATE_FIELDS:
        out[name] = _dates(out[name])
    for name in SCALAR_FIELDS:
        default = getattr(defaults, name)
        if isinstance(default, bool):
            out[name] = out[name].fillna(False).astype(bool)
        elif isinstance(default, int):
            out[name] = out[name].fillna(0).astype(np.int64)
        elif isinstance(default, float):
            out[name] = out[name].astype(float)
        elif isinstance(default, str):
            out[name] = out[name].fillna(default).astype(object)
    return out


def records(frame: pd.DataFrame, **extra: pd.Series) -> list[dict[str, Any]]:
    """Rows of ``frame`` (plus aligned ``extra`` columns) as dicts with ``household_id``: one conversion for
    the few firing households instead of a pandas Series per row."""
    if frame.empty:
        return []
    out = frame.assign(**{k: v.reindex(frame.index) for k, v in extra.items()})
    return cast(list[dict[str, Any]], out.rename_axis("household_id").reset_index().to_dict("records"))
