"""Client periods: a household can leave and come back, and every stretch as a client is kept.

Existing books upgrade losslessly with one period each, copied from the household's client_since,
client_until and leaving_reason (households without client_since have none). The household's own columns
stay and mirror its latest period, so everything that reads them reads as before.

Revision ID: 0013_client_periods
Revises: 0012_mail_inbox
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from actdesk.storage.tables.base import IdType

revision = "0013_client_periods"
down_revision = "0012_mail_inbox"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "client_periods",
        sa.Column("id", IdType, autoincrement=True, nullable=False),
        sa.Column("household_id", IdType, nullable=False),
        sa.Column("start", sa.Date, nullable=False),
        sa.Column("end", sa.Date),
        sa.Column("leaving_reason", sa.Text),
        sa.ForeignKeyConstraint(["household_id"], ["households.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index(
        "ix_client_periods_household_start", "client_periods", ["household_id", "start"], unique=True
    )
    op.execute(
        'INSERT INTO client_periods (household_id, start, "end", leaving_reason) '
        "SELECT id, client_since, client_until, leaving_reason FROM households "
        "WHERE client_since IS NOT NULL"
    )


def downgrade() -> None:
    op.drop_index("ix_client_periods_household_start", table_name="client_periods")
    op.drop_table("client_periods")
