"""Closed vocabularies of the book. Values are the strings used in storage and the open book format."""

from __future__ import annotations

from enum import StrEnum


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
