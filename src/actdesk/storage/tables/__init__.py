"""All ORM tables. Importing this package registers every table on ``Base.metadata``."""

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
from actdesk.storage.tables.base import Base

metadata = Base.metadata
__all__ = ["Base", "metadata"]
