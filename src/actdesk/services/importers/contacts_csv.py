"""Contacts from a CSV export: a preset (or the user's mapping) turns each row into a record or a rejection."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from actdesk.i18n import _
from actdesk.services.importers.crm_values import role_value, status_value
from actdesk.services.importers.presets import Preset, check_forced, detect
from actdesk.services.importers.records import (
    ContactRecord,
    Rejection,
    RowError,
    excerpt,
    finish,
    lenient_date,
)
from actdesk.services.importers.sniff import CsvTable, read_csv

_LOST_LETTER = re.compile(r"\w\?|\?\w")

Check = Callable[[int, int], None]


@dataclass(slots=True)
class ParsedContacts:
    """What a file holds, before matching against the book."""

    records: list[ContactRecord]
    rejected: list[Rejection]
    source: str  # preset key, "vcard" or a mapping name
    encoding: str = ""
    delimiter: str = ""
    notes: tuple[str, ...] = ()  # things the user should know (ignored photos, ...)
    warnings: list[Rejection] = field(
        default_factory=list
    )  # kept people with a field left out; line 0: the file


def missing_headers(preset: Preset, headers: tuple[str, ...]) -> list[str]:
    """Headers the preset names that the file lacks, when it lacks every name column."""
    present = set(headers)
    wanted = [h for f in ("first_name", "last_name", "full_name") for h in preset.columns.get(f, ())]
    return [] if any(h in present for h in wanted) else wanted


def records_from_table(table: CsvTable, preset: Preset, check: Check | None = None) -> ParsedContacts:
    index = {h: i for i, h in enumerate(table.headers)}
    folded = {h.casefold(): i for i, h in enumerate(table.headers)}

    def col(header: str) -> int | None:
        return index.get(header, folded.get(header.casefold()))

    columns = {f: [c for c in (col(h) for h in hs) if c is not None] for f, hs in preset.columns.items()}

    def first_col(headers: str | tuple[str, ...]) -> int | None:
        return next(
            (c for h in ((headers,) if isinstance(headers, str) else headers) if (c := col(h)) is not None),
            None,
        )

    groups = [
        {part: c for part, h in group.items() if (c := first_col(h)) is not None}
        for group in preset.address_groups
    ]
    legacy = not table.encoding.startswith("utf")
    warnings: list[Rejection] = []
    records: list[ContactRecord] = []
    rejected: list[Rejection] = []
    total = len(table.rows)
    width = len(table.headers)
    field_columns = list(columns.items())
    group_columns = [list(group.items()) for group in groups]
    for n, (line, raw) in enumerate(table.rows):
        if check is not None and n % 2000 == 0:
            check(n, total)
        cells = raw if len(raw) >= width else (*raw, *([""] * (width - len(raw))))
        found: dict[str, str] = {}
        for name, indexes in field_columns:
            for i in indexes:
                value = cells[i]
                if value and not value.isspace():
                    found[name] = value.strip()
                    break
        try:
            record = ContactRecord(
                line=line,
                first_name=found.get("first_name", ""),
                last_name=found.get("last_name", ""),
                email=found.get("email"),
                phone=found.get("phone"),
                occupation=found.get("occupation"),
                household=found.get("household"),
                status=status_value(found.get("status")),
                role=role_value(found.get("role")),
            )
            record.birth_date = lenient_date(record, found.get("birth_date"), preset.date_order)
            for group in group_columns:
                parts = {part: cells[i].strip() for part, i in group}
                if any(parts.values()):
                    street = ", ".join(v for v in (parts.get("address"), parts.get("address2")) if v)
                    record.address = street or None
                    record.city = parts.get("city") or None
                    record.region = parts.get("region") or None
                    record.postal_code = parts.get("postal_code") or None
                    record.country = parts.get("country") or None
                    break
            records.append(finish(record, found.get("full_name")))
            if legacy and any(
                _LOST_LETTER.search(v or "")
                for v in (record.first_name, record.last_name, found.get("full_name"))
            ):
                record.warnings.append(
                    _(
                        "the name {name!r} has a '?' where a letter was: the file is {encoding}, which cannot hold "
                        "that letter; export the file again as UTF-8 (Outlook: CSV UTF-8) to keep it"
                    ).format(name=record.display_name, encoding=table.encoding)
                )
            warnings.extend(Rejection(line, w, record.display_name) for w in record.warnings)
        except RowError as exc:
            rejected.append(Rejection(line, str(exc), excerpt(raw)))
    return ParsedContacts(
        records=records,
        rejected=rejected,
        source=preset.key,
        encoding=table.encoding,
        delimiter=table.delimiter,
        warnings=[*(Rejection(0, w) for w in table.warnings), *warnings],
    )


def read_contacts_csv(path: Path, preset: Preset | None = None, check: Check | None = None) -> ParsedContacts:
    """Parse ``path`` with ``preset`` (detected from the headers when None)."""
    from actdesk.services.importers.errors import ImportFileError

    table = read_csv(path)
    if preset is not None:
        check_forced(preset, table.headers)
    chosen = preset or detect(table.headers)
    lacking = missing_headers(chosen, table.headers)
    if lacking:
        raise ImportFileError(
            _(
                "the file has none of the name columns {preset} uses ({columns}); choose another preset or a mapping"
            ).format(preset=chosen.key, columns=", ".join(lacking))
        )
    return records_from_table(table, chosen, check)
