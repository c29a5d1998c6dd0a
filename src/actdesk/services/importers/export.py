"""Contacts out: CSV in each preset's layout (so the file re-imports into that program) and vCard 3.0.

The whole book (households, accounts, history) leaves in the open book format instead
(``actdesk book export``, issue 2); these exports are for address books and other CRMs.
Files are written to a temporary name and moved into place, so a failed export never leaves half a file.
"""

from __future__ import annotations

import csv
import io
from datetime import date
from pathlib import Path
from typing import Any

from sqlalchemy.orm import Session

from actdesk.paths import atomic_write
from actdesk.services.cell_guard import guard_row
from actdesk.services.importers.errors import ImportFileError
from actdesk.services.importers.presets import Preset, preset_by_key
from actdesk.services.importers.records import CONTACT_FIELDS
from actdesk.services.importers.vcard import write_vcards
from actdesk.storage.repositories.import_lookups import contacts_with_household


def book_contacts(s: Session) -> list[dict[str, Any]]:
    return contacts_with_household(s, CONTACT_FIELDS)


def _format_date(value: date | None, order: str) -> str:
    if value is None:
        return ""
    if order == "ymd":
        return value.isoformat()
    if order == "dmy":
        return f"{value.day:02d}/{value.month:02d}/{value.year}"
    return f"{value.month}/{value.day}/{value.year}"


def csv_text(contacts: list[dict[str, Any]], preset: Preset, guard: bool = True) -> str:
    out = io.StringIO(newline="")
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow([header for header, _field in preset.export_layout])
    for values in contacts:
        full = f"{values.get('first_name') or ''} {values.get('last_name') or ''}".strip()
        row = []
        for _header, source in preset.export_layout:
            if source == "=full_name":
                row.append(full)
            elif source.startswith("="):
                row.append(source[1:])
            elif source == "birth_date":
                row.append(_format_date(values.get("birth_date"), preset.date_order))
            elif source:
                row.append("" if values.get(source) is None else str(values[source]))
            else:
                row.append("")
        writer.writerow(guard_row(list(row), guard))  # formula-like names get a leading quote (cell_guard)
    return out.getvalue()


def _write_atomic(path: Path, text: str, encoding: str) -> None:
    path = path.expanduser()
    if not path.parent.is_dir():
        raise ImportFileError(f"folder {path.parent} does not exist")
    atomic_write(path, text, encoding=encoding, newline="")


def export_contacts(
    s: Session, path: Path, fmt: str = "csv", preset_key: str = "google", *, guard: bool = True
) -> int:
    """Write every contact of the book to ``path``; returns how many. CSV is UTF-8 with a BOM (Excel)."""
    contacts = book_contacts(s)
    if fmt == "vcard":
        text = write_vcards((f"actdesk-contact-{c['id']}", c) for c in contacts)
        _write_atomic(path, text, "utf-8")
    elif fmt == "csv":
        _write_atomic(path, csv_text(contacts, preset_by_key(preset_key), guard), "utf-8-sig")
    else:
        raise ImportFileError(f"unknown export format {fmt!r}; use csv or vcard")
    return len(contacts)
