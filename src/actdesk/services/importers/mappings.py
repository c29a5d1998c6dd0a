"""Saved mappings, by name: contact column mappings and custodian mappings, in settings section "imports".

Settings (not the book) because a mapping describes another program's files, which stay the same whichever
book is open. A mapping can also be written as a JSON file and saved from it (see docs/import-export.md).
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field, fields
from pathlib import Path
from typing import Any, ClassVar

from actdesk.i18n import _, user_message
from actdesk.services.importers.custodian import CustodianMapping
from actdesk.services.importers.errors import ImportFileError
from actdesk.services.importers.presets import UserMapping
from actdesk.settings import Settings

SECTION = "imports"


@dataclass
class ImportSettings:
    SECTION: ClassVar[str] = SECTION  # its section of the settings file

    contact_mappings: dict[str, dict[str, Any]] = field(default_factory=dict)
    custodian_mappings: dict[str, dict[str, Any]] = field(default_factory=dict)
    last_folder: str = ""


def _section(settings: Settings) -> ImportSettings:
    return settings.section(ImportSettings)


def custodian_mapping_from_dict(name: str, data: dict[str, Any]) -> CustodianMapping:
    known = {f.name for f in fields(CustodianMapping)}
    unknown = sorted(set(data) - known)
    if unknown:
        raise ImportFileError(
            _("mapping {name!r}: unknown keys {items}").format(name=name, items=", ".join(unknown))
        )
    try:
        mapping = CustodianMapping(**{**data, "name": name})
    except TypeError:
        raise ImportFileError(
            _(
                "mapping {name!r} has a value of the wrong kind; check it against docs/import-export.md"
            ).format(name=name)
        ) from None
    mapping.validate()
    return mapping


def contact_mapping_from_dict(name: str, data: dict[str, Any]) -> UserMapping:
    columns = data.get("columns", data)
    if not isinstance(columns, dict) or not all(isinstance(v, str) for v in columns.values()):
        raise ImportFileError(_("mapping {name!r}: give columns as {{field: header}}").format(name=name))
    columns = {k: v for k, v in columns.items() if k != "date_order"}
    mapping = UserMapping(name=name, columns=columns, date_order=str(data.get("date_order", "mdy")))
    mapping.to_preset()  # validates
    return mapping


def save_custodian_mapping(settings: Settings, mapping: CustodianMapping) -> None:
    mapping.validate()
    section = _section(settings)
    data = asdict(mapping)
    data.pop("name")
    section.custodian_mappings[mapping.name] = data
    settings.set_section(section)
    settings.save()


def save_contact_mapping(settings: Settings, mapping: UserMapping) -> None:
    mapping.to_preset()
    section = _section(settings)
    section.contact_mappings[mapping.name] = {
        "columns": dict(mapping.columns),
        "date_order": mapping.date_order,
    }
    settings.set_section(section)
    settings.save()


def custodian_mapping(settings: Settings, name: str) -> CustodianMapping:
    data = _section(settings).custodian_mappings.get(name)
    if data is None:
        raise ImportFileError(
            _(
                "no saved custodian mapping named {name!r}; save one with 'actdesk import mapping save'"
            ).format(name=name)
        )
    return custodian_mapping_from_dict(name, data)


def contact_mapping(settings: Settings, name: str) -> UserMapping:
    data = _section(settings).contact_mappings.get(name)
    if data is None:
        raise ImportFileError(_("no saved contact mapping named {name!r}").format(name=name))
    return contact_mapping_from_dict(name, data)


def list_mappings(settings: Settings) -> dict[str, dict[str, dict[str, Any]]]:
    section = _section(settings)
    return {"contacts": dict(section.contact_mappings), "custodian": dict(section.custodian_mappings)}


def delete_mapping(settings: Settings, name: str) -> bool:
    section = _section(settings)
    found = section.contact_mappings.pop(name, None) is not None
    found = section.custodian_mappings.pop(name, None) is not None or found
    if found:
        settings.raw[SECTION] = asdict(section)
        settings.save()
    return found


def load_mapping_file(path: Path) -> dict[str, Any]:
    try:
        data = json.loads(path.read_text(encoding="utf-8-sig"))
    except (OSError, ValueError) as exc:
        raise ImportFileError(
            _("cannot read mapping file {path}: {reason}").format(
                path=path, reason=user_message(exc) if isinstance(exc, OSError) else _("it is not valid JSON")
            )
        ) from None
    if not isinstance(data, dict):
        raise ImportFileError(_("mapping file {path} must hold a JSON object").format(path=path))
    return data
