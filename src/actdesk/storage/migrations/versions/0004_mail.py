"""Schema of the mail feature.

Revision ID: 0004_mail
Revises: 0003_schedule
"""

from __future__ import annotations

import sqlalchemy as sa  # noqa: F401
from alembic import op  # noqa: F401

revision = "0004_mail"
down_revision = "0003_schedule"
branch_labels = None
depends_on = None


def upgrade() -> None:
    pass


def downgrade() -> None:
    pass
