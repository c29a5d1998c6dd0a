""" "Clients like you": what a household's nearest neighbours hold and it does not.

Each household is a point of four standardised features: age, log10 income, log10 net worth (money is
compared in orders of magnitude, as advisors think of it) and risk tolerance as a rank 0-3. Each feature
is standardised to z = (x - mean) / standard deviation over the candidate households; a missing value gets
z = 0 (the book's average), so it neither attracts nor repels. The k nearest client households by
Euclidean distance are the neighbours; a holding that at least ``min_support`` of them have and the
household lacks is suggested, with how many of the k hold it.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from actdesk.domain.pipeline.config import PipelineConfig
from actdesk.domain.pipeline.traits import HouseholdTraits
from actdesk.i18n import N_, _

# What a held account type or service turns into when the advisor makes it an opportunity.
OPPORTUNITY_FOR = {
    "ira": "rollover",
    "roth_ira": "rollover",
    "401k": "rollover",
    "annuity": "insurance",
    "insurance": "insurance",
    "brokerage": "consolidation",
    "trust": "planning",
    "529": "planning",
    "checking": "consolidation",
    "other": "consolidation",
    "planning": "planning",
}
HOLDING_LABELS = {
    "brokerage": N_("Brokerage account"),
    "ira": N_("IRA"),
    "roth_ira": N_("Roth IRA"),
    "401k": N_("401(k)"),
    "annuity": N_("Annuity"),
    "insurance": N_("Insurance policy"),
    "trust": N_("Trust"),
    "529": N_("529 college savings plan"),
    "checking": N_("Checking account"),
    "other": N_("Other account"),
    "planning": N_("Financial planning"),
}
# The same holdings inside a sentence ("... hold an annuity").
HOLDING_PHRASES = {
    "brokerage": N_("a brokerage account"),
    "ira": N_("an IRA"),
    "roth_ira": N_("a Roth IRA"),
    "401k": N_("a 401(k)"),
    "annuity": N_("an annuity"),
    "insurance": N_("an insurance policy"),
    "trust": N_("a trust"),
    "529": N_("a 529 college savings plan"),
    "checking": N_("a checking account"),
    "other": N_("another kind of account"),
    "planning": N_("a financial plan"),
}


def holding_label(holding: str) -> str:
    return _(HOLDING_LABELS[holding]) if holding in HOLDING_LABELS else holding


@dataclass(frozen=True)
class Suggestion:
    household_id: int
    holding: str  # an account type, or "planning"
    support: int  # neighbours holding it
    neighbours: int  # k actually used
    opportunity_kind: str
    typical_amount: Decimal | None  # median balance among the neighbours that hold it (None: no balances)
    text: str
    in_pipeline: bool = False  # an open opportunity of this kind already exists for the household


def _features(t: HouseholdTraits, as_of: date) -> list[float | None]:
    age = t.age(as_of)
    income = float(t.income) if t.income and t.income > 0 else None
    worth = float(t.net_worth) if t.net_worth and t.net_worth > 0 else None
    rank = t.risk_rank()
    return [
        None if age is None else float(age),
        None if income is None else math.log10(income),
        None if worth is None else math.log10(worth),
        None if rank is None else float(rank),
    ]


def standardise(rows: Sequence[list[float | None]]) -> list[list[float]]:
    """z-scores per column; missing values and constant columns give 0."""
    out = [[0.0] * len(r) for r in rows]
    for j in range(len(rows[0]) if rows else 0):
        values = [r[j] for r in rows if r[j] is not None]
        if len(values) < 2:
            continue
        mean = sum(v for v in values if v is not None) / len(values)
        sd = math.sqrt(sum((v - mean) ** 2 for v in values if v is not None) / len(values))
        if sd == 0:
            continue
        for i, r in enumerate(rows):
            v = r[j]
            out[i][j] = 0.0 if v is None else (v - mean) / sd
    return out


def nearest(
    target: HouseholdTraits, candidates: Sequence[HouseholdTraits], as_of: date, k: int
) -> list[tuple[int, float]]:
    """The ``k`` candidates closest to ``target`` (itself excluded): (household id, distance), nearest first."""
    pool = [c for c in candidates if c.household_id != target.household_id]
    if not pool:
        return []
    z = standardise([_features(t, as_of) for t in (target, *pool)])
    origin = z[0]
    distances = [(c.household_id, math.dist(origin, point)) for c, point in zip(pool, z[1:], strict=True)]
    distances.sort(key=lambda d: (d[1], d[0]))
    return distances[:k]


def _median(values: list[int]) -> Decimal | None:
    if not values:
        return None
    ordered = sorted(values)
    mid = len(ordered) // 2
    cents = ordered[mid] if len(ordered) % 2 else (ordered[mid - 1] + ordered[mid]) / 2
    return (Decimal(str(cents)) / 100).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


def suggestions(
    target: HouseholdTraits,
    clients: Sequence[HouseholdTraits],
    holdings: Mapping[int, Mapping[str, int]],
    as_of: date,
    config: PipelineConfig,
) -> list[Suggestion]:
    """Growth opportunities for ``target``: holdings of its neighbours among ``clients`` that it lacks.

    ``holdings`` maps a household to what it holds (account type or "planning") and the balance in cents
    (0 when unknown). Most supported first."""
    neighbours = nearest(target, clients, as_of, config.neighbours)
    if not neighbours:
        return []
    k = len(neighbours)
    needed = max(1, math.ceil(config.min_support * k - 1e-9))
    own = holdings.get(target.household_id, {})
    support: dict[str, list[int]] = {}
    for hid, _distance in neighbours:
        for holding, cents in holdings.get(hid, {}).items():
            support.setdefault(holding, []).append(cents)
    out = []
    for holding, amounts in support.items():
        if holding in own or len(amounts) < needed:
            continue
        phrase = _(HOLDING_PHRASES[holding]) if holding in HOLDING_PHRASES else holding
        out.append(
            Suggestion(
                household_id=target.household_id,
                holding=holding,
                support=len(amounts),
                neighbours=k,
                opportunity_kind=OPPORTUNITY_FOR.get(holding, "consolidation"),
                typical_amount=_median([c for c in amounts if c > 0]),
                text=_("{count} of the {k} most similar households hold {holding}; this one does not").format(
                    count=len(amounts), k=k, holding=phrase
                ),
            )
        )
    out.sort(key=lambda s: (-s.support, s.holding))
    return out
