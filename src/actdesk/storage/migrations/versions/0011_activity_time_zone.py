"""Schedule: each series keeps its own time zone.

An event from another zone, or anchored in UTC, repeats in that zone: expanding it in the advisor's wall time
moved occurrences by an hour across daylight-saving changes and made UTC exception dates miss. NULL keeps the
old meaning (the advisor's zone), so existing books read as before.

Revision ID: 0011_activity_time_zone
Revises: 0010_analytics_indexes
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0011_activity_time_zone"
down_revision = "0010_analytics_indexes"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("activities") as batch:
        batch.add_column(sa.Column("time_zone", sa.String(64), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("activities") as batch:
        batch.drop_column("time_zone")
