"""The ORM tables, one module per feature.

Importing a table module registers its tables on ``Base.metadata``, and (through its own imports) the tables
its foreign keys name, so that what a command reads or writes is mapped and nothing else: a command that
touches the alerts maps 16 tables, not all 38 (about 0.07 s of every command's start). Whatever needs the
whole schema asks for it: ``metadata`` here (the migrations, copying or clearing a book, merging contacts),
or :func:`load_all` (the audit trail before it follows ``ON DELETE CASCADE``, the bulk loader by name).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from sqlalchemy import MetaData

from actdesk.storage.tables.base import Base

__all__ = ["CASCADE_PARENTS", "Base", "load_all", "metadata"]

# The tables some ``ON DELETE CASCADE`` foreign key names: a delete from one of them may take rows of other
# tables with it, so the audit trail registers every table before snapshotting those. A delete from any
# other table (the alerts' retention snapshots at each evaluation) takes nothing else and needs no other
# table. ``tests/storage/test_tables_lazy.py`` checks this list against the whole schema.
CASCADE_PARENTS = frozenset(
    {
        "accounts",
        "activities",
        "contacts",
        "engagement_events",
        "households",
        "import_batches",
        "life_events",
        "opportunities",
    }
)


def load_all() -> MetaData:
    """Register every table of the book on ``Base.metadata`` (idempotent) and return it."""
    from actdesk.storage.tables import (  # noqa: F401  (imported for their table definitions)
        alerts,
        audit,
        book,
        client_periods,
        engagement,
        imports,
        mail,
        mail_inbox,
        pipeline,
        schedule,
        series_cache,
        team,
    )

    return Base.metadata


if TYPE_CHECKING:
    metadata: MetaData  # provided by ``__getattr__``: the whole schema, registered on first use


def __getattr__(name: str) -> Any:
    if name == "metadata":  # ``from actdesk.storage.tables import metadata``: the whole schema
        return load_all()
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
