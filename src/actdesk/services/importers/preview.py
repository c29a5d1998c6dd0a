"""What an import would do, computed before anything is written.

Each record is matched against the book by e-mail, then phone, then name plus birth date. A match becomes a
proposed merge shown field by field: empty fields in the book are filled; where both have a different value
the book's value is kept (or replaced, if the user chooses so). Rows repeating an earlier row of the same
file are rejected with the line they repeat. The book's match keys are read with one query into hash maps,
so a preview of 50,000 rows costs no per-row query.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from sqlalchemy.orm import Session

from actdesk.domain.enums import HouseholdStatus
from actdesk.i18n import N_, _
from actdesk.services.importers.contacts_csv import ParsedContacts
from actdesk.services.importers.records import (
    CONTACT_FIELDS,
    FILL,
    KEEP,
    REPLACE,
    SAME,
    ContactRecord,
    Rejection,
    email_key,
    name_key,
    phone_key,
)
from actdesk.storage.repositories import import_lookups

MATCH_EMAIL = N_("e-mail")
MATCH_PHONE = N_("phone")
MATCH_NAME_BIRTH = N_("name and birth date")


@dataclass(frozen=True, slots=True)
class FieldChange:
    field: str
    old: Any
    new: Any
    action: str  # fill (book empty), keep (book wins), replace (file wins), same


@dataclass(slots=True)
class MergeProposal:
    record: ContactRecord
    contact_id: int
    contact_name: str
    matched_by: str
    changes: list[FieldChange]

    @property
    def applied(self) -> dict[str, Any]:
        return {c.field: c.new for c in self.changes if c.action in (FILL, REPLACE)}


@dataclass(slots=True)
class ContactPreview:
    source: str
    file_name: str | None
    adds: list[ContactRecord] = field(default_factory=list)
    merges: list[MergeProposal] = field(default_factory=list)
    rejected: list[Rejection] = field(default_factory=list)
    new_households: list[str] = field(default_factory=list)
    household_ids: dict[str, int] = field(default_factory=dict)  # existing households by folded name
    notes: tuple[str, ...] = ()
    warnings: list[Rejection] = field(default_factory=list)  # people kept with a field left out; line 0: file
    encoding: str = ""
    delimiter: str = ""
    on_conflict: str = KEEP
    upgrades: list[int] = field(
        default_factory=list
    )  # existing prospect households the file says are clients

    @property
    def counts(self) -> dict[str, int]:
        return {"added": len(self.adds), "merged": len(self.merges), "rejected": len(self.rejected)}


@dataclass(slots=True)
class _Index:
    by_email: dict[str, int] = field(default_factory=dict)
    by_phone: dict[str, int] = field(default_factory=dict)
    by_name_birth: dict[tuple[str, date], int] = field(default_factory=dict)
    rows: dict[int, dict[str, Any]] = field(default_factory=dict)


def _book_index(s: Session) -> _Index:
    index = _Index()
    for values in import_lookups.contact_rows(s, CONTACT_FIELDS):
        cid = values["id"]
        index.rows[cid] = values
        if key := email_key(values["email"]):
            index.by_email.setdefault(key, cid)
        if key := phone_key(values["phone"]):
            index.by_phone.setdefault(key, cid)
        if values["birth_date"] is not None:
            nk = name_key(values["first_name"], values["last_name"])
            index.by_name_birth.setdefault((nk, values["birth_date"]), cid)
    return index


def _keys(record: ContactRecord) -> list[tuple[str, object]]:
    keys: list[tuple[str, object]] = []
    if key := email_key(record.email):
        keys.append((MATCH_EMAIL, key))
    if key := phone_key(record.phone):
        keys.append((MATCH_PHONE, key))
    if record.birth_date is not None:
        keys.append((MATCH_NAME_BIRTH, (name_key(record.first_name, record.last_name), record.birth_date)))
    return keys


def _changes(record: ContactRecord, existing: dict[str, Any], on_conflict: str) -> list[FieldChange]:
    changes = []
    for name in CONTACT_FIELDS:
        new, old = getattr(record, name), existing.get(name)
        if new in (None, ""):
            continue
        if old in (None, ""):
            changes.append(FieldChange(name, old, new, FILL))
        elif _same(name, old, new):
            changes.append(FieldChange(name, old, new, SAME))
        else:
            changes.append(FieldChange(name, old, new, REPLACE if on_conflict == REPLACE else KEEP))
    return changes


def _same(name: str, old: Any, new: Any) -> bool:
    if name == "email":
        return email_key(old) == email_key(new)
    if name == "phone":
        return phone_key(old) == phone_key(new) and phone_key(old) is not None
    if isinstance(old, str) and isinstance(new, str):
        return old.strip().casefold() == new.strip().casefold()
    return bool(old == new)


def build_preview(
    s: Session,
    parsed: ParsedContacts,
    file_name: str | None = None,
    on_conflict: str = KEEP,
    check: Callable[[int, int], None] | None = None,
) -> ContactPreview:
    if on_conflict not in (KEEP, REPLACE):
        raise ValueError(f"on_conflict must be {KEEP!r} or {REPLACE!r}")
    index = _book_index(s)
    preview = ContactPreview(
        source=parsed.source,
        file_name=file_name,
        rejected=list(parsed.rejected),
        notes=parsed.notes,
        warnings=list(parsed.warnings),
        encoding=parsed.encoding,
        delimiter=parsed.delimiter,
        on_conflict=on_conflict,
    )
    seen: dict[tuple[str, object], int] = {}  # key -> line of the earlier row in this file
    merged_into: dict[int, int] = {}  # contact id -> line that merges into it
    total = len(parsed.records)
    for n, record in enumerate(parsed.records):
        if check is not None and n % 2000 == 0:
            check(n, total)
        keys = _keys(record)
        earlier = next(((kind, seen[(kind, k)]) for kind, k in keys if (kind, k) in seen), None)
        if earlier is not None:
            preview.rejected.append(
                Rejection(
                    record.line,
                    _("same person as line {line} of this file (same {key})").format(
                        line=earlier[1], key=_(earlier[0])
                    ),
                    record.display_name,
                )
            )
            continue
        match = _match(index, keys)
        for kind, key in keys:
            seen.setdefault((kind, key), record.line)
        if match is None:
            preview.adds.append(record)
            continue
        cid, kind = match
        if cid in merged_into:
            preview.rejected.append(
                Rejection(
                    record.line,
                    _("same person as line {line} of this file (same {key})").format(
                        line=merged_into[cid], key=_(kind)
                    ),
                    record.display_name,
                )
            )
            continue
        merged_into[cid] = record.line
        existing = index.rows[cid]
        name = f"{existing['first_name']} {existing['last_name']}".strip()
        preview.merges.append(MergeProposal(record, cid, name, kind, _changes(record, existing, on_conflict)))
    _plan_households(s, preview)
    _plan_upgrades(s, preview)
    preview.rejected.sort(key=lambda r: r.line)
    return preview


def _match(index: _Index, keys: list[tuple[str, object]]) -> tuple[int, str] | None:
    tables: dict[str, dict[Any, int]] = {
        MATCH_EMAIL: index.by_email,
        MATCH_PHONE: index.by_phone,
        MATCH_NAME_BIRTH: index.by_name_birth,
    }
    for kind, key in keys:
        cid = tables[kind].get(key)
        if cid is not None:
            return cid, kind
    return None


def _plan_upgrades(s: Session, preview: ContactPreview) -> None:
    """Existing prospect households the file calls clients (a member added to them, or a member matched
    in them, with the status Client): the import makes them clients, so that a household is never a
    client in the CRM it came from and a prospect here."""
    client = HouseholdStatus.CLIENT.value
    named = {
        preview.household_ids[r.household.strip().casefold()]
        for r in preview.adds
        if r.status == client and r.household and r.household.strip().casefold() in preview.household_ids
    }
    matched = [m.contact_id for m in preview.merges if m.record.status == client]
    if matched:
        named |= import_lookups.households_of_contacts(s, matched)
    if named:
        preview.upgrades = sorted(
            hid
            for hid, _version in import_lookups.households_with_status(
                s, sorted(named), HouseholdStatus.PROSPECT.value
            )
        )


def _plan_households(s: Session, preview: ContactPreview) -> None:
    names = {r.household.strip() for r in preview.adds if r.household and r.household.strip()}
    if not names:
        return
    folded = {n.casefold() for n in names}
    existing = import_lookups.households_named(s, folded)
    preview.household_ids = {name.casefold(): hid for hid, name in existing}
    new: dict[str, str] = {}
    for name in sorted(names):
        if name.casefold() not in preview.household_ids:
            new.setdefault(name.casefold(), name)
    preview.new_households = list(new.values())
