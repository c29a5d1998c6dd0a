"""The command-line face: counts and rejections, dry run, merge on re-import, undo, transactions."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from sqlalchemy import func, select
from tests import factories

from actdesk.cli import main
from actdesk.services.importers.apply import apply_preview
from actdesk.services.importers.preview import ContactPreview
from actdesk.services.importers.records import ContactRecord
from actdesk.storage.tables.book import ContactRow, HouseholdRow

from .helpers import SAMPLES, dump

NOW = datetime(2026, 3, 1, 12, tzinfo=UTC)


def run(capsys, db: Path, *args: str) -> tuple[int, dict]:  # type: ignore[no-untyped-def,type-arg]
    code = main(["--db", str(db), *args])
    out = capsys.readouterr().out
    return code, (json.loads(out) if "--json" in args and code == 0 else {"text": out})


def test_import_contacts_prints_counts_rejections_and_batch(capsys, empty_book, db_path: Path) -> None:
    code, result = run(capsys, db_path, "import", "contacts", str(SAMPLES / "redtail_contacts.csv"), "--json")
    assert code == 0
    assert (result["added"], result["merged"], result["rejected"]) == (4, 0, 1)
    assert [(r["line"], r["reason"]) for r in result["rejected_rows"]] == [
        (5, "no name (first or last name is required)")
    ]
    assert [(w["line"], w["message"]) for w in result["warnings"]] == [
        (6, "birth date '13/45/1980' is not a date; the birth date was left out")
    ]
    assert isinstance(result["batch_id"], int)
    assert sorted(result["new_households"]) == ["Raman Household", "Whitcombe Family"]
    code, batches = run(capsys, db_path, "import", "batches", "--json")
    assert batches[0]["added"] == 4 and batches[0]["state"] == "applied"
    from actdesk.storage.open import open_book

    book = open_book(db_path)
    with book.reader() as s:
        # Redtail's Status=Client makes the Whitcombe family a client household; Family Head=Yes its primary.
        statuses = {n: st for n, st in s.execute(select(HouseholdRow.name, HouseholdRow.status))}
        roles = {n: r for n, r in s.execute(select(ContactRow.first_name, ContactRow.role))}
    book.dispose()
    assert statuses == {"Whitcombe Family": "client", "Raman Household": "prospect"}
    assert (roles["Harold"], roles["Margaret"], roles["Priya"]) == ("primary", "other", "primary")


def test_dry_run_writes_nothing(capsys, db_path: Path) -> None:
    run(
        capsys, db_path, "import", "contacts", str(SAMPLES / "outlook_contacts.csv"), "--json"
    )  # creates book
    from actdesk.storage.open import open_book

    book = open_book(db_path)
    before = dump(book)
    code, result = run(
        capsys, db_path, "import", "contacts", str(SAMPLES / "wealthbox_contacts.csv"), "--dry-run", "--json"
    )
    assert code == 0 and result["added"] == 3 and result["batch_id"] is None
    assert dump(book) == before
    book.dispose()


def test_reimport_merges_field_by_field_and_undo_restores_exactly(capsys, book, db_path: Path) -> None:
    with book.session() as s:
        hid = factories.household(s, "Voss household")
        factories.contact(s, hid, "Eleanor", "Voss", email="ELEANOR.VOSS@example.com", occupation="Lawyer")
        factories.contact(s, None, "Kwame", "Asante", phone="609.555.0111")
    before = dump(book)
    code, result = run(capsys, db_path, "import", "contacts", str(SAMPLES / "outlook_contacts.csv"), "--json")
    assert (result["added"], result["merged"]) == (0, 2)
    eleanor = next(m for m in result["merges"] if m["contact"] == "Eleanor Voss")
    assert eleanor["matched_by"] == "e-mail"
    changes = {c["field"]: (c["old"], c["new"], c["action"]) for c in eleanor["changes"]}
    assert changes["occupation"] == ("Lawyer", "Attorney", "keep")
    assert changes["city"] == (None, "Philadelphia", "fill")
    assert next(m for m in result["merges"] if m["contact"] == "Kwame Asante")["matched_by"] == "phone"
    with book.reader() as s:
        row = s.execute(select(ContactRow).where(ContactRow.first_name == "Eleanor")).scalar_one()
        assert (row.occupation, row.city, row.birth_date) == ("Lawyer", "Philadelphia", date(1964, 6, 9))
    code, undone = run(capsys, db_path, "import", "undo", str(result["batch_id"]), "--json")
    assert code == 0 and undone["restored"] == 2
    assert dump(book) == before
    code, _ = run(capsys, db_path, "import", "undo", str(result["batch_id"]))
    assert code == 2


def test_replace_policy_takes_the_files_values(capsys, book, db_path: Path) -> None:
    with book.session() as s:
        factories.contact(s, None, "Eleanor", "Voss", email="eleanor.voss@example.com", occupation="Lawyer")
    run(
        capsys,
        db_path,
        "import",
        "contacts",
        str(SAMPLES / "outlook_contacts.csv"),
        "--on-conflict",
        "replace",
    )
    with book.reader() as s:
        assert s.scalar(select(ContactRow.occupation).where(ContactRow.first_name == "Eleanor")) == "Attorney"


def test_undo_refuses_when_rows_changed_since(capsys, book, db_path: Path) -> None:
    code, result = run(capsys, db_path, "import", "contacts", str(SAMPLES / "vcard_4_0.vcf"), "--json")
    with book.session() as s:
        row = s.execute(select(ContactRow).where(ContactRow.first_name == "Ada")).scalar_one()
        row.city = "Dallas"
    code, _ = run(capsys, db_path, "import", "undo", str(result["batch_id"]))
    assert code == 2
    with book.reader() as s:
        assert s.scalar(select(func.count()).select_from(ContactRow)) == 2
    code, _ = run(capsys, db_path, "import", "undo", str(result["batch_id"]), "--force")
    assert code == 0
    with book.reader() as s:
        assert s.scalar(select(func.count()).select_from(ContactRow)) == 0


def test_missing_file_and_unknown_mapping_are_one_line_errors(capsys, empty_book, db_path: Path) -> None:
    assert main(["--db", str(db_path), "import", "contacts", "/nonexistent.csv"]) == 2
    assert "does not exist" in capsys.readouterr().err
    assert (
        main(["--db", str(db_path), "import", "contacts", str(SAMPLES / "windows1252.csv"), "--mapping", "x"])
        == 2
    )
    assert "no saved contact mapping" in capsys.readouterr().err


def test_saved_contact_mapping(capsys, empty_book, db_path: Path, tmp_path: Path) -> None:
    path = tmp_path / "odd.csv"
    path.write_text(
        "Prénom|Nom|Courriel\n".replace("|", ",") + "Anne,Roy,anne@example.fr\n", encoding="utf-8"
    )
    assert (
        main(
            [
                "import",
                "mapping",
                "save",
                "odd",
                "--kind",
                "contacts",
                "--column",
                "first_name=Prénom",
                "--column",
                "last_name=Nom",
                "--column",
                "email=Courriel",
            ]
        )
        == 0
    )
    assert "saved" in capsys.readouterr().out
    code, result = run(capsys, db_path, "import", "contacts", str(path), "--mapping", "odd", "--json")
    assert code == 0 and result["added"] == 1
    assert main(["import", "mapping", "save", "bad", "--kind", "contacts", "--column", "shoe_size=X"]) == 2


def test_a_failure_midway_leaves_the_book_as_it_was(book) -> None:
    with book.session() as s:
        factories.contact(s, None, "Existing", "Person", email="e@example.com")
    before = dump(book)
    adds = [ContactRecord(line=n + 2, first_name=f"P{n}", last_name="X") for n in range(7000)]
    adds.append(ContactRecord(line=9999, first_name=None, last_name="Broken"))  # type: ignore[arg-type]
    preview = ContactPreview(source="test", file_name="f.csv", adds=adds, new_households=["New household"])
    for record in adds[:10]:
        record.household = "New household"
    with pytest.raises(Exception, match="NOT NULL"), book.session() as s:
        apply_preview(s, preview, NOW)
    assert dump(book) == before
    with book.reader() as s:
        assert s.scalar(select(func.count()).select_from(HouseholdRow)) == 0


def test_cancel_between_chunks_rolls_back(book) -> None:
    class Cancelled(Exception):
        pass

    def progress(done: int, total: int) -> None:
        if done >= 5000:
            raise Cancelled()

    before = dump(book)
    adds = [ContactRecord(line=n, first_name=f"P{n}", last_name="X") for n in range(6000)]
    with pytest.raises(Cancelled), book.session() as s:
        apply_preview(s, ContactPreview(source="t", file_name=None, adds=adds), NOW, progress=progress)
    assert dump(book) == before


def test_reasons_are_translated(capsys, empty_book, db_path: Path) -> None:
    code = main(
        [
            "--lang",
            "es",
            "--db",
            str(db_path),
            "import",
            "contacts",
            str(SAMPLES / "redtail_contacts.csv"),
            "--dry-run",
        ]
    )
    out = capsys.readouterr().out
    assert code == 0
    assert "sin nombre (se necesita el nombre o los apellidos)" in out
    assert "fecha de nacimiento '13/45/1980' no es una fecha" in out
    assert "Simulación: no se escribió nada." in out
