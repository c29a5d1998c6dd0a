"""Every report's figures against the engines that own the math (analytics, schedule, mail)."""

from __future__ import annotations

from datetime import UTC, datetime, time
from decimal import Decimal

import pytest
from sqlalchemy import select

from actdesk.domain.analytics.config import AnalyticsConfig
from actdesk.domain.schedule.config import ScheduleSettings
from actdesk.services.analytics import kpis_for
from actdesk.services.reports.base import ReportContext
from actdesk.services.reports.catalogue import REPORTS, get
from actdesk.services.reports.config import ReportSettings
from actdesk.services.reports.model import ReportData
from actdesk.services.reports.payout import grid_payout, total_payout
from actdesk.services.service_level import build_report, household_segments
from actdesk.storage.engine import Book

from .conftest import AS_OF

SCHEDULE = ScheduleSettings(time_zone="UTC")


def run(book: Book, key: str, settings: ReportSettings | None = None) -> ReportData:
    ctx = ReportContext(book, AS_OF, settings or ReportSettings(), AnalyticsConfig(), SCHEDULE)
    return get(key).build(ctx)


def metric(report: ReportData, label: str) -> object:
    return next(m.value for m in report.metrics if m.label == label)


def section(report: ReportData, key: str):
    return next(s for s in report.sections if s.key == key)


@pytest.fixture(scope="module")
def kpis(demo_book: Book) -> dict:  # type: ignore[type-arg]
    return kpis_for(demo_book, AS_OF, AnalyticsConfig(), with_probabilities=False)


def test_stack_ranking_matches_the_analytics_engine(demo_book: Book, kpis: dict) -> None:  # type: ignore[type-arg]
    report = run(demo_book, "stack-ranking")
    ranking = section(report, "ranking").table
    assert metric(report, "Client households") == kpis["clients"] == len(ranking.rows)
    assert metric(report, "Assets under management") == kpis["aum"]["total"]
    assert metric(report, "Revenue (12 months)") == kpis["revenue"]["t12m"]
    assert sum(ranking.column_values("aum"), Decimal(0)) == kpis["aum"]["total"]
    assert sum(ranking.column_values("revenue"), Decimal(0)) == kpis["revenue"]["clients_t12m"]
    top = kpis["stack_ranking"]
    assert ranking.column_values("household")[: len(top)] == [r["name"] for r in top]
    assert ranking.column_values("revenue")[: len(top)] == [r["revenue"] for r in top]
    assert ranking.column_values("rank")[:3] == [1, 2, 3]
    assert ranking.column_values("cumulative_share")[-1] == pytest.approx(1.0)
    segments = ranking.column_values("segment")
    for s in ("A", "B", "C"):
        assert segments.count(s) == kpis["segments"][s]["households"]


def test_investment_report_adds_up_to_the_book(demo_book: Book, kpis: dict) -> None:  # type: ignore[type-arg]
    report = run(demo_book, "investment")
    assert metric(report, "Managed assets") == kpis["aum"]["total"]
    assert metric(report, "Held-away assets") == kpis["aum"]["held_away"]
    for key in ("by_type", "by_custodian"):
        t = section(report, key).table
        assert (
            t.totals[t.columns.index(next(c for c in t.columns if c.key == "managed"))]
            == kpis["aum"]["total"]
        )
        assert sum(t.column_values("total"), Decimal(0)) == kpis["aum"]["total"] + kpis["aum"]["held_away"]


def test_fee_revenue_by_month_segment_and_household(demo_book: Book, kpis: dict) -> None:  # type: ignore[type-arg]
    report = run(demo_book, "fee-revenue")
    months = section(report, "by_month").table
    assert len(months.rows) == 12
    assert sum(months.column_values("total"), Decimal(0)) == kpis["revenue"]["t12m"]
    assert sum(months.column_values("recurring"), Decimal(0)) == kpis["revenue"]["recurring_t12m"]
    segments = section(report, "by_segment").table
    assert segments.column_values("total") == [kpis["segments"][s]["revenue"] for s in ("A", "B", "C")]
    assert metric(report, "Growth") == pytest.approx(kpis["revenue"]["growth"])


