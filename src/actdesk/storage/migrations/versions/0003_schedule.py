"""Schema of the schedule feature: activity columns for calendars and the exceptions of recurring series.

Revision ID: 0003_schedule
Revises: 0002_alerts
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from actdesk.storage.tables.base import UTCDateTime

revision = "0003_schedule"
down_revision = "0002_alerts"
branch_labels = None
depends_on = None

ID = sa.BigInteger().with_variant(sa.Integer(), "sqlite")


def upgrade() -> None:
    with op.batch_alter_table("activities", schema=None) as batch_op:
        batch_op.add_column(sa.Column("uid", sa.String(length=255), nullable=True))
        batch_op.add_column(sa.Column("all_day", sa.Boolean(), server_default="0", nullable=False))
        batch_op.add_column(sa.Column("series_end", UTCDateTime(), nullable=True))
        batch_op.create_index("ix_activities_uid", ["uid"], unique=False)
        batch_op.create_index("ix_activities_series_end", ["series_end"], unique=False)
        batch_op.create_index("ix_activities_due_date", ["due_date"], unique=False)
        batch_op.create_index("ix_activities_open", ["completed_at", "series_end", "start"], unique=False)

    op.create_table(
        "activity_exceptions",
        sa.Column("id", ID, autoincrement=True, nullable=False),
        sa.Column("activity_id", ID, nullable=False),
        sa.Column("original_start", UTCDateTime(), nullable=False),
        sa.Column("action", sa.String(length=10), nullable=False),
        sa.Column("new_start", UTCDateTime(), nullable=True),
        sa.Column("duration_minutes", sa.Integer(), nullable=True),
        sa.Column("subject", sa.String(length=300), nullable=True),
        sa.Column("location", sa.String(length=300), nullable=True),
        sa.Column("notes", sa.Text(), nullable=True),
        sa.Column("outcome", sa.Text(), nullable=True),
        sa.Column("completed_at", UTCDateTime(), nullable=True),
        sa.ForeignKeyConstraint(
            ["activity_id"],
            ["activities.id"],
            name=op.f("fk_activity_exceptions_activity_id_activities"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_activity_exceptions")),
        sa.UniqueConstraint("activity_id", "original_start", name="uq_activity_exceptions_occurrence"),
    )
    with op.batch_alter_table("activity_exceptions", schema=None) as batch_op:
        batch_op.create_index("ix_activity_exceptions_new_start", ["new_start"], unique=False)
        batch_op.create_index("ix_activity_exceptions_completed", ["completed_at"], unique=False)


def downgrade() -> None:
    op.drop_table("activity_exceptions")
    with op.batch_alter_table("activities", schema=None) as batch_op:
        batch_op.drop_index("ix_activities_open")
        batch_op.drop_index("ix_activities_due_date")
        batch_op.drop_index("ix_activities_series_end")
        batch_op.drop_index("ix_activities_uid")
        batch_op.drop_column("series_end")
        batch_op.drop_column("all_day")
        batch_op.drop_column("uid")
