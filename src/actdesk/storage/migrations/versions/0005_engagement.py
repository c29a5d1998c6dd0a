"""Schema of the engagement feature.

Revision ID: 0005_engagement
Revises: 0004_mail
"""

from __future__ import annotations

import sqlalchemy as sa  # noqa: F401
from alembic import op  # noqa: F401

revision = "0005_engagement"
down_revision = "0004_mail"
branch_labels = None
depends_on = None


def upgrade() -> None:
    pass


def downgrade() -> None:
    pass
