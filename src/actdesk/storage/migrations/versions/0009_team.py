"""Schema of the team feature: users and roles; optimistic versions on activities and opportunities;
import_batch_items.action widened for PostgreSQL.

Revision ID: 0009_team
Revises: 0008_audit
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from actdesk.storage.tables.base import UTCDateTime

revision = "0009_team"
down_revision = "0008_audit"
branch_labels = None
depends_on = None

ID = sa.BigInteger().with_variant(sa.Integer(), "sqlite")
VERSIONED = ("activities", "opportunities")


def upgrade() -> None:
    op.create_table(
        "users",
        sa.Column("id", ID, autoincrement=True, nullable=False),
        sa.Column("name", sa.String(length=100), nullable=False),
        sa.Column("display_name", sa.String(length=200), nullable=False),
        sa.Column("role", sa.String(length=20), nullable=False),
        sa.Column("active", sa.Boolean(), server_default="1", nullable=False),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_users")),
        sa.UniqueConstraint("name", name=op.f("uq_users_name")),
    )
    for table in VERSIONED:
        # Batch mode rebuilds the table on SQLite only; on PostgreSQL it is a plain ALTER TABLE.
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.add_column(sa.Column("version", sa.Integer(), server_default="1", nullable=False))
    # "insert_range" did not fit VARCHAR(10): SQLite never enforced the length, PostgreSQL refuses it.
    with op.batch_alter_table("import_batch_items", schema=None) as batch_op:
        batch_op.alter_column(
            "action", existing_type=sa.String(length=10), type_=sa.String(length=16), existing_nullable=False
        )


def downgrade() -> None:
    with op.batch_alter_table("import_batch_items", schema=None) as batch_op:
        batch_op.alter_column(
            "action", existing_type=sa.String(length=16), type_=sa.String(length=10), existing_nullable=False
        )
    for table in VERSIONED:
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.drop_column("version")
    op.drop_table("users")
