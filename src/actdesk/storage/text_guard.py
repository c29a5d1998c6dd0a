"""The book refuses text holding invisible control characters, from whichever form or command it came.

A ``before_flush`` listener on every book's session factory looks at the text attributes of each record
added or changed in the unit of work (only what the record already holds in memory: nothing is loaded for
the check) and refuses the whole unit with a ``ValidationError`` that quotes the start of the text and
names the character (``domain/text.py`` says which and why). Other programs' line breaks (Word's
vertical tab in what it copies, a PDF's form feed) are not refused: they become a line feed in a
multi-line column and a space in a one-line one, before the audit trail records the change. The
importers' bulk writes do not pass here: they clean other programs' text as they read it
(``without_invisible``)."""

from __future__ import annotations

from functools import cache
from typing import Any

from sqlalchemy import String, Text, event, inspect
from sqlalchemy.orm import Mapper, Session, sessionmaker

from actdesk.domain.text import LINE_BREAKS, invisible_character, invisible_in_text, with_plain_breaks
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
        for key, multiline in _text_keys(state.mapper):
            value = values.get(key)
            if value.__class__ is not str:
                continue
            if LINE_BREAKS.search(value):  # pasted from Word or a PDF: a line break, as it was meant
                value = with_plain_breaks(value, multiline=multiline)
                setattr(record, key, value)
            if (found := invisible_character(value)) is not None:
                problems.append((key, invisible_in_text(value, found)))
    if problems:
        raise InvisibleCharacterError(problems)


@cache
def _text_keys(mapper: Mapper[Any]) -> tuple[tuple[str, bool], ...]:
    """(attribute, multi-line) for the attributes of a mapped class stored in text columns, once per class:
    a ``Text`` column holds lines (notes), a ``String`` one a single line (names, subjects)."""
    return tuple(
        (attr.key, isinstance(attr.columns[0].type, Text))
        for attr in mapper.column_attrs
        if isinstance(attr.columns[0].type, String)
    )
