"""The relationships around the money: family links, referrals and their sources, life events, pipeline, notes.

Referrers are clients (a few of them refer again and again) and centers of influence - accountants and
attorneys kept as contacts with role ``other`` in their own households - so that "best referral sources" has a
realistic long tail to rank.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from typing import Any

import numpy as np

from actdesk.services.demo.content import Content
from actdesk.services.demo.households import CLIENT, COI, MONTHS, NEVER, PROSPECT, Grid, Households
from actdesk.services.demo.markets import Accounts
from actdesk.services.demo.people import People

Rows = list[dict[str, Any]]


def _at(day: date) -> datetime:
    return datetime(day.year, day.month, day.day, 15, 0, tzinfo=UTC)


def build_relationships(hh: Households, people: People, referrals: Rows, coi_contacts: set[int]) -> Rows:
    rows: Rows = []
    for h, primary in people.primary.items():
        if h in people.spouse:
            rows.append({"from_contact_id": primary, "to_contact_id": people.spouse[h], "kind": "spouse"})
        for child in people.children.get(h, []):
            rows.append({"from_contact_id": primary, "to_contact_id": child, "kind": "parent"})
    for referral in referrals:
        referred = people.primary[referral["referred_household_id"] - 1]
        referrer = referral["referrer_contact_id"]
        rows.append({"from_contact_id": referred, "to_contact_id": referrer, "kind": "referred_by"})
        if referrer in coi_contacts:
            rows.append(
                {"from_contact_id": referred, "to_contact_id": referrer, "kind": "center_of_influence"}
            )
    for i, row in enumerate(rows, start=1):
        row["id"] = i
    return rows


def build_referrals(
    hh: Households, people: People, grid: Grid, content: Content, rng: np.random.Generator
) -> Rows:
    cois = [people.primary[int(h)] for h in np.nonzero(hh.kind == COI)[0]]
    clients = np.nonzero(hh.kind == CLIENT)[0]
    # A few clients are prolific referrers: Zipf-like weights over a random order.
    fame = np.zeros(hh.n)
    fame[clients] = 1.0 / (1 + rng.permutation(len(clients))) ** 0.8
    rows: Rows = []
    for h in range(hh.n):
        kind = hh.kind[h]
        if kind == CLIENT and hh.since[h] >= 6 and rng.random() < 0.4:
            month, outcome = int(hh.since[h]) - int(rng.integers(1, 5)), "client"
        elif kind == PROSPECT and rng.random() < 0.5:
            month = MONTHS - 1 - int(rng.integers(1, 24))
            outcome = "prospect" if rng.random() < 0.75 else "not_converted"
        else:
            continue
        weights = np.where((hh.since < month) & (hh.until > month), fame, 0.0)
        weights[h] = 0.0
        total = weights.sum()
        if cois and (total == 0 or rng.random() < 0.35):
            referrer = cois[int(rng.integers(len(cois)))]
        elif total > 0:
            referrer = people.primary[int(rng.choice(hh.n, p=weights / total))]
        else:
            continue
        rows.append(
            {
                "referrer_contact_id": referrer,
                "referred_household_id": h + 1,
                "date": grid.day(month, int(rng.integers(1, 29))),
                "outcome": outcome,
                "reason": content.referral_reasons[int(rng.integers(len(content.referral_reasons)))],
            }
        )
    rows.sort(key=lambda r: (r["date"], r["referred_household_id"]))
    for i, row in enumerate(rows, start=1):
        row["id"] = i
    return rows


def build_life_events(
    hh: Households, people: People, grid: Grid, content: Content, rng: np.random.Generator
) -> Rows:
    rows: Rows = []
    for h in range(hh.n):
        if hh.kind[h] == COI:
            continue
        start = max(int(hh.since[h]), 0) if hh.kind[h] == CLIENT else MONTHS - 24
        end = min(int(hh.until[h]), MONTHS - 1)
        age = people.age[h]
        events: list[tuple[int, str, int]] = []
        for m in sorted(rng.integers(start, end + 1, rng.poisson(0.18 * (end - start + 1) / 12)).tolist()):
            age_then = age - (MONTHS - 1 - m) / 12
            options = ["new_home", "move", "inheritance", "other"]
            if age_then < 60:
                options += ["job_change", "job_change", "birth"]
            if 58 <= age_then <= 70 and not any(k == "retirement" for _m, k, _c in events):
                options += ["retirement"] * 4
            if h in people.children:
                options += ["graduation", "marriage", "birth"]
            kind = options[int(rng.integers(len(options)))]
            who = (
                people.children[h][0]
                if kind in ("graduation", "marriage") and h in people.children
                else people.primary[h]
            )
            events.append((m, kind, who))
        if hh.reason[h] is not None and hh.reason[h] == content.death_reason:
            events.append((int(hh.until[h]), "death", people.primary[h]))
        for m, kind, who in events:
            day = grid.day(m, int(rng.integers(1, 29)))
            if hh.until[h] < NEVER and m == hh.until[h]:
                day = grid.day(m, int(hh.until_day[h]))
            rows.append(
                {
                    "household_id": h + 1,
                    "contact_id": who,
                    "kind": kind,
                    "date": day,
                    "notes": content.life_event_notes.get(kind) or None,
                    "source": "questionnaire" if rng.random() < 0.3 else "advisor",
                    "created_at": _at(day + timedelta(days=int(rng.integers(0, 20)))),
                }
            )
    rows.sort(key=lambda r: (r["date"], r["household_id"]))
    for i, row in enumerate(rows, start=1):
        row["id"] = i
        row["created_at"] = min(row["created_at"], _at(grid.as_of))
    return rows


def build_opportunities(
    hh: Households,
    accounts: Accounts,
    targets: np.ndarray,
    grid: Grid,
    content: Content,
    rng: np.random.Generator,
) -> Rows:
    rows: Rows = []
    as_of = grid.as_of
    probability = {"lead": 0.1, "contacted": 0.2, "meeting": 0.4, "proposal": 0.6, "won": 1.0, "lost": 0.0}
    held = {
        int(h): float(t)
        for h, t, m in zip(accounts.household, targets, accounts.managed, strict=True)
        if not m
    }
    for h in range(hh.n):
        kind = hh.kind[h]
        opportunity: tuple[str, str] | None = None
        if kind == PROSPECT:
            stage = str(
                rng.choice(
                    ["lead", "contacted", "meeting", "proposal", "lost"], p=[0.3, 0.25, 0.2, 0.15, 0.1]
                )
            )
            opportunity = ("new_household", stage)
        elif kind == CLIENT and hh.until[h] == NEVER:
            if hh.since[h] >= MONTHS - 36:
                opportunity = ("new_household", "won")
            elif h in held and rng.random() < 0.25:
                stage = str(
                    rng.choice(["lead", "meeting", "proposal", "won", "lost"], p=[0.3, 0.2, 0.2, 0.2, 0.1])
                )
                opportunity = (
                    str(
                        rng.choice(
                            ["rollover", "consolidation", "insurance", "planning"], p=[0.45, 0.35, 0.1, 0.1]
                        )
                    ),
                    stage,
                )
        if opportunity is None:
            continue
        opp_kind, stage = opportunity
        aum = held.get(h, 250_000.0) * (1.0 if opp_kind != "planning" else 0.0)
        closed = stage in ("won", "lost")
        if opp_kind == "new_household" and stage == "won":
            close = grid.day(int(hh.since[h]), int(hh.since_day[h]))
        elif closed:
            close = as_of - timedelta(days=int(rng.integers(20, 400)))
        else:
            close = as_of + timedelta(days=int(rng.integers(15, 200)))
        created = min(close, as_of) - timedelta(days=int(rng.integers(30, 240)))
        changed = close if closed else created + (min(close, as_of) - created) * float(rng.random())
        rows.append(
            {
                "household_id": h + 1,
                "kind": opp_kind,
                "stage": stage,
                "expected_aum_cents": round(aum) * 100 if aum else None,
                "expected_revenue_cents": round(aum * 0.01) * 100 if aum else 250_000,
                "probability": probability[stage],
                "expected_close": close,
                "source": content.opportunity_sources[int(rng.integers(len(content.opportunity_sources)))],
                "lost_reason": content.lost_reasons[int(rng.integers(len(content.lost_reasons)))]
                if stage == "lost"
                else None,
                "owner": None,
                "created_at": _at(created),
                "stage_changed_at": _at(changed),
            }
        )
    for i, row in enumerate(rows, start=1):
        row["id"] = i
    return rows


def build_notes(
    hh: Households, people: People, grid: Grid, content: Content, rng: np.random.Generator
) -> Rows:
    rows: Rows = []
    for h in range(hh.n):
        if hh.kind[h] == COI:
            continue
        for _ in range(int(rng.choice([0, 1, 2, 3], p=[0.35, 0.35, 0.2, 0.1]))):
            start = max(int(hh.since[h]), 0) if hh.kind[h] == CLIENT else MONTHS - 12
            month = int(rng.integers(start, min(int(hh.until[h]), MONTHS - 1) + 1))
            rows.append(
                {
                    "household_id": h + 1,
                    "contact_id": people.primary[h],
                    "body": content.notes[int(rng.integers(len(content.notes)))],
                    "created_at": _at(grid.day(month, int(rng.integers(1, 29)))),
                }
            )
    rows.sort(key=lambda r: (r["created_at"], r["household_id"]))
    for i, row in enumerate(rows, start=1):
        row["id"] = i
    return rows


def build_tags(hh: Households, people: People, content: Content, rng: np.random.Generator) -> Rows:
    rows: Rows = []
    for h in range(hh.n):
        tags = set()
        if hh.kind[h] == COI:
            tags.add(content.tags["coi"])
        else:
            if people.retired[h]:
                tags.add(content.tags["retiree"])
            if people.business[h]:
                tags.add(content.tags["business"])
            if rng.random() < 0.3:
                tags.add(content.tags["newsletter"])
        rows.extend({"household_id": h + 1, "tag": tag} for tag in sorted(tags))
    return rows
