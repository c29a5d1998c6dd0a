"""Schema of the mail feature: templates, campaigns, the outbox and the sent-mail archive.

Revision ID: 0004_mail
Revises: 0003_schedule
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from actdesk.storage.tables.base import IdType, UTCDateTime

revision = "0004_mail"
down_revision = "0003_schedule"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "mail_templates",
        sa.Column("id", IdType, primary_key=True, autoincrement=True),
        sa.Column("name", sa.String(120), nullable=False),
        sa.Column("language", sa.String(8), nullable=False),
        sa.Column("subject", sa.String(300), nullable=False),
        sa.Column("body_text", sa.Text(), nullable=False),
        sa.Column("body_html", sa.Text(), nullable=True),
        sa.Column("marketing", sa.Boolean(), nullable=False),
        sa.Column("updated_at", UTCDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_mail_templates"),
        sa.UniqueConstraint("name", "language", name="uq_mail_templates_name_language"),
    )
    op.create_table(
        "mail_campaigns",
        sa.Column("id", IdType, autoincrement=True),
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("template_name", sa.String(200), nullable=False),
        sa.Column("audience", sa.Text(), nullable=False),
        sa.Column("marketing", sa.Boolean(), nullable=False),
        sa.Column("activity_id", IdType, nullable=True),
        sa.Column("scheduled_for", UTCDateTime(), nullable=False),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.Column("skipped_json", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_mail_campaigns"),
        sa.ForeignKeyConstraint(
            ["activity_id"],
            ["activities.id"],
            name="fk_mail_campaigns_activity_id_activities",
            ondelete="SET NULL",
        ),
    )
    op.create_table(
        "mail_messages",
        sa.Column("id", IdType, autoincrement=True),
        sa.Column("message_id", sa.String(250), nullable=False),
        sa.Column("state", sa.String(12), nullable=False),
        sa.Column("to_addr", sa.String(254), nullable=False),
        sa.Column("from_addr", sa.String(254), nullable=False),
        sa.Column("subject", sa.String(300), nullable=False),
        sa.Column("raw", sa.LargeBinary(), nullable=False),
        sa.Column("marketing", sa.Boolean(), nullable=False),
        sa.Column("template_name", sa.String(200), nullable=True),
        sa.Column("campaign_id", IdType, nullable=True),
        sa.Column("household_id", IdType, nullable=True),
        sa.Column("contact_id", IdType, nullable=True),
        sa.Column("activity_id", IdType, nullable=True),
        sa.Column("automation_key", sa.String(200), nullable=True),
        sa.Column("scheduled_for", UTCDateTime(), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("next_attempt_at", UTCDateTime(), nullable=True),
        sa.Column("sending_since", UTCDateTime(), nullable=True),
        sa.Column("last_attempt_at", UTCDateTime(), nullable=True),
        sa.Column("smtp_code", sa.Integer(), nullable=True),
        sa.Column("smtp_reply", sa.Text(), nullable=True),
        sa.Column("sent_at", UTCDateTime(), nullable=True),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_mail_messages"),
        sa.UniqueConstraint("message_id", name="uq_mail_messages_message_id"),
        sa.UniqueConstraint("automation_key", name="uq_mail_messages_automation_key"),
        sa.ForeignKeyConstraint(
            ["campaign_id"],
            ["mail_campaigns.id"],
            name="fk_mail_messages_campaign_id_mail_campaigns",
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["household_id"],
            ["households.id"],
            name="fk_mail_messages_household_id_households",
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["contact_id"], ["contacts.id"], name="fk_mail_messages_contact_id_contacts", ondelete="SET NULL"
        ),
        sa.ForeignKeyConstraint(
            ["activity_id"],
            ["activities.id"],
            name="fk_mail_messages_activity_id_activities",
            ondelete="SET NULL",
        ),
    )
    op.create_index("ix_mail_messages_campaign_id", "mail_messages", ["campaign_id"])
    op.create_index("ix_mail_messages_household_id", "mail_messages", ["household_id"])
    op.create_index("ix_mail_messages_contact_id", "mail_messages", ["contact_id"])
    op.create_index("ix_mail_messages_due", "mail_messages", ["state", "scheduled_for"])
    op.create_index("ix_mail_messages_last_attempt", "mail_messages", ["last_attempt_at"])
    op.create_table(
        "mail_archive",
        sa.Column("id", IdType, autoincrement=True),
        sa.Column("message_id", sa.String(250), nullable=False),
        sa.Column("household_id", IdType, nullable=True),
        sa.Column("contact_id", IdType, nullable=True),
        sa.Column("campaign_id", IdType, nullable=True),
        sa.Column("sender", sa.String(254), nullable=False),
        sa.Column("recipients", sa.Text(), nullable=False),
        sa.Column("subject", sa.String(300), nullable=False),
        sa.Column("sent_at", UTCDateTime(), nullable=False),
        sa.Column("smtp_reply", sa.Text(), nullable=True),
        sa.Column("raw", sa.LargeBinary(), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_mail_archive"),
        sa.ForeignKeyConstraint(
            ["household_id"],
            ["households.id"],
            name="fk_mail_archive_household_id_households",
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["contact_id"], ["contacts.id"], name="fk_mail_archive_contact_id_contacts", ondelete="SET NULL"
        ),
        sa.ForeignKeyConstraint(
            ["campaign_id"],
            ["mail_campaigns.id"],
            name="fk_mail_archive_campaign_id_mail_campaigns",
            ondelete="SET NULL",
        ),
    )
    op.create_index("ix_mail_archive_message_id", "mail_archive", ["message_id"])
    op.create_index("ix_mail_archive_household_id", "mail_archive", ["household_id"])
    op.create_index("ix_mail_archive_sent_at", "mail_archive", ["sent_at"])


def downgrade() -> None:
    op.drop_table("mail_archive")
    op.drop_table("mail_messages")
    op.drop_table("mail_campaigns")
    op.drop_table("mail_templates")
