"""Schema of the schedule feature.

Revision ID: 0003_schedule
Revises: 0002_alerts
"""

from __future__ import annotations

import sqlalchemy as sa  # noqa: F401
from alembic import op  # noqa: F401

revision = "0003_schedule"
down_revision = "0002_alerts"
branch_labels = None
depends_on = None


def upgrade() -> None:
    pass


def downgrade() -> None:
    pass
