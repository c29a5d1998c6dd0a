"""Analytics: the balances date index also carries the account and the balance.

The dashboard's monthly AUM reads every balance of about thirty month-ends. Through an index on the date
alone each of those 750,000 rows (10,000 households) costs a lookup in the table; with the account and
balance in the index the read never leaves it (0.23 s instead of 0.42 s of CPU for a full table scan).

Revision ID: 0010_analytics_indexes
Revises: 0009_team
"""

from __future__ import annotations

from alembic import op

revision = "0010_analytics_indexes"
down_revision = "0009_team"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.drop_index("ix_balances_date", table_name="balances")
    op.create_index("ix_balances_date_account", "balances", ["date", "account_id", "balance_cents"])


def downgrade() -> None:
    op.drop_index("ix_balances_date_account", table_name="balances")
    op.create_index("ix_balances_date", "balances", ["date"])
