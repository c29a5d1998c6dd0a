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

    _series_end_triggers()


# Rows written around the repository (book import, demo generator, bulk inserts) may carry an RRULE without
# series_end; the window query would then see only their first occurrence. These triggers mark such a series
# endless, which is always correct (expansion still honours COUNT and UNTIL), only less selective.
_SQLITE_TRIGGER = """
CREATE TRIGGER tr_activities_series_end_{event} AFTER {when} ON activities
WHEN NEW.rrule IS NOT NULL AND NEW.series_end IS NULL
BEGIN
    UPDATE activities SET series_end = '9999-12-31T00:00:00.000000+00:00' WHERE id = NEW.id;
END
"""


def _series_end_triggers() -> None:
    dialect = op.get_bind().dialect.name
    if dialect == "sqlite":
        op.execute(_SQLITE_TRIGGER.format(event="insert", when="INSERT"))
        op.execute(_SQLITE_TRIGGER.format(event="update", when="UPDATE OF rrule, series_end"))
    elif dialect == "postgresql":
        op.execute(
            """
            CREATE FUNCTION activities_series_end() RETURNS trigger AS $$
            BEGIN
                IF NEW.rrule IS NOT NULL AND NEW.series_end IS NULL THEN
                    NEW.series_end := '9999-12-31 00:00:00+00'::timestamptz;
                END IF;
                RETURN NEW;
            END $$ LANGUAGE plpgsql
            """
        )
        op.execute(
            "CREATE TRIGGER tr_activities_series_end BEFORE INSERT OR UPDATE ON activities "
            "FOR EACH ROW EXECUTE FUNCTION activities_series_end()"
        )


def downgrade() -> None:
    dialect = op.get_bind().dialect.name
    if dialect == "sqlite":
        op.execute("DROP TRIGGER IF EXISTS tr_activities_series_end_insert")
        op.execute("DROP TRIGGER IF EXISTS tr_activities_series_end_update")
    elif dialect == "postgresql":
        op.execute("DROP TRIGGER IF EXISTS tr_activities_series_end ON activities")
        op.execute("DROP FUNCTION IF EXISTS activities_series_end()")
    op.drop_table("activity_exceptions")
    with op.batch_alter_table("activities", schema=None) as batch_op:
        batch_op.drop_index("ix_activities_open")
        batch_op.drop_index("ix_activities_due_date")
        batch_op.drop_index("ix_activities_series_end")
        batch_op.drop_index("ix_activities_uid")
        batch_op.drop_column("series_end")
        batch_op.drop_column("all_day")
        batch_op.drop_column("uid")
