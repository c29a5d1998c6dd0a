"""Schema of the pipeline feature.

Revision ID: 0006_pipeline
Revises: 0005_engagement
"""

from __future__ import annotations

import sqlalchemy as sa  # noqa: F401
from alembic import op  # noqa: F401

revision = "0006_pipeline"
down_revision = "0005_engagement"
branch_labels = None
depends_on = None


def upgrade() -> None:
    pass


def downgrade() -> None:
    pass