def test_compensation_pays_the_grid_on_production(demo_book: Book, kpis: dict) -> None:  # type: ignore[type-arg]
    settings = ReportSettings(payout_grid=[[0, 0.8], [100_000, 0.9]])
    report = run(demo_book, "compensation", settings)
    production = metric(report, "Production (12 months)")
    assert production == kpis["revenue"]["t12m"]
    expected = (
        Decimal("100000") * Decimal("0.8") + (production - Decimal("100000")) * Decimal("0.9")
    ).quantize(Decimal("0.01"))
    assert metric(report, "Payout") == expected  # a single owner in the demo book
    assert get("compensation").requires == "view_compensation"
    assert [r.key for r in REPORTS if r.requires] == ["compensation"]


def test_payout_grid_is_marginal_and_exact() -> None:
    tiers = ReportSettings(payout_grid=[[250_000, 0.85], [0, 0.8]]).tiers()
    parts = grid_payout(Decimal("300000"), tiers)
    assert [p.production for p in parts] == [Decimal("250000"), Decimal("50000")]
    assert total_payout(Decimal("300000"), tiers) == Decimal("242500.00")
    assert total_payout(Decimal("-5"), tiers) == Decimal("0.00")


def test_referrals_match_the_engine(demo_book: Book, kpis: dict) -> None:  # type: ignore[type-arg]
    report = run(demo_book, "referrals")
    t = section(report, "sources").table
    assert t.column_values("referrer") == [r["name"] for r in kpis["referral_sources"]]
    assert t.column_values("aum") == [r["aum"] for r in kpis["referral_sources"]]


def test_aging_and_service_level_match_the_schedule_engine(demo_book: Book) -> None:
    now = datetime.combine(AS_OF, time(23, 59, 59), tzinfo=UTC)
    with demo_book.reader() as s:
        expected = build_report(s, now, UTC, SCHEDULE, AnalyticsConfig())
    aging = run(demo_book, "aging")
    buckets = section(aging, "overdue_buckets").table
    assert (
        dict(zip(buckets.column_values("bucket"), buckets.column_values("items"), strict=True))
        == expected.buckets
    )
    since = section(aging, "since_contact").table
    assert sum(since.column_values("households")) == len(expected.lines)
    service = run(demo_book, "service-level")
    by_segment = section(service, "by_segment").table
    assert sum(by_segment.column_values("overdue")) == sum(1 for ln in expected.lines if ln.overdue)
    assert metric(service, "Client households") == len(expected.lines)


def test_service_segments_are_the_engines_without_its_monthly_series(demo_book: Book) -> None:
    """The aging and service-level reports' segments are the analytics engine's (the same function over the
    same frames), read without the book's monthly trend series, which segments never use."""
    from sqlalchemy import event

    from actdesk.domain.analytics.segments import assign_segments
    from actdesk.storage.analytics_data import load_book_frames
    from actdesk.storage.book_records import load_book_records

    shares = AnalyticsConfig(segment_a_share=0.1, segment_b_share=0.5)
    now = datetime.combine(AS_OF, time(23, 59, 59), tzinfo=UTC)

    def statements(work: object) -> int:
        seen: list[str] = []

        def listener(*args: object) -> None:  # before_cursor_execute(conn, cursor, statement, ...)
            seen.append(str(args[2]))

        event.listen(demo_book.engine, "before_cursor_execute", listener)
        try:
            with demo_book.reader() as s:
                work(s)  # type: ignore[operator]
        finally:
            event.remove(demo_book.engine, "before_cursor_execute", listener)
        return len(seen)

    with demo_book.reader() as s:
        with_series = load_book_frames(s, AS_OF, months=13)
        segments = household_segments(s, now, shares)
    assert segments == assign_segments(with_series.records, AS_OF, shares)
    read = statements(lambda s: household_segments(s, now, shares))
    assert read == statements(lambda s: load_book_records(s, AS_OF))
    assert read < statements(lambda s: load_book_frames(s, AS_OF, months=13))


