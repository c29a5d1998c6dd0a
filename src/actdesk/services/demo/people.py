"""The people of the demo book: members with roles, names, ages, money, places and ways to reach them.

Faker supplies pools of names, streets and occupations once per book (a few hundred calls, seeded); the
members are then drawn from the pools with numpy, which keeps 25,000 contacts fast and deterministic.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta

import numpy as np
from faker import Faker

from actdesk.services.demo.content import Content
from actdesk.services.demo.households import COI, PROSPECT, Grid, Households

RISKS = ("conservative", "moderate", "growth", "aggressive")


@dataclass
class Pools:
    male: list[str]
    female: list[str]
    last: list[str]
    streets: list[str]
    jobs: list[str]

    @classmethod
    def build(cls, locale: str, seed: int) -> Pools:
        fake = Faker(locale)
        fake.seed_instance(seed)
        return cls(
            male=sorted({fake.first_name_male() for _ in range(400)}),
            female=sorted({fake.first_name_female() for _ in range(400)}),
            last=sorted({fake.last_name() for _ in range(900)}),
            streets=sorted({fake.street_name() for _ in range(300)}),
            jobs=sorted({fake.job() for _ in range(250)}),
        )


@dataclass
class People:
    """One entry per contact (parallel lists), plus each household's primary and spouse contact ids."""

    rows: list[dict[str, object]] = field(default_factory=list)
    primary: dict[int, int] = field(default_factory=dict)  # household index -> contact id
    spouse: dict[int, int] = field(default_factory=dict)
    children: dict[int, list[int]] = field(default_factory=dict)
    age: dict[int, int] = field(default_factory=dict)  # household index -> primary's age at as_of
    names: list[str] = field(default_factory=list)  # household names
    risk: dict[int, str] = field(default_factory=dict)
    retired: dict[int, bool] = field(default_factory=dict)
    business: dict[int, bool] = field(default_factory=dict)


def _ascii(text: str) -> str:
    plain = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return "".join(ch for ch in plain.lower() if ch.isalnum())


def _risk_for(age: int, rng: np.random.Generator) -> str:
    young = np.clip((70 - age) / 40, 0.0, 1.0)
    weights = np.array([0.15 + 0.35 * (1 - young), 0.40, 0.25 + 0.15 * young, 0.05 + 0.2 * young])
    return RISKS[int(rng.choice(4, p=weights / weights.sum()))]


