"""Referral conversion and "most likely to refer": pure rules over plain numbers, each score explained.

Conversion: a referred household that is (or was) a client converted; a prospect is still open; an advisor
may close it as not converted, with a reason, and that verdict stands until the household becomes a client.

Likely referrers are client households in the A and B segments, scored on satisfaction signals: completed
reviews in the last year, recent good outcomes (won opportunities, a rising AUM), tenure, and having referred
before. An open risk alert or a request in the last ``ask_again_days`` rules a household out: nobody asks an
unhappy client for a favour, or the same client twice in a season.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date

from actdesk.i18n import N_, _

CONVERTED = "client"
OPEN = "prospect"
NOT_CONVERTED = "not_converted"
OUTCOMES = (OPEN, CONVERTED, NOT_CONVERTED)


def referral_outcome(status: str, client_since: date | None, current: str | None, as_of: date) -> str:
    """What a referral came to, from the referred household's status on ``as_of``."""
    if client_since is not None and client_since <= as_of and status in ("client", "former_client"):
        return CONVERTED
    if current == NOT_CONVERTED:
        return NOT_CONVERTED
    return OPEN


@dataclass(frozen=True)
class ReferrerSignals:
    """What the book knows about one client household, as of the scoring date."""

    household_id: int
    name: str
    segment: str  # A | B | C
    client_since: date | None
    reviews_12m: int = 0  # completed reviews in the last twelve months
    won_12m: int = 0  # opportunities won in the last twelve months
    aum_growth_12m: float | None = None  # relative change of managed AUM over twelve months
    referrals_made: int = 0
    open_risk_alerts: int = 0
    last_asked: date | None = None
    contact_id: int | None = None  # the primary contact, who receives the request
    has_email: bool = True


@dataclass(frozen=True)
class ReferrerScore:
    household_id: int
    name: str
    contact_id: int | None
    segment: str
    score: int
    reasons: tuple[str, ...] = field(default_factory=tuple)


@dataclass(frozen=True)
class ScoringRules:
    segment_points: tuple[tuple[str, int], ...] = (("A", 30), ("B", 20))
    review_points: int = 10  # per completed review in the last year
    review_cap: int = 20
    won_points: int = 10
    growth_threshold: float = 0.05
    growth_points: int = 10
    tenure_points_per_year: int = 2
    tenure_cap: int = 10
    referred_before_points: int = 15
    ask_again_days: int = 180


REASONS = {
    "segment": N_("segment {segment}"),
    "reviews": N_("{n} review(s) in the last year"),
    "won": N_("{n} opportunity(ies) won this year"),
    "growth": N_("assets up {pct}% in a year"),
    "tenure": N_("client for {years} years"),
    "referred": N_("has referred {n} before"),
}


def _said(key: str, **values: object) -> str:
    text = REASONS[key]
    return _(text).format(**values)


def _years(since: date | None, as_of: date) -> int:
    if since is None or since > as_of:
        return 0
    return as_of.year - since.year - ((as_of.month, as_of.day) < (since.month, since.day))


def score_referrer(
    s: ReferrerSignals, as_of: date, rules: ScoringRules | None = None
) -> ReferrerScore | None:
    """The household's score and why, or None when it should not be asked now."""
    rules = rules or ScoringRules()
    seg_points = dict(rules.segment_points)
    if s.segment not in seg_points or s.open_risk_alerts > 0 or s.contact_id is None or not s.has_email:
        return None
    if s.last_asked is not None and (as_of - s.last_asked).days < rules.ask_again_days:
        return None
    score = seg_points[s.segment]
    reasons = [_said("segment", segment=s.segment)]
    if s.reviews_12m:
        score += min(rules.review_cap, rules.review_points * s.reviews_12m)
        reasons.append(_said("reviews", n=s.reviews_12m))
    if s.won_12m:
        score += rules.won_points
        reasons.append(_said("won", n=s.won_12m))
    if s.aum_growth_12m is not None and s.aum_growth_12m >= rules.growth_threshold:
        score += rules.growth_points
        reasons.append(_said("growth", pct=round(s.aum_growth_12m * 100)))
    years = _years(s.client_since, as_of)
    if years:
        score += min(rules.tenure_cap, rules.tenure_points_per_year * years)
        reasons.append(_said("tenure", years=years))
    if s.referrals_made:
        score += rules.referred_before_points
        reasons.append(_said("referred", n=s.referrals_made))
    return ReferrerScore(s.household_id, s.name, s.contact_id, s.segment, score, tuple(reasons))


def most_likely_to_refer(
    signals: Iterable[ReferrerSignals], as_of: date, top: int = 10, rules: ScoringRules | None = None
) -> list[ReferrerScore]:
    """The ``top`` households to ask, best first (ties by name, then id, for a stable list)."""
    scored = [r for s in signals if (r := score_referrer(s, as_of, rules)) is not None]
    scored.sort(key=lambda r: (-r.score, r.name.casefold(), r.household_id))
    return scored[:top]


@dataclass(frozen=True)
class ReferralRecord:
    referrer_contact_id: int
    referrer_kind: str  # client | former_client | prospect | center_of_influence
    referred_household_id: int
    date: date
    outcome: str


def conversion_rate(records: Iterable[ReferralRecord]) -> float | None:
    """Share of referred households that became clients (None when nobody was referred)."""
    items = list(records)
    if not items:
        return None
    return sum(1 for r in items if r.outcome == CONVERTED) / len(items)


def by_source_and_month(records: Iterable[ReferralRecord]) -> dict[tuple[str, str], int]:
    """Referrals per (referrer kind, ``YYYY-MM``): the chart of where new names come from."""
    out: dict[tuple[str, str], int] = {}
    for r in records:
        key = (r.referrer_kind, f"{r.date.year:04d}-{r.date.month:02d}")
        out[key] = out.get(key, 0) + 1
    return dict(sorted(out.items()))
