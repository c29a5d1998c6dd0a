"""The importers' face for the command line and the window: whole jobs, each in its own unit of work.

``check(done, total)`` callbacks report progress and may raise to cancel (the window passes one that calls
``state.progress`` and ``state.check``); a cancel or failure during a write rolls the whole batch back.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from pathlib import Path

from actdesk.i18n import _
from actdesk.services.importers.apply import ImportResult, apply_preview
from actdesk.services.importers.contacts_csv import ParsedContacts, read_contacts_csv
from actdesk.services.importers.custodian import (
    CustodianMapping,
    CustodianPreview,
    apply_custodian_preview,
    read_custodian_file,
)
from actdesk.services.importers.errors import ImportFileError
from actdesk.services.importers.presets import UserMapping, preset_by_key
from actdesk.services.importers.preview import ContactPreview, build_preview
from actdesk.services.importers.records import KEEP
from actdesk.services.importers.vcard import looks_like_vcard, read_vcards
from actdesk.storage.engine import Book
from actdesk.storage.repositories import import_batches as batches
from actdesk.storage.repositories import imports as repo

Check = Callable[[int, int], None]


def parse_contacts_file(
    path: Path, preset: str = "auto", mapping: UserMapping | None = None, check: Check | None = None
) -> ParsedContacts:
    """Records and rejections of a contacts file (CSV or vCard); raises ImportFileError if unreadable."""
    if not path.is_file():
        raise ImportFileError(_("{path} does not exist or is not a file").format(path=path))
    if mapping is not None:
        return read_contacts_csv(path, mapping.to_preset(), check)
    if preset == "vcard" or (preset == "auto" and looks_like_vcard(path)):
        return read_vcards(path)
    return read_contacts_csv(path, None if preset == "auto" else preset_by_key(preset), check)


def preview_contacts(
    book: Book,
    path: Path,
    preset: str = "auto",
    mapping: UserMapping | None = None,
    on_conflict: str = KEEP,
    check: Check | None = None,
) -> ContactPreview:
    parsed = parse_contacts_file(path, preset, mapping, check)
    with book.reader() as s:
        return build_preview(s, parsed, path.name, on_conflict, check)


def import_contacts(
    book: Book, preview: ContactPreview, now: datetime, progress: Check | None = None
) -> ImportResult:
    kind = "vcard" if preview.source == "vcard" else "contacts"
    with book.session() as s:
        return apply_preview(s, preview, now, kind, progress)


def preview_balances(book: Book, path: Path, mapping: CustodianMapping) -> CustodianPreview:
    if not path.is_file():
        raise ImportFileError(_("{path} does not exist or is not a file").format(path=path))
    with book.reader() as s:
        return read_custodian_file(s, path, mapping)


def import_balances(book: Book, preview: CustodianPreview, now: datetime) -> int:
    with book.session() as s:
        return apply_custodian_preview(s, preview, now)


def undo_batch(book: Book, batch_id: int, now: datetime, force: bool = False) -> dict[str, int]:
    with book.session() as s:
        return batches.undo(s, batch_id, now, force)


def list_batches(book: Book) -> list[repo.BatchSummary]:
    with book.reader() as s:
        return repo.list_batches(s)