def build_people(
    hh: Households,
    grid: Grid,
    net_worth: np.ndarray,
    content: Content,
    pools: Pools,
    rng: np.random.Generator,
    spanish: bool,
) -> People:
    people = People()
    as_of = grid.as_of
    members = rng.choice([1, 2, 3, 4], size=hh.n, p=[0.15, 0.35, 0.35, 0.15])
    contact_id = 0
    for h in range(hh.n):
        kind = hh.kind[h]
        age = int(np.clip(rng.normal(50 if kind == PROSPECT else 61, 11), 27, 92))
        people.age[h] = age
        male_first = rng.random() < 0.55
        home = rng.random() < (0.8 if age < 70 else 0.65)
        place = (content.home_places if home else content.away_places)[
            int(rng.integers(len(content.home_places if home else content.away_places)))
        ]
        postal = place.postal_prefix + f"{int(rng.integers(0, 100)):02d}"
        if content.country == "ES":
            address = f"{pools.streets[int(rng.integers(len(pools.streets)))]}, {int(rng.integers(1, 120))}"
        else:
            address = f"{int(rng.integers(100, 9900))} {pools.streets[int(rng.integers(len(pools.streets)))]}"
        surname = _surname(pools, rng, spanish)
        retired = age >= 66 and kind != COI
        risk = _risk_for(age, rng)
        people.risk[h], people.retired[h] = risk, retired
        people.business[h] = not retired and rng.random() < 0.12
        count = 1 if kind == COI else int(members[h])
        primary_first = _first(pools, rng, male_first)
        spouse_first = None
        nw = float(net_worth[h]) if np.isfinite(net_worth[h]) else None
        # Decided first, so that the primary holds all the net worth when there is no spouse to share it.
        has_spouse = count >= 2 and rng.random() < 0.93
        for k in range(count):
            contact_id += 1
            if k == 0:
                role, first, last, member_age = (
                    ("other" if kind == COI else "primary"),
                    primary_first,
                    surname,
                    age,
                )
                share = 0.7 if has_spouse else 1.0
            elif k == 1 and has_spouse:
                role, member_age = "spouse", int(np.clip(age + rng.integers(-6, 5), 25, 95))
                first = spouse_first = _first(pools, rng, not male_first)
                last = _surname(pools, rng, spanish) if spanish else surname
                share = 0.3
            else:
                role = "heir" if rng.random() < 0.2 else "child"
                member_age = int(np.clip(age - rng.integers(24, 36), 1, 70))
                first = _first(pools, rng, bool(rng.random() < 0.5))
                last = (surname.split(" ")[0] + " " + _surname(pools, rng, False)) if spanish else surname
                share = 0.0
            birth = date(as_of.year - member_age, 1, 1) + timedelta(days=int(rng.integers(0, 365)))
            adult = member_age >= 18
            email = None
            if adult and rng.random() < 0.9:
                digits = str(int(rng.integers(1, 99))) if rng.random() < 0.3 else ""
                domain = content.email_domains[int(rng.integers(len(content.email_domains)))]
                email = f"{_ascii(first)}.{_ascii(last.split(' ')[0])}{digits}@{domain}"
            phone = _phone(content, rng) if adult and rng.random() < 0.88 else None
            opt_out = email is not None and rng.random() < 0.05
            income = None
            if role in ("primary", "spouse", "other") and kind != COI:
                base = (nw or 500_000) * (0.04 if retired else 0.09) * (1.0 if role == "primary" else 0.5)
                income = round(float(np.clip(base * rng.lognormal(0, 0.35), 25_000, 3_000_000)) / 1000) * 1000
                if role == "spouse" and rng.random() < 0.35:
                    income = None
            occupation = None
            if kind == COI:
                occupation = content.coi_jobs[int(rng.integers(len(content.coi_jobs)))]
            elif adult and member_age >= 66:
                occupation = content.retired
            elif adult and member_age >= 22:
                occupation = pools.jobs[int(rng.integers(len(pools.jobs)))]
            created = _instant(grid, hh, h)
            people.rows.append(
                {
                    "id": contact_id,
                    "household_id": h + 1,
                    "role": role,
                    "first_name": first,
                    "last_name": last,
                    "email": email,
                    "phone": phone,
                    "birth_date": birth,
                    "income_cents": None if income is None else int(income) * 100,
                    "net_worth_cents": None if nw is None or share == 0 else round(nw * share) * 100,
                    "risk_tolerance": risk if role in ("primary", "spouse") else None,
                    "occupation": occupation,
                    "address": address,
                    "city": place.city,
                    "region": place.region,
                    "postal_code": postal,
                    "country": content.country,
                    "do_not_email": opt_out,
                    "email_opt_out_at": created + timedelta(days=int(rng.integers(30, 900)))
                    if opt_out
                    else None,
                    "created_at": created,
                    "updated_at": created,
                }
            )
            if k == 0:
                people.primary[h] = contact_id
            elif role == "spouse":
                people.spouse[h] = contact_id
            else:
                people.children.setdefault(h, []).append(contact_id)
        people.names.append(_household_name(kind, content, pools, rng, surname, primary_first, spouse_first))
    for row in people.rows:
        opt = row["email_opt_out_at"]
        if isinstance(opt, datetime) and opt > datetime(as_of.year, as_of.month, as_of.day, tzinfo=UTC):
            row["email_opt_out_at"] = row["created_at"]
    return people


def _instant(grid: Grid, hh: Households, h: int) -> datetime:
    """When the household entered the CRM: a few weeks before it became a client, or 1-2 years ago."""
    month = int(hh.since[h]) if hh.since[h] < 10**5 else len(grid.ends) - 1 - 12
    start = grid.day(max(month, -60), int(hh.since_day[h])) - timedelta(days=40)
    return datetime(start.year, start.month, start.day, 14, 0, tzinfo=UTC)


def _first(pools: Pools, rng: np.random.Generator, male: bool) -> str:
    names = pools.male if male else pools.female
    return names[int(rng.integers(len(names)))]


def _surname(pools: Pools, rng: np.random.Generator, spanish: bool) -> str:
    first = pools.last[int(rng.integers(len(pools.last)))]
    return f"{first} {pools.last[int(rng.integers(len(pools.last)))]}" if spanish else first


def _phone(content: Content, rng: np.random.Generator) -> str:
    if content.country == "ES":
        digits = f"{int(rng.integers(0, 10**8)):08d}"
        return f"+34 6{digits[:2]} {digits[2:5]} {digits[5:]}"
    area = content.area_codes[int(rng.integers(len(content.area_codes)))]
    return f"({area}) {int(rng.integers(201, 999))}-{int(rng.integers(0, 10000)):04d}"


def _household_name(
    kind: int,
    content: Content,
    pools: Pools,
    rng: np.random.Generator,
    surname: str,
    first: str,
    spouse: str | None,
) -> str:
    if kind == COI:
        suffix = content.coi_suffixes[int(rng.integers(len(content.coi_suffixes)))]
        return content.coi_firm.format(last=surname.split(" ")[0], suffix=suffix)
    if spouse:
        return content.household_name_couple.format(last=surname, first=first, spouse=spouse)
    return content.household_name_single.format(last=surname, first=first)
