"""Change notices on a PostgreSQL book: every committed unit of work that wrote tells the other instances.

``pg_notify`` is transactional: the notice is queued inside the writer's transaction and delivered to
listeners only if, and when, it commits, so nobody refreshes to see a change that was rolled back. The
payload names this process (so an instance ignores its own notices) and the tables written. SQLite books
have no server to notify through; their windows refresh when they regain focus instead.
"""

from __future__ import annotations

import hashlib
import json
import os
import uuid
from typing import Any

from sqlalchemy import Connection, event, func, inspect, select
from sqlalchemy.orm import ORMExecuteState, Session, sessionmaker

_INSTANCE_KEY = "actdesk_instance"
_TABLES = "actdesk_notice_tables"
MAX_PAYLOAD = 7000  # PostgreSQL refuses payloads of 8000 bytes or more


def channel_name(conn: Connection) -> str:
    """One channel per book: the database and schema it lives in, hashed into a valid identifier."""
    database, schema = conn.execute(select(func.current_database(), func.current_schema())).one()
    digest = hashlib.blake2b(f"{database}/{schema}".encode(), digest_size=6).hexdigest()
    return f"actdesk_{digest}"


def instance_of(sessions: sessionmaker[Session]) -> str:
    """This open book's sender id (one per ``connect``), which its own listener ignores."""
    return str(sessions.kw.get("info", {}).get(_INSTANCE_KEY, ""))


def payload(sender: str, tables: set[str]) -> str:
    text = json.dumps({"from": sender, "tables": sorted(tables)}, separators=(",", ":"))
    if len(text) > MAX_PAYLOAD:  # a huge unit of work: just say "everything"
        text = json.dumps({"from": sender, "tables": ["*"]}, separators=(",", ":"))
    return text


def parse_payload(text: str) -> tuple[str, set[str]]:
    """(sender, tables) of a notice; an unreadable payload counts as "everything changed" from a stranger."""
    try:
        data: Any = json.loads(text)
        return str(data.get("from", "")), {str(t) for t in data.get("tables", ["*"])}
    except (ValueError, AttributeError):
        return "", {"*"}


def _mark(session: Session, tables: set[str]) -> None:
    session.info.setdefault(_TABLES, set()).update(tables)


def _after_flush(session: Session, _ctx: Any) -> None:
    changed = {inspect(o).mapper.local_table.name for o in (*session.new, *session.dirty, *session.deleted)}
    if changed:
        _mark(session, changed)


def _on_execute(state: ORMExecuteState) -> None:
    if state.is_insert or state.is_update or state.is_delete:
        table = getattr(state.statement, "table", None)
        _mark(state.session, {getattr(table, "name", "*")})


def _before_commit(session: Session) -> None:
    tables: set[str] = session.info.pop(_TABLES, set())
    if not tables:
        return
    conn = session.connection()
    channel = conn.info.get("actdesk_channel")
    if channel is None:
        channel = conn.info["actdesk_channel"] = channel_name(conn)
    sender = str(session.info.get(_INSTANCE_KEY, ""))
    conn.execute(select(func.pg_notify(channel, payload(sender, tables))))


def _after_rollback(session: Session) -> None:
    session.info.pop(_TABLES, None)


def install_notices(sessions: sessionmaker[Session]) -> None:
    """Send change notices from a PostgreSQL book's sessions (idempotent)."""
    if event.contains(sessions, "before_commit", _before_commit):
        return
    sessions.kw.setdefault("info", {})[_INSTANCE_KEY] = f"{os.getpid()}-{uuid.uuid4().hex[:8]}"
    event.listen(sessions, "after_flush", _after_flush)
    event.listen(sessions, "do_orm_execute", _on_execute)
    event.listen(sessions, "before_commit", _before_commit)
    event.listen(sessions, "after_soft_rollback", lambda s, _t: _after_rollback(s))
