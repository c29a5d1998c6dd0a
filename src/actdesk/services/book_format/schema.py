"""The open book format: which file holds which table, and every column's type, rules and database column.

This table is the single source of truth for the exporter, the importer and docs/book-format.md, so the three
cannot drift apart. Files are listed parents first, which is also the order of insertion on import.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from actdesk.domain.enums import (
    AccountType,
    ActivityKind,
    ContactRole,
    FlowKind,
    HouseholdStatus,
    LifeEventKind,
    LifeEventSource,
    OpportunityKind,
    OpportunityStage,
    ReferralOutcome,
    RelationshipKind,
    RiskTolerance,
)
from actdesk.domain.schedule.occurrences import OVERRIDE, SKIP


class Kind(StrEnum):
    ID = "id"  # positive integer
    INT = "int"  # whole number >= 0
    TEXT = "text"
    DATE = "date"  # YYYY-MM-DD
    DATETIME = "datetime"  # ISO-8601 instant
    MONEY = "money"  # decimal with a dot, at most two decimals; stored as cents
    BOOL = "bool"  # true / false
    FLOAT = "float"  # decimal number (probability 0-1)
    ENUM = "enum"
    TAGS = "tags"  # tags separated by ";"


@dataclass(frozen=True)
class Column:
    name: str
    kind: Kind
    required: bool = False
    db: str | None = None  # database column when it differs from the CSV name
    choices: tuple[str, ...] = ()
    references: str | None = None  # file whose id this column refers to
    default: object = None  # value stored when the cell is empty (non-null database columns)
    example: str = ""

    @property
    def db_column(self) -> str:
        return self.db or self.name


@dataclass(frozen=True)
class FileSpec:
    name: str  # file name without ".csv"
    table: str
    columns: tuple[Column, ...]
    key: tuple[str, ...] = ("id",)  # CSV columns that must be unique together
    description: str = ""

    @property
    def filename(self) -> str:
        return f"{self.name}.csv"

    def column(self, name: str) -> Column:
        for col in self.columns:
            if col.name == name:
                return col
        raise KeyError(name)

    @property
    def has_id(self) -> bool:
        return any(c.name == "id" for c in self.columns)


def _values(enum: type[StrEnum]) -> tuple[str, ...]:
    return tuple(member.value for member in enum)


def _id(required: bool = True) -> Column:
    return Column("id", Kind.ID, required=required, example="17")


def _created(name: str = "created_at") -> Column:
    return Column(name, Kind.DATETIME, example="2024-03-01T14:30:00+00:00")


FILES: tuple[FileSpec, ...] = (
    FileSpec(
        "households",
        "households",
        (
            _id(),
            Column("name", Kind.TEXT, required=True, example="Smith, John & Mary"),
            Column("status", Kind.ENUM, required=True, choices=_values(HouseholdStatus), example="client"),
            Column("client_since", Kind.DATE, example="2016-04-01"),
            Column("client_until", Kind.DATE, example="2023-09-30"),
            Column("leaving_reason", Kind.TEXT, example="Moved assets to a robo-advisor"),
            Column("owner", Kind.TEXT, example="jdoe"),
            Column("tags", Kind.TAGS, example="retiree;newsletter"),
            _created(),
            _created("updated_at"),
        ),
        description="One row per household, the unit of a client relationship.",
    ),
    FileSpec(
        "client_periods",
        "client_periods",
        (
            Column("household_id", Kind.ID, required=True, references="households", example="17"),
            Column("start", Kind.DATE, required=True, example="2016-04-01"),
            Column("end", Kind.DATE, example="2021-06-30"),
            Column("leaving_reason", Kind.TEXT, example="Moved to a bank's wealth desk"),
        ),
        key=("household_id", "start"),
        description="Every stretch of a household being a client, so that one that left and came back keeps "
        "both. The household's client_since / client_until / leaving_reason are its latest period and win "
        "over this file; earlier periods must end on or before that client_since. Optional: a book without "
        "it (or a household without rows in it) has one period per household, from households.csv.",
    ),
    FileSpec(
        "contacts",
        "contacts",
        (
            _id(),
            Column("household_id", Kind.ID, references="households", example="17"),
            Column("role", Kind.ENUM, required=True, choices=_values(ContactRole), example="primary"),
            Column("first_name", Kind.TEXT, required=True, example="Mary"),
            Column("last_name", Kind.TEXT, required=True, example="Smith"),
            Column("email", Kind.TEXT, example="mary.smith@example.com"),
            Column("phone", Kind.TEXT, example="(614) 555-0142"),
            Column("birth_date", Kind.DATE, example="1961-07-14"),
            Column("income", Kind.MONEY, db="income_cents", example="185000.00"),
            Column("net_worth", Kind.MONEY, db="net_worth_cents", example="2450000.00"),
            Column("risk_tolerance", Kind.ENUM, choices=_values(RiskTolerance), example="moderate"),
            Column("city", Kind.TEXT, example="Columbus"),
            Column("region", Kind.TEXT, example="OH"),
            Column("country", Kind.TEXT, example="US"),
            Column("do_not_email", Kind.BOOL, default=False, example="false"),
            Column("occupation", Kind.TEXT, example="Dentist"),
            Column("address", Kind.TEXT, example="1200 Oak Street"),
            Column("postal_code", Kind.TEXT, example="43215"),
            Column("email_opt_out_at", Kind.DATETIME, example="2025-02-11T09:12:00+00:00"),
            _created(),
            _created("updated_at"),
        ),
        description="People: members of households and centers of influence (role other).",
    ),
    FileSpec(
        "contact_relationships",
        "contact_relationships",
        (
            _id(required=False),
            Column("from_contact_id", Kind.ID, required=True, references="contacts", example="41"),
            Column("to_contact_id", Kind.ID, required=True, references="contacts", example="42"),
            Column("kind", Kind.ENUM, required=True, choices=_values(RelationshipKind), example="spouse"),
        ),
        key=("from_contact_id", "to_contact_id", "kind"),
        description="Links between people: spouse, parent (from is the parent of to), referred_by (from was "
        "referred by to), center_of_influence (to is a center of influence of from).",
    ),
    FileSpec(
        "accounts",
        "accounts",
        (
            _id(),
            Column("household_id", Kind.ID, required=True, references="households", example="17"),
            Column("custodian", Kind.TEXT, required=True, example="Schwab"),
            Column("type", Kind.ENUM, required=True, choices=_values(AccountType), example="ira"),
            Column("managed", Kind.BOOL, default=True, example="true"),
            Column("account_number", Kind.TEXT, example="XXXX-4821"),
            Column("name", Kind.TEXT, example="Mary's rollover IRA"),
        ),
        description="Financial accounts; managed = billed and counted in AUM, false = held away.",
    ),
    FileSpec(
        "balances",
        "balances",
        (
            Column("account_id", Kind.ID, required=True, references="accounts", example="230"),
            Column("date", Kind.DATE, required=True, example="2025-12-31"),
            Column("balance", Kind.MONEY, required=True, db="balance_cents", example="412355.18"),
        ),
        key=("account_id", "date"),
        description="Month-end market value of an account.",
    ),
    FileSpec(
        "flows",
        "flows",
        (
            _id(required=False),
            Column("account_id", Kind.ID, required=True, references="accounts", example="230"),
            Column("date", Kind.DATE, required=True, example="2025-06-14"),
            Column("amount", Kind.MONEY, required=True, db="amount_cents", example="-2500.00"),
            Column("kind", Kind.ENUM, choices=_values(FlowKind), example="withdrawal"),
        ),
        description="Cash flows: deposits positive, withdrawals and transfers out negative.",
    ),
    FileSpec(
        "fees",
        "fees",
        (
            _id(required=False),
            Column("household_id", Kind.ID, required=True, references="households", example="17"),
            Column("date", Kind.DATE, required=True, example="2025-12-31"),
            Column("amount", Kind.MONEY, required=True, db="amount_cents", example="3125.40"),
            Column("recurring", Kind.BOOL, default=True, example="true"),
        ),
        description="Fee revenue: recurring (AUM fees) or one-off (planning fees).",
    ),
    FileSpec(
        "activities",
        "activities",
        (
            _id(),
            Column("household_id", Kind.ID, required=True, references="households", example="17"),
            Column("contact_id", Kind.ID, references="contacts", example="41"),
            Column("kind", Kind.ENUM, required=True, choices=_values(ActivityKind), example="review"),
            Column("subject", Kind.TEXT, required=True, example="Semi-annual review"),
            Column("start", Kind.DATETIME, example="2026-01-05T15:00:00+00:00"),
            Column("completed_at", Kind.DATETIME, example="2026-01-05T16:10:00+00:00"),
            Column("duration_minutes", Kind.INT, example="60"),
            Column("due_date", Kind.DATE, example="2026-01-09"),
            Column("location", Kind.TEXT, example="Office"),
            Column("notes", Kind.TEXT, example="Bring the RMD worksheet"),
            Column("outcome", Kind.TEXT, example="Agreed to consolidate the old 401(k)"),
            Column("owner", Kind.TEXT, example="jdoe"),
            Column("rrule", Kind.TEXT, example="FREQ=MONTHLY;INTERVAL=6"),
            _created(),
            Column("uid", Kind.TEXT, example="7f9c2a10-4b1e-4d7a-9d5e-2f1c0b8e6a31@actdesk"),
            Column("all_day", Kind.BOOL, default=False, example="false"),
            Column("series_end", Kind.DATETIME, example="2027-01-05T16:00:00+00:00"),
            Column("time_zone", Kind.TEXT, example="Europe/Madrid"),
        ),
        description="Calls, meetings, reviews, tasks, e-mails and events; completed_at empty = still open. "
        "uid is the iCalendar UID (kept across .ics export and import); series_end is the end of a recurring "
        "series' last occurrence (empty = treated as endless); time_zone is the IANA zone a series repeats in "
        "(empty = the advisor's zone); rrule may carry a second line of extra dates (RDATE:...Z,...).",
    ),
    FileSpec(
        "activity_exceptions",
        "activity_exceptions",
        (
            _id(required=False),
            Column("activity_id", Kind.ID, required=True, references="activities", example="17"),
            Column("original_start", Kind.DATETIME, required=True, example="2026-07-06T15:00:00+00:00"),
            Column("action", Kind.ENUM, required=True, choices=(SKIP, OVERRIDE), example="override"),
            Column("new_start", Kind.DATETIME, example="2026-07-08T14:00:00+00:00"),
            Column("duration_minutes", Kind.INT, example="45"),
            Column("subject", Kind.TEXT, example="Semi-annual review (moved)"),
            Column("location", Kind.TEXT, example="Client's home"),
            Column("notes", Kind.TEXT, example="Bring the trust documents"),
            Column("outcome", Kind.TEXT, example="Rebalanced to 60/40"),
            Column("completed_at", Kind.DATETIME, example="2026-07-08T15:10:00+00:00"),
        ),
        key=("activity_id", "original_start"),
        description="Exceptions to recurring activities, keyed by the occurrence's original start (its "
        "RECURRENCE-ID): `skip` cancels that occurrence; `override` moves it (new_start) or changes, completes "
        "it on its own. Empty cells keep the series' value.",
    ),
    FileSpec(
        "life_events",
        "life_events",
        (
            _id(),
            Column("household_id", Kind.ID, required=True, references="households", example="17"),
            Column("contact_id", Kind.ID, references="contacts", example="41"),
            Column("kind", Kind.ENUM, required=True, choices=_values(LifeEventKind), example="retirement"),
            Column("date", Kind.DATE, required=True, example="2024-06-30"),
            Column("notes", Kind.TEXT, example="Retired from the hospital"),
            Column(
                "source", Kind.ENUM, choices=_values(LifeEventSource), default="advisor", example="advisor"
            ),
            _created(),
        ),
        description="Births, marriages, retirements, inheritances and other life events.",
    ),
    FileSpec(
        "referrals",
        "referrals",
        (
            _id(required=False),
            Column("referrer_contact_id", Kind.ID, required=True, references="contacts", example="41"),
            Column("referred_household_id", Kind.ID, required=True, references="households", example="88"),
            Column("date", Kind.DATE, required=True, example="2022-03-15"),
            Column("outcome", Kind.ENUM, choices=_values(ReferralOutcome), example="client"),
            Column("reason", Kind.TEXT, example="Brother-in-law retiring next year"),
        ),
        description="Who referred which household, and what came of it.",
    ),
    FileSpec(
        "opportunities",
        "opportunities",
        (
            _id(required=False),
            Column("household_id", Kind.ID, required=True, references="households", example="17"),
            Column("kind", Kind.ENUM, required=True, choices=_values(OpportunityKind), example="rollover"),
            Column("stage", Kind.ENUM, required=True, choices=_values(OpportunityStage), example="proposal"),
            Column("expected_aum", Kind.MONEY, db="expected_aum_cents", example="350000.00"),
            Column("expected_revenue", Kind.MONEY, db="expected_revenue_cents", example="3500.00"),
            Column("probability", Kind.FLOAT, example="0.6"),
            Column("expected_close", Kind.DATE, example="2026-03-31"),
            Column("source", Kind.TEXT, example="Referral"),
            Column("lost_reason", Kind.TEXT, example="Chose a bank trust department"),
            Column("owner", Kind.TEXT, example="jdoe"),
            _created(),
            _created("stage_changed_at"),
        ),
        description="Pipeline: new households, rollovers, consolidations, insurance and planning work.",
    ),
    FileSpec(
        "notes",
        "notes",
        (
            _id(required=False),
            Column("household_id", Kind.ID, required=True, references="households", example="17"),
            Column("contact_id", Kind.ID, references="contacts", example="41"),
            Column("body", Kind.TEXT, required=True, example="Prefers morning meetings."),
            _created(),
        ),
        description="Free-text notes on a household.",
    ),
)

BY_NAME: dict[str, FileSpec] = {spec.name: spec for spec in FILES}
REQUIRED_FILES = ("households",)
TAG_SEPARATOR = ";"
