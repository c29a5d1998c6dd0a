"""Schema of the imports feature.

Revision ID: 0007_imports
Revises: 0006_pipeline
"""

from __future__ import annotations

import sqlalchemy as sa  # noqa: F401
from alembic import op  # noqa: F401

revision = "0007_imports"
down_revision = "0006_pipeline"
branch_labels = None
depends_on = None


def upgrade() -> None:
    pass


def downgrade() -> None:
    pass
