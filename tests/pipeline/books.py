"""Small books built so that the right answers are known (see each function's docstring)."""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal

from sqlalchemy.orm import Session
from tests import factories as f

from actdesk.storage.tables.book import OpportunityRow

AS_OF = date(2026, 10, 31)
NOW = datetime(2026, 11, 15, 12, tzinfo=UTC)


def _person(
    s: Session,
    name: str,
    status: str,
    birth: date | None,
    net_worth: int | None,
    income: int | None,
    risk: str | None,
    occupation: str | None,
    city: str | None,
) -> int:
    hid = f.household(s, name, status=status, since=date(2015, 1, 1) if status == "client" else None)
    f.contact(
        s,
        hid,
        name.split()[0],
        "Family",
        birth=birth,
        net_worth=net_worth,
        income=income,
        risk_tolerance=risk,
        occupation=occupation,
        city=city,
    )
    return hid


def opportunity(
    s: Session,
    household_id: int,
    stage: str,
    *,
    kind: str = "new_household",
    aum: str | None = None,
    revenue: str | None = None,
    probability: float | None = None,
    source: str | None = None,
    created: datetime = datetime(2026, 1, 1, tzinfo=UTC),
    changed: datetime | None = None,
    reason: str | None = None,
) -> int:
    row = OpportunityRow(
        household_id=household_id,
        kind=kind,
        stage=stage,
        expected_aum_cents=None if aum is None else int(Decimal(aum) * 100),
        expected_revenue_cents=None if revenue is None else int(Decimal(revenue) * 100),
        probability=probability,
        source=source,
        lost_reason=reason,
        created_at=created,
        stage_changed_at=changed or created,
    )
    s.add(row)
    s.flush()
    return row.id


def a_segment_book(s: Session) -> dict[str, int]:
    """Ten clients: two A clients (the top 20% by fees) aged 52 and 58, net worth $2M and $5M, income
    $300K and $450K, growth investors, physicians in Austin, won through referrals; eight others aged
    30-37 with $200K, conservative teachers in Dallas. Prospects: "like" (55, $3M, $400K, growth,
    physician, Austin, referral), "unlike" (28, $100K, $50K, conservative, teacher, Dallas, website),
    "blank" (nothing known)."""
    ids: dict[str, int] = {}
    for key, birth, nw, inc in (
        ("a1", date(1974, 6, 1), 2_000_000, 300_000),
        ("a2", date(1968, 6, 1), 5_000_000, 450_000),
    ):
        hid = _person(s, f"{key.upper()} Client", "client", birth, nw, inc, "growth", "Physician", "Austin")
        f.fee(s, hid, date(2026, 6, 30), 20_000)
        opportunity(s, hid, "won", source="Referral", aum="2000000", revenue="20000")
        ids[key] = hid
    for i in range(8):
        hid = _person(
            s,
            f"C{i} Client",
            "client",
            date(1990 + i % 4, 1, 1),
            200_000,
            80_000,
            "conservative",
            "Teacher",
            "Dallas",
        )
        f.fee(s, hid, date(2026, 6, 30), 1_000)
        ids[f"c{i}"] = hid
    ids["like"] = _person(
        s, "Like Prospect", "prospect", date(1971, 3, 1), 3_000_000, 400_000, "growth", "physician", "Austin"
    )
    opportunity(s, ids["like"], "meeting", source="Referral")
    ids["unlike"] = _person(
        s,
        "Unlike Prospect",
        "prospect",
        date(1998, 3, 1),
        100_000,
        50_000,
        "conservative",
        "Teacher",
        "Dallas",
    )
    opportunity(s, ids["unlike"], "lead", source="Website")
    ids["blank"] = _person(s, "Blank Prospect", "prospect", None, None, None, None, None, None)
    return ids


def annuity_book(s: Session) -> dict[str, int]:
    """Four similar retirees (age 66, $1M, $100K, moderate): S1-S3 hold an IRA and an annuity, "holder"
    holds both too, "target" holds only the IRA. Three young savers (age 30, $50K, aggressive) hold 529
    plans. With 3 neighbours, "target" is offered the annuity (3 of 3) and never the 529."""
    ids: dict[str, int] = {}
    retiree = (date(1960, 5, 1), 1_000_000, 100_000, "moderate", "Retired", "Boise")
    for key in ("s1", "s2", "s3", "holder", "target"):
        hid = _person(s, f"{key} household", "client", *retiree)
        ira = f.account(s, hid, "ira")
        f.balance(s, ira, date(2026, 9, 30), 400_000)
        if key != "target":
            annuity = f.account(s, hid, "annuity", managed=False)
            f.balance(s, annuity, date(2026, 9, 30), 150_000 + 10_000 * len(ids))
        ids[key] = hid
    for i in range(3):
        hid = _person(
            s, f"young {i}", "client", date(1996, 1, 1), 50_000, 60_000, "aggressive", "Nurse", "Boise"
        )
        plan = f.account(s, hid, "529")
        f.balance(s, plan, date(2026, 9, 30), 20_000)
        ids[f"y{i}"] = hid
    return ids
