"""Schema of the audit feature.

Revision ID: 0008_audit
Revises: 0007_imports
"""

from __future__ import annotations

import sqlalchemy as sa  # noqa: F401
from alembic import op  # noqa: F401

revision = "0008_audit"
down_revision = "0007_imports"
branch_labels = None
depends_on = None


def upgrade() -> None:
    pass


def downgrade() -> None:
    pass
