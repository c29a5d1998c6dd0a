"""Opportunities, their stage history, acquisition spend and the household traits the fit score reads.

Every function takes the caller's session (one user action = one unit of work) and returns domain
dataclasses or plain mappings; ORM rows never leave this module.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal

from sqlalchemy import exists, func, or_, select
from sqlalchemy.orm import Session

from actdesk.domain.money import from_cents, to_cents
from actdesk.domain.pipeline.board import PipelineError, PipelineItem, check_move
from actdesk.domain.pipeline.config import PipelineConfig
from actdesk.domain.pipeline.sources import Spend
from actdesk.domain.pipeline.traits import HouseholdTraits
from actdesk.i18n import _
from actdesk.storage.errors import NotFoundError
from actdesk.storage.tables.book import (
    AccountRow,
    ActivityRow,
    BalanceRow,
    ContactRow,
    HouseholdRow,
    OpportunityRow,
    ReferralRow,
)
from actdesk.storage.tables.pipeline import AcquisitionSpendRow, StageChangeRow

OPPORTUNITY_KINDS = ("new_household", "rollover", "consolidation", "insurance", "planning")


def _aware(moment: datetime) -> datetime:
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def _item(row: OpportunityRow, name: str) -> PipelineItem:
    return PipelineItem(
        id=row.id,
        household_id=row.household_id,
        household=name,
        kind=row.kind,
        stage=row.stage,
        expected_aum=from_cents(row.expected_aum_cents),
        expected_revenue=from_cents(row.expected_revenue_cents),
        probability=row.probability,
        expected_close=row.expected_close,
        source=row.source,
        lost_reason=row.lost_reason,
        created_at=_aware(row.created_at),
        stage_changed_at=_aware(row.stage_changed_at),
    )


def list_opportunities(s: Session, household_id: int | None = None) -> list[PipelineItem]:
    query = select(OpportunityRow, HouseholdRow.name).join(
        HouseholdRow, HouseholdRow.id == OpportunityRow.household_id
    )
    if household_id is not None:
        query = query.where(OpportunityRow.household_id == household_id)
    return [_item(row, name) for row, name in s.execute(query.order_by(OpportunityRow.id))]


def get_opportunity(s: Session, opportunity_id: int) -> PipelineItem:
    found = s.execute(
        select(OpportunityRow, HouseholdRow.name)
        .join(HouseholdRow, HouseholdRow.id == OpportunityRow.household_id)
        .where(OpportunityRow.id == opportunity_id)
    ).first()
    if found is None:
        raise NotFoundError(_("no opportunity with id {id}").format(id=opportunity_id))
    return _item(found[0], found[1])


def move_opportunity(
    s: Session, opportunity_id: int, stage: str, reason: str | None, now: datetime, config: PipelineConfig
) -> PipelineItem:
    """Move to ``stage`` (lost needs a reason), set the stage's probability and record the change."""
    cleaned = check_move(stage, reason, config)
    row = s.get(OpportunityRow, opportunity_id)
    if row is None:
        raise NotFoundError(_("no opportunity with id {id}").format(id=opportunity_id))
    if row.stage == stage and (stage != config.lost_stage or row.lost_reason == cleaned):
        return get_opportunity(s, opportunity_id)
    s.add(
        StageChangeRow(
            opportunity_id=row.id, from_stage=row.stage, to_stage=stage, changed_at=now, reason=cleaned
        )
    )
    row.stage = stage
    row.lost_reason = cleaned
    row.probability = config.probability(stage)
    row.stage_changed_at = now
    s.flush()
    return get_opportunity(s, opportunity_id)


def create_opportunity(
    s: Session,
    household_id: int,
    kind: str,
    now: datetime,
    config: PipelineConfig,
    *,
    stage: str | None = None,
    expected_aum: Decimal | None = None,
    expected_revenue: Decimal | None = None,
    expected_close: date | None = None,
    source: str | None = None,
    reason: str | None = None,
) -> PipelineItem:
    stage = stage or config.stages[0]
    cleaned = check_move(stage, reason, config)
    if kind not in OPPORTUNITY_KINDS:
        raise PipelineError(
            _("unknown opportunity kind {kind!r}; the kinds are: {kinds}").format(
                kind=kind, kinds=", ".join(OPPORTUNITY_KINDS)
            )
        )
    if s.get(HouseholdRow, household_id) is None:
        raise NotFoundError(_("no household with id {id}").format(id=household_id))
    for label, amount in ((_("expected AUM"), expected_aum), (_("expected revenue"), expected_revenue)):
        if amount is not None and amount < 0:
            raise PipelineError(_("{what} cannot be negative").format(what=label))
    row = OpportunityRow(
        household_id=household_id,
        kind=kind,
        stage=stage,
        expected_aum_cents=None if expected_aum is None else to_cents(expected_aum),
        expected_revenue_cents=None if expected_revenue is None else to_cents(expected_revenue),
        probability=config.probability(stage),
        expected_close=expected_close,
        source=(source or "").strip() or None,
        lost_reason=cleaned,
        created_at=now,
        stage_changed_at=now,
    )
    s.add(row)
    s.flush()
    s.add(
        StageChangeRow(opportunity_id=row.id, from_stage=None, to_stage=stage, changed_at=now, reason=cleaned)
    )
    s.flush()
    return get_opportunity(s, row.id)


