"""Referral numbers and asking for referrals.

Per-referrer figures (referred, converted, AUM and revenue brought) come from the analytics engine's
``referral_sources``, so the Reports panel, the KPIs and this feature always agree. This module adds the
view by source kind and month, conversion rates, the life events by kind with what they produced, the
households most likely to refer, and the one-click request e-mail.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, tzinfo
from decimal import Decimal

from actdesk.domain.analytics.config import AnalyticsConfig
from actdesk.domain.analytics.dates import shift_months
from actdesk.domain.analytics.records import ZERO3
from actdesk.domain.analytics.referrals import ReferralSource, referral_sources
from actdesk.domain.analytics.segments import assign_segments
from actdesk.domain.engagement.referrals import (
    NOT_CONVERTED,
    ReferralRecord,
    ReferrerScore,
    ReferrerSignals,
    ScoringRules,
    by_source_and_month,
    conversion_rate,
    most_likely_to_refer,
    referral_outcome,
)
from actdesk.i18n import _
from actdesk.services.engagement.config import EngagementSettings
from actdesk.services.mail.automations import Occasion, queue_occasions
from actdesk.services.mail.campaigns import Sender
from actdesk.services.mail.library import load_template
from actdesk.storage.book_records import load_book_records
from actdesk.storage.engine import Book
from actdesk.storage.repositories import engagement as repo
from actdesk.storage.repositories import engagement_referrals as refs


def referrer_kind(item: refs.ReferralItem) -> str:
    if item.referrer_household_id is None or item.referrer_status is None:
        return "center_of_influence"
    return item.referrer_status


def referral_records(book: Book, as_of: date) -> list[ReferralRecord]:
    with book.reader() as s:
        items = refs.list_referrals(s)
    return [
        ReferralRecord(
            i.referrer_contact_id,
            referrer_kind(i),
            i.referred_household_id,
            i.date,
            referral_outcome(i.referred_status, i.referred_since, i.outcome, as_of),
        )
        for i in items
        if i.date <= as_of
    ]


def referral_stats(book: Book, as_of: date) -> list[ReferralSource]:
    """Per referrer: referred, converted, AUM and trailing-year revenue brought (the analytics' figures)."""
    with book.reader() as s:
        records = load_book_records(s, as_of)
    return referral_sources(records, as_of)


def sync_outcomes(book: Book, as_of: date) -> int:
    """Bring each referral's stored outcome up to date with its household (a prospect became a client)."""
    changed = 0
    with book.session() as s:
        for i in refs.list_referrals(s):
            outcome = referral_outcome(i.referred_status, i.referred_since, i.outcome, as_of)
            reason = i.reason if outcome == NOT_CONVERTED else None
            if (outcome, reason) != (i.outcome, i.reason):
                refs.set_referral_outcome(s, i.id, outcome, reason)
                changed += 1
    return changed


def close_referral(book: Book, referral_id: int, reason: str) -> None:
    """The advisor's verdict: this referral did not convert, and why."""
    if not reason.strip():
        raise ValueError(_("Say why the referral did not convert."))
    with book.session() as s:
        refs.set_referral_outcome(s, referral_id, NOT_CONVERTED, reason.strip())


@dataclass(frozen=True)
class SourceKindFigures:
    kind: str
    referred: int
    converted: int
    rate: float | None
    aum: Decimal
    revenue: Decimal


@dataclass
class EngagementDashboard:
    as_of: date
    by_month: dict[tuple[str, str], int] = field(default_factory=dict)
    conversion: float | None = None
    kinds: list[SourceKindFigures] = field(default_factory=list)
    sources: list[ReferralSource] = field(default_factory=list)
    life_events: list[tuple[str, int, int, int, int]] = field(
        default_factory=list
    )  # kind, n, follow-ups, done, brochures


def dashboard_data(book: Book, as_of: date, months: int = 12) -> EngagementDashboard:
    """Referrals by source and month, conversion, AUM and revenue per source, life events and their follow-ups."""
    start = shift_months(as_of, -months)
    records = referral_records(book, as_of)
    recent = [r for r in records if r.date > start]
    sources = referral_stats(book, as_of)
    by_contact = {s.contact_id: s for s in sources}
    kinds: dict[str, list[ReferralRecord]] = {}
    for r in records:
        kinds.setdefault(r.referrer_kind, []).append(r)
    figures = []
    for kind, items in sorted(kinds.items()):
        contacts = {r.referrer_contact_id for r in items}
        figures.append(
            SourceKindFigures(
                kind,
                len(items),
                sum(1 for r in items if r.outcome == "client"),
                conversion_rate(items),
                sum((by_contact[c].aum for c in contacts if c in by_contact), Decimal(0)),
                sum((by_contact[c].revenue for c in contacts if c in by_contact), Decimal(0)),
            )
        )
    with book.reader() as s:
        events = refs.life_event_followup_counts(s, start)
    return EngagementDashboard(
        as_of, by_source_and_month(recent), conversion_rate(records), figures, sources, events
    )


def likely_referrers(
    book: Book,
    as_of: date,
    cfg: EngagementSettings,
    config: AnalyticsConfig | None = None,
    top: int | None = None,
) -> list[ReferrerScore]:
    """The households to ask for a referral now, best first, each with its reasons."""
    config = config or AnalyticsConfig()
    with book.reader() as s:
        signals = refs.referrer_signals(s, as_of)
        records = load_book_records(s, as_of)
    segments = assign_segments(records, as_of, config)
    now_aum = records.aum_on(as_of)
    scored = []
    for sig in signals:
        before = records.aum.get(sig.household_id, ZERO3)[1]  # a year ago (the third snapshot)
        growth = (now_aum.get(sig.household_id, 0) - before) / before if before > 0 else None
        scored.append(
            ReferrerSignals(
                sig.household_id,
                sig.name,
                segments.get(sig.household_id, "C"),
                sig.client_since,
                sig.reviews_12m,
                sig.won_12m,
                growth,
                sig.referrals_made,
                sig.open_risk_alerts,
                sig.last_asked,
                sig.contact_id,
                sig.has_email,
            )
        )
    rules = ScoringRules(ask_again_days=cfg.referral_ask_again_days)
    return most_likely_to_refer(scored, as_of, top or cfg.referral_top, rules)


@dataclass(frozen=True)
class AskReport:
    queued: int
    skipped: dict[str, int]
    households: list[int]


def ask_for_referrals(
    book: Book, chosen: list[ReferrerScore], sender: Sender, *, language: str, now: datetime, tz: tzinfo
) -> AskReport:
    """Queue the referral-request e-mail (the advisor's template) to each chosen household's primary contact."""
    day = now.astimezone(tz).date().isoformat()
    occasions = [
        Occasion(
            f"referral-request:{c.household_id}:{c.contact_id}:{day}",
            "referral_request",
            "referral_request",
            c.contact_id,
            now,
        )
        for c in chosen
        if c.contact_id is not None
    ]
    with book.reader() as s:
        before = set(repo.message_pks_by_keys(s, [o.key for o in occasions]))
    report = queue_occasions(
        book,
        occasions,
        sender,
        now=now,
        tz=tz,
        language=language,
        templates=lambda name, lang: load_template(book, name, lang),
    )
    asked = []
    with book.session() as s:
        pks = repo.message_pks_by_keys(s, [o.key for o in occasions])
        for c, o in zip([c for c in chosen if c.contact_id is not None], occasions, strict=True):
            if o.key in pks and o.key not in before:
                refs.add_request(
                    s, c.household_id, c.contact_id, pks[o.key], float(c.score), "; ".join(c.reasons), now
                )
                asked.append(c.household_id)
    return AskReport(sum(report.queued.values()), dict(report.skipped), asked)
