"""Closed vocabularies of the book. Values are the strings used in storage and the open book format."""

from __future__ import annotations

from enum import StrEnum

from actdesk.i18n import N_, _


class HouseholdStatus(StrEnum):
    PROSPECT = "prospect"
    CLIENT = "client"
    FORMER_CLIENT = "former_client"


class ContactRole(StrEnum):
    PRIMARY = "primary"
    SPOUSE = "spouse"
    CHILD = "child"
    HEIR = "heir"
    OTHER = "other"


class RelationshipKind(StrEnum):
    SPOUSE = "spouse"
    PARENT = "parent"  # from_contact is the parent of to_contact
    REFERRED_BY = "referred_by"  # from_contact was referred by to_contact
    CENTER_OF_INFLUENCE = "center_of_influence"  # to_contact is a COI of from_contact


class AccountType(StrEnum):
    BROKERAGE = "brokerage"
    IRA = "ira"
    ROTH_IRA = "roth_ira"
    K401 = "401k"
    ANNUITY = "annuity"
    INSURANCE = "insurance"
    TRUST = "trust"
    COLLEGE_529 = "529"
    CHECKING = "checking"
    OTHER = "other"


class ActivityKind(StrEnum):
    CALL = "call"
    MEETING = "meeting"
    REVIEW = "review"
    TASK = "task"
    EMAIL = "email"
    EVENT = "event"


class LifeEventKind(StrEnum):
    BIRTH = "birth"
    MARRIAGE = "marriage"
    DIVORCE = "divorce"
    DEATH = "death"
    INHERITANCE = "inheritance"
    GRADUATION = "graduation"
    NEW_HOME = "new_home"
    MOVE = "move"
    JOB_CHANGE = "job_change"
    RETIREMENT = "retirement"
    OTHER = "other"


# The one list of life-event labels: the card, the alerts, the reports, the dialogs and the CLI use these.
LIFE_EVENT_LABELS: dict[LifeEventKind, str] = {
    LifeEventKind.BIRTH: N_("Birth"),
    LifeEventKind.MARRIAGE: N_("Marriage"),
    LifeEventKind.DIVORCE: N_("Divorce"),
    LifeEventKind.DEATH: N_("Death"),
    LifeEventKind.INHERITANCE: N_("Inheritance"),
    LifeEventKind.GRADUATION: N_("Graduation"),
    LifeEventKind.NEW_HOME: N_("New home"),
    LifeEventKind.MOVE: N_("Move"),
    LifeEventKind.JOB_CHANGE: N_("Job change"),
    LifeEventKind.RETIREMENT: N_("Retirement"),
    LifeEventKind.OTHER: N_("Other"),
}


# The one list of account-type labels: the card, the meeting view and the reports use these (the
# pipeline's longer sentence forms, "a brokerage account", live in domain/pipeline/similar.py).
ACCOUNT_TYPE_LABELS: dict[AccountType, str] = {
    AccountType.BROKERAGE: N_("Brokerage"),
    AccountType.IRA: N_("IRA"),
    AccountType.ROTH_IRA: N_("Roth IRA"),
    AccountType.K401: N_("401(k)"),
    AccountType.ANNUITY: N_("Annuity"),
    AccountType.INSURANCE: N_("Insurance"),
    AccountType.TRUST: N_("Trust"),
    AccountType.COLLEGE_529: N_("529 plan"),
    AccountType.CHECKING: N_("Checking"),
    AccountType.OTHER: N_("Other"),
}


def life_event_label(kind: str) -> str:
    """The translated label of a life-event kind ("Other" for other; an unknown code as stored)."""
    try:
        return _(LIFE_EVENT_LABELS[LifeEventKind(kind)])
    except ValueError:
        return kind


def life_event_title(kind: str) -> str:
    """The kind as the heading of an alert or a follow-up: its label, but "Life event" for other
    ("Other" alone says nothing at the top of an alert)."""
    return _("Life event") if kind == LifeEventKind.OTHER else life_event_label(kind)


class LifeEventSource(StrEnum):
    QUESTIONNAIRE = "questionnaire"
    ADVISOR = "advisor"
    IMPORT = "import"


class RiskTolerance(StrEnum):
    CONSERVATIVE = "conservative"
    MODERATE = "moderate"
    GROWTH = "growth"
    AGGRESSIVE = "aggressive"


class ReferralOutcome(StrEnum):
    PROSPECT = "prospect"
    CLIENT = "client"
    NOT_CONVERTED = "not_converted"


class OpportunityKind(StrEnum):
    NEW_HOUSEHOLD = "new_household"
    ROLLOVER = "rollover"
    CONSOLIDATION = "consolidation"
    INSURANCE = "insurance"
    PLANNING = "planning"


class OpportunityStage(StrEnum):
    LEAD = "lead"
    CONTACTED = "contacted"
    MEETING = "meeting"
    PROPOSAL = "proposal"
    WON = "won"
    LOST = "lost"


class FlowKind(StrEnum):
    DEPOSIT = "deposit"
    WITHDRAWAL = "withdrawal"
    TRANSFER_IN = "transfer_in"
    TRANSFER_OUT = "transfer_out"
    FEE = "fee"
    OTHER = "other"