def add_spend(
    s: Session, source: str, day: date, amount: Decimal, hours: float = 0.0, note: str | None = None
) -> Spend:
    name = source.strip()
    if not name:
        raise PipelineError(_("a spend needs a source (e.g. Seminar, Advertising)"))
    if amount < 0 or hours < 0:
        raise PipelineError(_("amount and hours cannot be negative"))
    row = AcquisitionSpendRow(
        source=name, date=day, amount_cents=to_cents(amount), hours=float(hours), note=note
    )
    s.add(row)
    s.flush()
    return Spend(name, day, from_cents(row.amount_cents) or Decimal("0.00"), row.hours, note, row.id)


def list_spend(s: Session) -> list[Spend]:
    rows = s.execute(select(AcquisitionSpendRow).order_by(AcquisitionSpendRow.date, AcquisitionSpendRow.id))
    return [
        Spend(r.source, r.date, from_cents(r.amount_cents) or Decimal("0.00"), r.hours, r.note, r.id)
        for (r,) in rows
    ]


def household_traits(
    s: Session, referral_label: str, household_ids: Sequence[int] | None = None
) -> list[HouseholdTraits]:
    """Traits of every household (or of ``household_ids``), by id."""
    households = select(HouseholdRow.id, HouseholdRow.name, HouseholdRow.status)
    if household_ids is not None:
        households = households.where(HouseholdRow.id.in_(list(household_ids)))
    base = {hid: (name, status) for hid, name, status in s.execute(households)}
    sums = {
        hid: (inc, nw)
        for hid, inc, nw in s.execute(
            select(
                ContactRow.household_id,
                func.sum(ContactRow.income_cents),
                func.sum(ContactRow.net_worth_cents),
            )
            .where(ContactRow.household_id.is_not(None))
            .group_by(ContactRow.household_id)
        )
    }
    primary: dict[int, tuple[date | None, str | None, str | None, str | None]] = {}
    for hid, birth, occupation, city, region, risk in s.execute(
        select(
            ContactRow.household_id,
            ContactRow.birth_date,
            ContactRow.occupation,
            ContactRow.city,
            ContactRow.region,
            ContactRow.risk_tolerance,
        )
        .where(ContactRow.household_id.is_not(None), ContactRow.role == "primary")
        .order_by(ContactRow.id.desc())
    ):
        primary[hid] = (birth, occupation, city or region, risk)
    sources: dict[int, str] = {}
    for hid, source in s.execute(
        select(OpportunityRow.household_id, OpportunityRow.source)
        .where(OpportunityRow.kind == "new_household", OpportunityRow.source.is_not(None))
        .order_by(OpportunityRow.created_at)
    ):
        if source and source.strip():
            sources[hid] = source.strip()
    for (hid,) in s.execute(select(ReferralRow.referred_household_id).distinct()):
        sources.setdefault(hid, referral_label)
    out = []
    for hid, (name, status) in sorted(base.items()):
        income, worth = sums.get(hid, (None, None))
        birth, occupation, location, risk = primary.get(hid, (None, None, None, None))
        out.append(
            HouseholdTraits(
                household_id=hid,
                name=name,
                status=status,
                birth_date=birth,
                income=from_cents(income),
                net_worth=from_cents(worth),
                occupation=occupation,
                location=location,
                risk_tolerance=risk,
                source=sources.get(hid),
                has_primary=hid in primary,
            )
        )
    return out


def holdings(s: Session, as_of: date) -> dict[int, dict[str, int]]:
    """What each household held on ``as_of``: account types (with the latest balance on or before ``as_of``
    summed, in cents) and "planning" when it had won a planning opportunity by then. An account whose first
    balance is after ``as_of`` was opened later and is not held then (one without any balance still is:
    nothing says when it was opened)."""
    latest = (
        select(BalanceRow.balance_cents)
        .where(BalanceRow.account_id == AccountRow.id, BalanceRow.date <= as_of)
        .order_by(BalanceRow.date.desc())
        .limit(1)
        .scalar_subquery()
    )
    later = exists().where(BalanceRow.account_id == AccountRow.id, BalanceRow.date > as_of)
    out: dict[int, dict[str, int]] = defaultdict(dict)
    for hid, kind, cents, opened_later in s.execute(
        select(AccountRow.household_id, AccountRow.type, latest, later)
    ):
        if cents is None and opened_later:
            continue
        out[hid][kind] = out[hid].get(kind, 0) + int(cents or 0)
    end_of_day = datetime.combine(as_of + timedelta(days=1), time(), UTC)
    for (hid,) in s.execute(
        select(OpportunityRow.household_id).where(
            OpportunityRow.kind == "planning",
            OpportunityRow.stage == "won",
            or_(OpportunityRow.stage_changed_at.is_(None), OpportunityRow.stage_changed_at < end_of_day),
        )
    ):
        out[hid].setdefault("planning", 0)
    return dict(out)


def activity_counts(s: Session, start: date, end: date) -> dict[int, dict[str, int]]:
    """Completed activities per household and kind with completion in (start, end]."""
    lo = datetime.combine(start, time.max, tzinfo=UTC)
    hi = datetime.combine(end, time.max, tzinfo=UTC)
    out: dict[int, dict[str, int]] = defaultdict(dict)
    for hid, kind, n in s.execute(
        select(ActivityRow.household_id, ActivityRow.kind, func.count())
        .where(ActivityRow.completed_at > lo, ActivityRow.completed_at <= hi)
        .group_by(ActivityRow.household_id, ActivityRow.kind)
    ):
        out[hid][kind] = int(n)
    return dict(out)
