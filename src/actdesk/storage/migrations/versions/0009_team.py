"""Schema of the team feature.

Revision ID: 0009_team
Revises: 0008_audit
"""

from __future__ import annotations

import sqlalchemy as sa  # noqa: F401
from alembic import op  # noqa: F401

revision = "0009_team"
down_revision = "0008_audit"
branch_labels = None
depends_on = None


def upgrade() -> None:
    pass


def downgrade() -> None:
    pass
