"""Mail: replies taken from the mailbox by the IMAP watcher (UIDVALIDITY/UID) and its sync position.

Revision ID: 0012_mail_inbox
Revises: 0011_activity_time_zone
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from actdesk.storage.tables.base import IdType, UTCDateTime

revision = "0012_mail_inbox"
down_revision = "0011_activity_time_zone"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "mail_inbox",
        sa.Column("id", IdType, autoincrement=True, nullable=False),
        sa.Column("account", sa.String(254), nullable=False),
        sa.Column("folder", sa.String(200), nullable=False),
        sa.Column("uidvalidity", sa.BigInteger, nullable=False),
        sa.Column("uid", sa.BigInteger, nullable=False),
        sa.Column("message_id", sa.String(250)),
        sa.Column("sender", sa.String(254), nullable=False),
        sa.Column("subject", sa.String(300), nullable=False),
        sa.Column("kind", sa.String(16), nullable=False),
        sa.Column("state", sa.String(12), nullable=False),
        sa.Column("outcome", sa.String(20), nullable=False),
        sa.Column("household_id", IdType, nullable=True),
        sa.Column("events_filed", sa.Integer, nullable=False),
        sa.Column("problem", sa.Text),
        sa.Column("claimed_at", UTCDateTime, nullable=False),
        sa.Column("filed_at", UTCDateTime),
        sa.Column("marked_at", UTCDateTime),
        sa.Column("seen_at", UTCDateTime),
        sa.ForeignKeyConstraint(
            ["household_id"],
            ["households.id"],
            name="fk_mail_inbox_household_id_households",
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name="pk_mail_inbox"),
        sa.UniqueConstraint("account", "folder", "uidvalidity", "uid", name="uq_mail_inbox_uid"),
    )
    op.create_index("ix_mail_inbox_household_id", "mail_inbox", ["household_id"])
    op.create_table(
        "mail_inbox_sync",
        sa.Column("account", sa.String(254), nullable=False),
        sa.Column("folder", sa.String(200), nullable=False),
        sa.Column("uidvalidity", sa.BigInteger, nullable=False),
        sa.Column("last_uid", sa.BigInteger, nullable=False),
        sa.Column("last_sync_at", UTCDateTime),
        sa.Column("last_error", sa.Text),
        sa.Column("last_error_at", UTCDateTime),
        sa.PrimaryKeyConstraint("account", "folder", name="pk_mail_inbox_sync"),
    )


def downgrade() -> None:
    op.drop_table("mail_inbox_sync")
    op.drop_index("ix_mail_inbox_household_id", table_name="mail_inbox")
    op.drop_table("mail_inbox")
