"""Schema of the alerts feature: alerts, evaluation runs, last retention probabilities.

Revision ID: 0002_alerts
Revises: 0001_book
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from actdesk.storage.tables.base import UTCDateTime

revision = "0002_alerts"
down_revision = "0001_book"
branch_labels = None
depends_on = None

ID = sa.BigInteger().with_variant(sa.Integer(), "sqlite")


def upgrade() -> None:
    op.create_table(
        "alerts",
        sa.Column("id", ID, autoincrement=True, nullable=False),
        sa.Column("household_id", ID, nullable=False),
        sa.Column("rule", sa.String(length=40), nullable=False),
        sa.Column("key", sa.String(length=80), nullable=False),
        sa.Column("severity", sa.String(length=10), nullable=False),
        sa.Column("state", sa.String(length=12), nullable=False),
        sa.Column("explanation", sa.Text(), nullable=False),
        sa.Column("magnitude", sa.Float(), nullable=False),
        sa.Column("reference", sa.Float(), nullable=True),
        sa.Column("acknowledged_magnitude", sa.Float(), nullable=True),
        sa.Column("acknowledged_severity", sa.String(length=10), nullable=True),
        sa.Column("snoozed_until", sa.Date(), nullable=True),
        sa.Column("dismissed_reason", sa.Text(), nullable=True),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.Column("updated_at", UTCDateTime(), nullable=False),
        sa.Column("last_seen_at", UTCDateTime(), nullable=False),
        sa.Column("resolved_at", UTCDateTime(), nullable=True),
        sa.ForeignKeyConstraint(
            ["household_id"],
            ["households.id"],
            name=op.f("fk_alerts_household_id_households"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_alerts")),
    )
    with op.batch_alter_table("alerts", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_alerts_household_id"), ["household_id"], unique=False)
        batch_op.create_index("ix_alerts_key_state", ["key", "state"], unique=False)
        batch_op.create_index("ix_alerts_state", ["state"], unique=False)

    op.create_table(
        "alert_evaluations",
        sa.Column("id", ID, autoincrement=True, nullable=False),
        sa.Column("as_of", sa.Date(), nullable=False),
        sa.Column("started_at", UTCDateTime(), nullable=False),
        sa.Column("finished_at", UTCDateTime(), nullable=False),
        sa.Column("households", sa.Integer(), nullable=False),
        sa.Column("findings", sa.Integer(), nullable=False),
        sa.Column("created", sa.Integer(), nullable=False),
        sa.Column("reopened", sa.Integer(), nullable=False),
        sa.Column("resolved", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_alert_evaluations")),
    )

    op.create_table(
        "alert_retention_snapshots",
        sa.Column("household_id", ID, nullable=False),
        sa.Column("probability", sa.Float(), nullable=False),
        sa.Column("as_of", sa.Date(), nullable=False),
        sa.Column("evaluated_at", UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["household_id"],
            ["households.id"],
            name=op.f("fk_alert_retention_snapshots_household_id_households"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("household_id", name=op.f("pk_alert_retention_snapshots")),
    )


def downgrade() -> None:
    op.drop_table("alert_retention_snapshots")
    op.drop_table("alert_evaluations")
    with op.batch_alter_table("alerts", schema=None) as batch_op:
        batch_op.drop_index("ix_alerts_state")
        batch_op.drop_index("ix_alerts_key_state")
        batch_op.drop_index(batch_op.f("ix_alerts_household_id"))
    op.drop_table("alerts")
