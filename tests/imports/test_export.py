"""Contacts out in each preset's layout and as vCard, and back in unchanged."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
import vobject
from tests import factories

from actdesk.cli import main
from actdesk.services.importers.jobs import parse_contacts_file
from actdesk.services.importers.presets import PRESETS
from actdesk.services.importers.vcard import fold


@pytest.fixture
def people(book):
    with book.session() as s:
        hid = factories.household(s, "Núñez household")
        factories.contact(
            s,
            hid,
            "María José",
            "Núñez",
            email="mj@example.es",
            birth=date(1961, 12, 3),
            phone="+34 600 000 111",
            address="Calle Sol 3; 2º",
            city="Sevilla",
            postal_code="41001",
            occupation="Notaria, jubilada",
        )
        factories.contact(s, hid, "Pedro", "Núñez")
    return book


@pytest.mark.parametrize("preset", sorted(PRESETS))
def test_csv_export_reimports_with_the_same_preset(
    people, db_path: Path, tmp_path: Path, preset: str
) -> None:
    out = tmp_path / f"{preset}.csv"
    assert main(["--db", str(db_path), "export", "contacts", str(out), "--preset", preset]) == 0
    parsed = parse_contacts_file(out)
    assert parsed.source == preset
    maria = next(r for r in parsed.records if r.first_name == "María José")
    assert (maria.last_name, maria.email, maria.birth_date, maria.city) == (
        "Núñez",
        "mj@example.es",
        date(1961, 12, 3),
        "Sevilla",
    )
    assert maria.address == "Calle Sol 3; 2º"
    assert len(parsed.records) == 2 and not parsed.rejected


def test_vcard_export_is_read_by_vobject_and_by_us(people, db_path: Path, tmp_path: Path) -> None:
    out = tmp_path / "book.vcf"
    assert main(["--db", str(db_path), "export", "contacts", str(out), "--format", "vcard"]) == 0
    raw = out.read_bytes()
    assert b"\r\n" in raw and all(len(line) <= 75 for line in raw.split(b"\r\n"))
    cards = list(vobject.readComponents(raw.decode("utf-8")))
    assert [c.fn.value for c in cards] == ["María José Núñez", "Pedro Núñez"]
    assert cards[0].title.value == "Notaria, jubilada"
    assert cards[0].adr.value.street == "Calle Sol 3; 2º"
    maria = parse_contacts_file(out).records[0]
    assert (maria.occupation, maria.address, maria.birth_date) == (
        "Notaria, jubilada",
        "Calle Sol 3; 2º",
        date(1961, 12, 3),
    )


def test_folding_never_splits_a_character() -> None:
    line = "NOTE:" + "ñ" * 100
    folded = fold(line)
    assert all(len(part.encode()) <= 75 for part in folded.split("\r\n"))
    assert folded.replace("\r\n ", "") == line
