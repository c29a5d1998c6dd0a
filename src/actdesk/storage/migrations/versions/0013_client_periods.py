"""Client periods: a household can leave and come back, and every stretch as a client is kept.

Existing books upgrade losslessly with one period each, copied from the household's client_since,
client_until and leaving_reason (households without client_since have none). A household whose status is
client but has no client_since gets the date it entered the book (its created_at) first. The household's own columns
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
    # A client without a client_since (the contacts import made some before it set one) was a client in
    # the lists and not in the KPIs: it is a client from the day it entered the book, as a new import does.
    op.execute(
        "UPDATE households SET client_since = DATE(created_at) "
        "WHERE status = 'client' AND client_since IS NULL AND created_at IS NOT NULL"
    )
    op.execute(
        'INSERT INTO client_periods (household_id, start, "end", leaving_reason) '
        "SELECT id, client_since, client_until, leaving_reason FROM households "
        "WHERE client_since IS NOT NULL"
    )


def downgrade() -> None:
    op.drop_index("ix_client_periods_household_start", table_name="client_periods")
    op.drop_table("client_periods")
