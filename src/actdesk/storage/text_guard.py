"""The book refuses text holding invisible control characters, from whichever form or command it came.

A ``before_flush`` listener on every book's session factory looks at the text attributes of each record
added or changed in the unit of work (only what the record already holds in memory: nothing is loaded for
the check) and refuses the whole unit with a ``ValidationError`` that quotes the start of the text and
names the character (``domain/text.py`` says which and why). The importers' bulk writes do not pass here:
they clean other programs' text as they read it (``without_invisible``)."""

from __future__ import annotations

from functools import cache
from typing import Any

from sqlalchemy import String, event, inspect
from sqlalchemy.orm import Mapper, Session, sessionmaker

from actdesk.domain.text import invisible_character, invisible_in_text
from actdesk.storage.errors import ValidationError


class InvisibleCharacterError(ValidationError):
    """Text with an invisible control character: refused, nothing of the unit of work written. Its message
    is the first problem's own sentence (the record's field names are not words the advisor knows)."""

    def __str__(self) -> str:
        return self.errors[0][1]


def install_text_guard(sessions: sessionmaker[Session]) -> None:
    """Attach the check to a book's session factory (idempotent)."""
    if not event.contains(sessions, "before_flush", _before_flush):
        event.listen(sessions, "before_flush", _before_flush)


def _before_flush(session: Session, _context: Any, _instances: Any) -> None:
    problems: list[tuple[str, str]] = []
    for record in (*session.new, *session.dirty):
        state = inspect(record)
        values = state.dict  # what the record holds in memory: nothing is loaded for the check
        for key in _text_keys(state.mapper):
            value = values.get(key)
            if value.__class__ is str and (found := invisible_character(value)) is not None:
                problems.append((key, invisible_in_text(value, found)))
    if problems:
        raise InvisibleCharacterError(problems)


@cache
def _text_keys(mapper: Mapper[Any]) -> tuple[str, ...]:
    """The attributes of a mapped class stored in text columns (once per class)."""
    return tuple(attr.key for attr in mapper.column_attrs if isinstance(attr.columns[0].type, String))
