"""Schema of the alerts feature.

Revision ID: 0002_alerts
Revises: 0001_book
"""

from __future__ import annotations

import sqlalchemy as sa  # noqa: F401
from alembic import op  # noqa: F401

revision = "0002_alerts"
down_revision = "0001_book"
branch_labels = None
depends_on = None


def upgrade() -> None:
    pass


def downgrade() -> None:
    pass
