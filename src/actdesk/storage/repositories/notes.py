"""Free-text notes on a household: written from the contact card, newest first."""

from __future__ import annotations

from sqlalchemy.orm import Session

from actdesk.domain.models import Note
from actdesk.i18n import _
from actdesk.storage.errors import NotFoundError, ValidationError
from actdesk.storage.repositories.mapping import note_from_row
from actdesk.storage.tables.book import HouseholdRow, NoteRow


def add_note(s: Session, note: Note) -> Note:
    if not note.body.strip():
        raise ValidationError({"body": "a note cannot be empty"})
    if s.get(HouseholdRow, note.household_id) is None:
        raise NotFoundError(
            _("household {household_id} no longer exists").format(household_id=note.household_id)
        )
    row = NoteRow(
        household_id=note.household_id,
        contact_id=note.contact_id,
        body=note.body.strip(),
        created_at=note.created_at,
    )
    s.add(row)
    s.flush()
    return note_from_row(row)


def delete_note(s: Session, note_id: int) -> None:
    row = s.get(NoteRow, note_id)
    if row is None:
        raise NotFoundError(_("note {note_id} no longer exists").format(note_id=note_id))
    s.delete(row)
    s.flush()
