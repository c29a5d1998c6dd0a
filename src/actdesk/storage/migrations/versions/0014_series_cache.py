"""Analytics: a cache of computed series (the dashboard's monthly AUM, flows and fees), emptied by triggers
on any write to the tables they are computed from.

Revision ID: 0014_series_cache
Revises: 0013_client_periods
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from actdesk.storage.tables.base import UTCDateTime

revision = "0014_series_cache"
down_revision = "0013_client_periods"
branch_labels = None
depends_on = None

# The tables of storage/tables/series_cache.py's SOURCE_TABLES, written out: a migration must not change
# when the code does.
SOURCES = ("households", "contacts", "accounts", "balances", "flows", "fees", "client_periods")
EVENTS = ("insert", "update", "delete")

# The WHEN keeps a bulk insert (an import, the demo book) from running a DELETE per row on an empty cache.
_SQLITE = """
CREATE TRIGGER tr_series_cache_{table}_{event} AFTER {when} ON {table}
WHEN EXISTS (SELECT 1 FROM series_cache)
BEGIN
    DELETE FROM series_cache;
END
"""


def upgrade() -> None:
    op.create_table(
        "series_cache",
        sa.Column("key", sa.String(200), nullable=False),
        sa.Column("state", sa.String(64), nullable=False),
        sa.Column("computed_at", UTCDateTime, nullable=False),
        sa.Column("payload", sa.Text, nullable=False),
        sa.PrimaryKeyConstraint("key", name="pk_series_cache"),
    )
    dialect = op.get_bind().dialect.name
    if dialect == "sqlite":
        for table in SOURCES:
            for event in EVENTS:
                op.execute(_SQLITE.format(table=table, event=event, when=event.upper()))
    elif dialect == "postgresql":
        op.execute(
            """
            CREATE FUNCTION series_cache_clear() RETURNS trigger AS $$
            BEGIN
                DELETE FROM series_cache;
                RETURN NULL;
            END $$ LANGUAGE plpgsql
            """
        )
        for table in SOURCES:
            op.execute(
                f"CREATE TRIGGER tr_series_cache_{table} AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE "
                f"ON {table} FOR EACH STATEMENT EXECUTE FUNCTION series_cache_clear()"
            )


def downgrade() -> None:
    dialect = op.get_bind().dialect.name
    if dialect == "sqlite":
        for table in SOURCES:
            for event in EVENTS:
                op.execute(f"DROP TRIGGER IF EXISTS tr_series_cache_{table}_{event}")
    elif dialect == "postgresql":
        for table in SOURCES:
            op.execute(f"DROP TRIGGER IF EXISTS tr_series_cache_{table} ON {table}")
        op.execute("DROP FUNCTION IF EXISTS series_cache_clear()")
    op.drop_table("series_cache")
