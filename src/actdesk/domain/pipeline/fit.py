"""The fit score: how much a prospect looks like the A clients, 0-100, with one reason per attribute.

score = 100 x sum(w_i x s_i) / sum(w_i) over the attributes the profile knows, where w_i are the
configured weights and s_i in [0, 1] the similarity of the prospect on attribute i:

- age, income, net worth: 1 inside the A-client range; outside it, 1 - distance / tolerance, floored at 0
  (distance in years for age, in powers of ten for money, so $150K against a $1.5M floor is one step);
- occupation, location, risk tolerance, source: the share of A clients with the prospect's value divided
  by the share of the most common value (the most common value scores 1, a value no A client has 0);
- an attribute the prospect's record lacks scores ``unknown_similarity`` (0.5): neither for nor against.

Each reason carries its points (100 x w_i x s_i / sum(w)), so the reasons add up to the score.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from actdesk.domain.pipeline.config import PipelineConfig
from actdesk.domain.pipeline.profile import (
    CATEGORICAL,
    NUMERIC,
    IdealClientProfile,
    NumericProfile,
    categorical_value,
    numeric_value,
)
from actdesk.domain.pipeline.traits import HouseholdTraits
from actdesk.i18n import N_, _, format_money_compact

ATTRIBUTE_LABELS = {
    "age": N_("age"),
    "income": N_("income"),
    "net_worth": N_("net worth"),
    "occupation": N_("occupation"),
    "location": N_("location"),
    "risk_tolerance": N_("risk tolerance"),
    "source": N_("source"),
}
RISK_LABELS = {
    "conservative": N_("conservative"),
    "moderate": N_("moderate"),
    "growth": N_("growth"),
    "aggressive": N_("aggressive"),
}


@dataclass(frozen=True)
class FitReason:
    attribute: str
    similarity: float  # 0..1
    weight: float
    points: float  # this attribute's share of the score
    text: str


@dataclass(frozen=True)
class FitScore:
    household_id: int
    score: int  # 0..100
    reasons: tuple[FitReason, ...]  # strongest contribution first


def compact_money(value: float) -> str:
    """$2.1M, $310K: the way an advisor says it (the locale's compact format, from actdesk.formats)."""
    return format_money_compact(round(value))


def shown_value(attribute: str, value: float | str) -> str:
    if attribute == "age":
        return str(round(float(value)))
    if attribute in ("income", "net_worth"):
        return compact_money(float(value))
    if attribute == "risk_tolerance":
        return _(RISK_LABELS.get(str(value).lower(), str(value)))
    return str(value)


def _numeric(attribute: str, value: float, p: NumericProfile, config: PipelineConfig) -> tuple[float, str]:
    label = _(ATTRIBUTE_LABELS[attribute])
    low, high = shown_value(attribute, p.low), shown_value(attribute, p.high)
    args = {"attribute": label, "value": shown_value(attribute, value), "low": low, "high": high}
    if p.low <= value <= p.high:
        return 1.0, _("{attribute} {value} is within the A-client range {low}–{high}").format(**args)
    below = value < p.low
    if attribute == "age":
        distance = (p.low - value) if below else (value - p.high)
        similarity = max(0.0, 1.0 - distance / config.age_tolerance_years)
        text = (
            _("{attribute} {value} is {years} years below the A-client range {low}–{high}")
            if below
            else _("{attribute} {value} is {years} years above the A-client range {low}–{high}")
        )
        return similarity, text.format(years=round(distance), **args)
    distance = math.log10(p.low / value) if below else math.log10(value / p.high)
    similarity = max(0.0, 1.0 - distance / config.money_tolerance_decades)
    text = (
        _("{attribute} {value} is below the A-client range {low}–{high}")
        if below
        else _("{attribute} {value} is above the A-client range {low}–{high}")
    )
    return similarity, text.format(**args)


def fit_score(
    traits: HouseholdTraits, profile: IdealClientProfile, as_of: date, config: PipelineConfig
) -> FitScore:
    parts: list[tuple[str, float, float, str]] = []  # attribute, weight, similarity, text
    for attribute in (*NUMERIC, *CATEGORICAL):
        weight = float(config.fit_weights.get(attribute, 0.0))
        known_in_profile = attribute in profile.numeric or attribute in profile.categorical
        if weight <= 0 or not known_in_profile:
            continue
        label = _(ATTRIBUTE_LABELS[attribute])
        unknown = _("{attribute} unknown: counts as half a match").format(attribute=label)
        if attribute in NUMERIC:
            value = numeric_value(traits, attribute, as_of)
            if value is None:
                parts.append((attribute, weight, config.unknown_similarity, unknown))
                continue
            similarity, text = _numeric(attribute, value, profile.numeric[attribute], config)
            parts.append((attribute, weight, similarity, text))
            continue
        category = categorical_value(traits, attribute)
        if category is None:
            parts.append((attribute, weight, config.unknown_similarity, unknown))
            continue
        cp = profile.categorical[attribute]
        share = cp.share_of(category)
        shown = shown_value(attribute, category)
        if share is None:
            text = _("{attribute} {value}: no A client shares it (most common: {top})").format(
                attribute=label, value=shown, top=shown_value(attribute, cp.shares[0].value)
            )
            parts.append((attribute, weight, 0.0, text))
            continue
        text = _("{attribute} {value}: shared by {count} of {known} A clients").format(
            attribute=label, value=shown, count=share.count, known=cp.known
        )
        parts.append((attribute, weight, share.share / cp.top_share, text))
    total_weight = sum(w for _a, w, _s, _t in parts)
    if not total_weight:
        return FitScore(traits.household_id, 0, ())
    reasons = [FitReason(a, s, w, 100.0 * w * s / total_weight, _sentence(t)) for a, w, s, t in parts]
    score = round(sum(r.points for r in reasons))
    reasons.sort(key=lambda r: (-r.points, -r.weight, r.attribute))
    return FitScore(traits.household_id, int(min(100, max(0, score))), tuple(reasons))


def _sentence(text: str) -> str:
    return text[:1].upper() + text[1:]


def rank_prospects(
    prospects: Sequence[HouseholdTraits], profile: IdealClientProfile, as_of: date, config: PipelineConfig
) -> list[FitScore]:
    """Every prospect's fit, best first (ties by household id)."""
    scores = [fit_score(p, profile, as_of, config) for p in prospects]
    return sorted(scores, key=lambda f: (-f.score, f.household_id))


def describe_profile(profile: IdealClientProfile) -> list[str]:
    """The profile in words and numbers, one line per attribute, for the advisor."""
    lines = []
    for attribute in NUMERIC:
        p = profile.numeric.get(attribute)
        if p is None:
            continue
        lines.append(
            _("{attribute}: typically {median}, most between {low} and {high} ({known} known)").format(
                attribute=_(ATTRIBUTE_LABELS[attribute]).capitalize(),
                median=shown_value(attribute, p.median),
                low=shown_value(attribute, p.low),
                high=shown_value(attribute, p.high),
                known=p.known,
            )
        )
    for attribute in CATEGORICAL:
        c = profile.categorical.get(attribute)
        if c is None:
            continue
        top = ", ".join(
            _("{value} ({count} of {known})").format(
                value=shown_value(attribute, s.value), count=s.count, known=c.known
            )
            for s in c.shares[:3]
        )
        lines.append(
            _("{attribute}: {values}").format(
                attribute=_(ATTRIBUTE_LABELS[attribute]).capitalize(), values=top
            )
        )
    return lines
