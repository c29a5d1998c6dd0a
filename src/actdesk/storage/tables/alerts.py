"""Tables owned by the alerts feature. Each feature keeps its tables here and its schema steps in its migration."""

from __future__ import annotations

from actdesk.storage.tables.base import Base

__all__ = ["Base"]
