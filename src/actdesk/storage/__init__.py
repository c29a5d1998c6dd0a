"""Storage: engine and sessions, ORM tables, repositories returning domain dataclasses, migrations."""