def test_small_book_exact_figures(small_book: Book) -> None:
    investment = run(small_book, "investment")
    assert metric(investment, "Managed assets") == Decimal("1400000.00")
    assert metric(investment, "Held-away assets") == Decimal("250000.50")
    custodians = section(investment, "by_custodian").table
    assert custodians.column_values("group") == ["Schwab", "Fidelity"]
    pipeline = run(small_book, "pipeline")
    assert metric(pipeline, "Expected revenue, weighted by probability") == Decimal("2500.00")
    assert metric(pipeline, "Open opportunities") == 1
    board = run(small_book, "leaderboard")
    t = section(board, "owners").table
    assert t.column_values("owner") == ["Dana", "Eli"]
    assert t.column_values("contacts") == [2, 0]
    assert t.column_values("activities") == [2, 1]
    assert t.column_values("new_households") == [0, 1]
    assert t.column_values("revenue") == [Decimal("6000.00"), Decimal("1000.00")]
    refs = run(small_book, "referrals")
    assert section(refs, "life_events").table.column_values("kind") == ["Retirement"]
    aging = run(small_book, "aging")
    assert metric(aging, "Overdue items") == 1


@pytest.mark.parametrize("key", [r.key for r in REPORTS])
def test_an_empty_book_says_what_would_fill_each_report(book: Book, key: str) -> None:
    report = run(book, key)
    assert not report.has_data
    text = report.empty or " ".join(s.empty for s in report.sections)
    assert len(text) > 20
    assert "As of" in report.subtitle


def test_campaign_report_counts_each_state_and_opt_outs(small_book: Book) -> None:
    from actdesk.storage.repositories.mail import campaign_summaries
    from actdesk.storage.tables.book import ContactRow
    from actdesk.storage.tables.mail import MailCampaignRow, MailMessageRow

    created = datetime(2026, 6, 1, 9, tzinfo=UTC)
    with small_book.session() as s:
        campaign = MailCampaignRow(
            name="June market letter",
            template_name="Market letter",
            audience="clients",
            scheduled_for=created,
            created_at=created,
            skipped_json='{"no_address": 2}',
        )
        s.add(campaign)
        s.flush()
        contact_ids = list(s.scalars(select(ContactRow.id)))
        states = ["sent", "sent", "sent", "failed", "uncertain", "queued"]
        for i, state in enumerate(states):
            s.add(
                MailMessageRow(
                    message_id=f"<m{i}@test>",
                    state=state,
                    to_addr=f"p{i}@example.com",
                    from_addr="me@example.com",
                    subject="June",
                    raw=b"",
                    marketing=True,
                    campaign_id=campaign.id,
                    contact_id=contact_ids[i % len(contact_ids)] if i == 0 else None,
                    scheduled_for=created,
                )
            )
        s.get(ContactRow, contact_ids[0]).email_opt_out_at = datetime(2026, 6, 5, tzinfo=UTC)  # type: ignore[union-attr]
    report = run(small_book, "campaigns")
    t = section(report, "campaigns").table
    with small_book.reader() as s:
        summary = campaign_summaries(s)[0]
    row = dict(zip([c.key for c in t.columns], t.rows[0], strict=True))
    assert row["campaign"] == "June market letter"
    assert (row["sent"], row["failed"], row["uncertain"], row["queued"]) == (3, 1, 1, 1)
    assert row["sent"] == summary.counts["sent"] and row["opt_outs"] == summary.opted_out == 1
    assert row["skipped"] == 2
    assert row["delivery"] == pytest.approx(3 / 5)
    assert metric(report, "Failed or uncertain") == 2
