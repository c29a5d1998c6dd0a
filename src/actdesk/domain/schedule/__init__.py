"""The activity schedule's rules: recurrence (RFC 5545 via dateutil), occurrence exceptions, service levels.

Pure code: no Qt, no SQLAlchemy, every function takes its ``now``/``as_of`` and time zone explicitly.
"""
