"""Schema of the engagement feature: questionnaire replies, life-event follow-ups, brochures, "bring a friend"
invitations and guests, referral requests.

Revision ID: 0005_engagement
Revises: 0004_mail
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from actdesk.storage.tables.base import IdType, UTCDateTime

revision = "0005_engagement"
down_revision = "0004_mail"
branch_labels = None
depends_on = None


def _fk(table: str, column: str, target: str, ondelete: str) -> sa.ForeignKeyConstraint:
    return sa.ForeignKeyConstraint(
        [column], [f"{target}.id"], name=f"fk_{table}_{column}_{target}", ondelete=ondelete
    )


def upgrade() -> None:
    op.create_table(
        "engagement_keys",
        sa.Column("name", sa.String(40), nullable=False),
        sa.Column("value", sa.String(128), nullable=False),
        sa.PrimaryKeyConstraint("name", name="pk_engagement_keys"),
    )
    op.create_table(
        "questionnaire_replies",
        sa.Column("id", IdType, autoincrement=True, nullable=False),
        sa.Column("fingerprint", sa.String(250), nullable=False),
        sa.Column("sender", sa.String(254), nullable=False),
        sa.Column("subject", sa.String(300), nullable=False),
        sa.Column("household_id", IdType, nullable=True),
        sa.Column("contact_id", IdType, nullable=True),
        sa.Column("status", sa.String(12), nullable=False),
        sa.Column("events_filed", sa.Integer(), nullable=False),
        sa.Column("report_json", sa.Text(), nullable=False),
        sa.Column("received_at", UTCDateTime(), nullable=True),
        sa.Column("read_at", UTCDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_questionnaire_replies"),
        sa.UniqueConstraint("fingerprint", name="uq_questionnaire_replies_fingerprint"),
        _fk("questionnaire_replies", "household_id", "households", "SET NULL"),
        _fk("questionnaire_replies", "contact_id", "contacts", "SET NULL"),
    )
    op.create_table(
        "brochures",
        sa.Column("id", IdType, autoincrement=True, nullable=False),
        sa.Column("file_name", sa.String(255), nullable=False),
        sa.Column("title", sa.String(200), nullable=False),
        sa.Column("language", sa.String(8), nullable=False),
        sa.Column("kinds", sa.String(250), nullable=False),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_brochures"),
        sa.UniqueConstraint("file_name", name="uq_brochures_file_name"),
    )
    op.create_table(
        "life_event_followups",
        sa.Column("life_event_id", IdType, nullable=False),
        sa.Column("activity_id", IdType, nullable=True),
        sa.Column("brochure_id", IdType, nullable=True),
        sa.Column("brochure_state", sa.String(12), nullable=False),
        sa.Column("mail_message_id", IdType, nullable=True),
        sa.Column("decided_at", UTCDateTime(), nullable=True),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("life_event_id", name="pk_life_event_followups"),
        _fk("life_event_followups", "life_event_id", "life_events", "CASCADE"),
        _fk("life_event_followups", "activity_id", "activities", "SET NULL"),
        _fk("life_event_followups", "brochure_id", "brochures", "SET NULL"),
        _fk("life_event_followups", "mail_message_id", "mail_messages", "SET NULL"),
    )
    op.create_table(
        "engagement_events",
        sa.Column("id", IdType, autoincrement=True, nullable=False),
        sa.Column("subject", sa.String(300), nullable=False),
        sa.Column("start", UTCDateTime(), nullable=False),
        sa.Column("duration_minutes", sa.Integer(), nullable=False),
        sa.Column("location", sa.String(300), nullable=True),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_engagement_events"),
    )
    op.create_table(
        "event_invitations",
        sa.Column("id", IdType, autoincrement=True, nullable=False),
        sa.Column("event_id", IdType, nullable=False),
        sa.Column("contact_id", IdType, nullable=False),
        sa.Column("activity_id", IdType, nullable=True),
        sa.Column("mail_message_id", IdType, nullable=True),
        sa.Column("rsvp", sa.String(8), nullable=False),
        sa.Column("attended", sa.Boolean(), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_event_invitations"),
        sa.UniqueConstraint("event_id", "contact_id", name="uq_event_invitations_event_id"),
        _fk("event_invitations", "event_id", "engagement_events", "CASCADE"),
        _fk("event_invitations", "contact_id", "contacts", "CASCADE"),
        _fk("event_invitations", "activity_id", "activities", "SET NULL"),
        _fk("event_invitations", "mail_message_id", "mail_messages", "SET NULL"),
    )
    op.create_index("ix_event_invitations_event_id", "event_invitations", ["event_id"])
    op.create_table(
        "event_guests",
        sa.Column("id", IdType, autoincrement=True, nullable=False),
        sa.Column("event_id", IdType, nullable=False),
        sa.Column("invited_by_contact_id", IdType, nullable=False),
        sa.Column("first_name", sa.String(100), nullable=False),
        sa.Column("last_name", sa.String(100), nullable=False),
        sa.Column("email", sa.String(254), nullable=True),
        sa.Column("rsvp", sa.String(8), nullable=False),
        sa.Column("attended", sa.Boolean(), nullable=False),
        sa.Column("household_id", IdType, nullable=True),
        sa.Column("referral_id", IdType, nullable=True),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_event_guests"),
        _fk("event_guests", "event_id", "engagement_events", "CASCADE"),
        _fk("event_guests", "invited_by_contact_id", "contacts", "CASCADE"),
        _fk("event_guests", "household_id", "households", "SET NULL"),
        _fk("event_guests", "referral_id", "referrals", "SET NULL"),
    )
    op.create_index("ix_event_guests_event_id", "event_guests", ["event_id"])
    op.create_table(
        "referral_requests",
        sa.Column("id", IdType, autoincrement=True, nullable=False),
        sa.Column("household_id", IdType, nullable=False),
        sa.Column("contact_id", IdType, nullable=True),
        sa.Column("mail_message_id", IdType, nullable=True),
        sa.Column("score", sa.Float(), nullable=False),
        sa.Column("reasons", sa.Text(), nullable=False),
        sa.Column("requested_at", UTCDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_referral_requests"),
        _fk("referral_requests", "household_id", "households", "CASCADE"),
        _fk("referral_requests", "contact_id", "contacts", "SET NULL"),
        _fk("referral_requests", "mail_message_id", "mail_messages", "SET NULL"),
    )
    op.create_index("ix_referral_requests_household_id", "referral_requests", ["household_id"])


def downgrade() -> None:
    op.drop_index("ix_referral_requests_household_id", table_name="referral_requests")
    op.drop_table("referral_requests")
    op.drop_index("ix_event_guests_event_id", table_name="event_guests")
    op.drop_table("event_guests")
    op.drop_index("ix_event_invitations_event_id", table_name="event_invitations")
    op.drop_table("event_invitations")
    op.drop_table("engagement_events")
    op.drop_table("life_event_followups")
    op.drop_table("brochures")
    op.drop_table("questionnaire_replies")
    op.drop_table("engagement_keys")
