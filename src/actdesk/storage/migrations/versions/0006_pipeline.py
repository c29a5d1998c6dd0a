"""Schema of the pipeline feature: opportunity stage history and acquisition spend per source.

Revision ID: 0006_pipeline
Revises: 0005_engagement
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from actdesk.storage.tables.base import UTCDateTime

revision = "0006_pipeline"
down_revision = "0005_engagement"
branch_labels = None
depends_on = None

ID = sa.BigInteger().with_variant(sa.Integer(), "sqlite")


def upgrade() -> None:
    op.create_table(
        "opportunity_stage_changes",
        sa.Column("id", ID, autoincrement=True, nullable=False),
        sa.Column("opportunity_id", ID, nullable=False),
        sa.Column("from_stage", sa.String(length=30), nullable=True),
        sa.Column("to_stage", sa.String(length=30), nullable=False),
        sa.Column("changed_at", UTCDateTime(), nullable=False),
        sa.Column("reason", sa.Text(), nullable=True),
        sa.ForeignKeyConstraint(
            ["opportunity_id"],
            ["opportunities.id"],
            name=op.f("fk_opportunity_stage_changes_opportunity_id_opportunities"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_opportunity_stage_changes")),
    )
    with op.batch_alter_table("opportunity_stage_changes", schema=None) as batch_op:
        batch_op.create_index("ix_stage_changes_opportunity", ["opportunity_id", "changed_at"], unique=False)

    op.create_table(
        "acquisition_spend",
        sa.Column("id", ID, autoincrement=True, nullable=False),
        sa.Column("source", sa.String(length=120), nullable=False),
        sa.Column("date", sa.Date(), nullable=False),
        sa.Column("amount_cents", sa.BigInteger(), nullable=False),
        sa.Column("hours", sa.Float(), nullable=False),
        sa.Column("note", sa.Text(), nullable=True),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_acquisition_spend")),
    )
    with op.batch_alter_table("acquisition_spend", schema=None) as batch_op:
        batch_op.create_index("ix_acquisition_spend_source_date", ["source", "date"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("acquisition_spend", schema=None) as batch_op:
        batch_op.drop_index("ix_acquisition_spend_source_date")
    op.drop_table("acquisition_spend")
    with op.batch_alter_table("opportunity_stage_changes", schema=None) as batch_op:
        batch_op.drop_index("ix_stage_changes_opportunity")
    op.drop_table("opportunity_stage_changes")
