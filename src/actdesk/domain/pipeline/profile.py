"""The ideal-client profile: what the A segment (the top clients by revenue) have in common.

Numbers (age, income, net worth) are summarised by their median and a range from the configured low to
high quantile (10th to 90th percentile by default, so one outlier does not stretch it); categories
(occupation, location, risk tolerance, source) by how many A clients share each value.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from actdesk.domain.pipeline.config import PipelineConfig
from actdesk.domain.pipeline.traits import HouseholdTraits, clean_text

NUMERIC = ("age", "income", "net_worth")
CATEGORICAL = ("occupation", "location", "risk_tolerance", "source")


@dataclass(frozen=True)
class NumericProfile:
    attribute: str
    known: int  # A clients with a value
    low: float
    median: float
    high: float


@dataclass(frozen=True)
class CategoryShare:
    value: str  # as first written in the book
    count: int
    share: float  # of the A clients whose value is known


@dataclass(frozen=True)
class CategoricalProfile:
    attribute: str
    known: int
    shares: tuple[CategoryShare, ...]  # most common first

    def share_of(self, value: str | None) -> CategoryShare | None:
        key = clean_text(value)
        return next((s for s in self.shares if clean_text(s.value) == key), None)

    @property
    def top_share(self) -> float:
        return self.shares[0].share if self.shares else 0.0


@dataclass(frozen=True)
class IdealClientProfile:
    as_of: date
    households: int  # A clients it was built from
    numeric: dict[str, NumericProfile]  # only attributes with at least one known value
    categorical: dict[str, CategoricalProfile]


def quantile(values: Sequence[float], q: float) -> float:
    """Linear interpolation between closest ranks (numpy's default), so tests can compute it by hand."""
    ordered = sorted(values)
    if not ordered:
        raise ValueError("no values")
    pos = (len(ordered) - 1) * q
    lo = int(pos)
    hi = min(lo + 1, len(ordered) - 1)
    return ordered[lo] + (ordered[hi] - ordered[lo]) * (pos - lo)


def numeric_value(traits: HouseholdTraits, attribute: str, as_of: date) -> float | None:
    if attribute == "age":
        age = traits.age(as_of)
        return None if age is None else float(age)
    value: Decimal | None = getattr(traits, attribute)
    return None if value is None or value <= 0 else float(value)


def categorical_value(traits: HouseholdTraits, attribute: str) -> str | None:
    value: str | None = getattr(traits, attribute)
    return " ".join(value.split()) if value and value.strip() else None


def build_profile(
    a_clients: Sequence[HouseholdTraits], as_of: date, config: PipelineConfig
) -> IdealClientProfile:
    numeric: dict[str, NumericProfile] = {}
    for attribute in NUMERIC:
        values = [v for t in a_clients if (v := numeric_value(t, attribute, as_of)) is not None]
        if values:
            numeric[attribute] = NumericProfile(
                attribute,
                len(values),
                quantile(values, config.profile_low_quantile),
                quantile(values, 0.5),
                quantile(values, config.profile_high_quantile),
            )
    categorical: dict[str, CategoricalProfile] = {}
    for attribute in CATEGORICAL:
        texts = [c for t in a_clients if (c := categorical_value(t, attribute)) is not None]
        if not texts:
            continue
        first_spelling: dict[str, str] = {}
        counts: Counter[str] = Counter()
        for text in texts:
            key = text.casefold()
            first_spelling.setdefault(key, text)
            counts[key] += 1
        shares = tuple(
            CategoryShare(first_spelling[k], n, n / len(texts))
            for k, n in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))
        )
        categorical[attribute] = CategoricalProfile(attribute, len(texts), shares)
    return IdealClientProfile(as_of, len(a_clients), numeric, categorical)
