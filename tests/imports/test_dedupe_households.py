"""Duplicates merged keeping all history; households only as confirmed suggestions; both undoable."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime
from pathlib import Path

from sqlalchemy import func, select
from tests import factories

from actdesk.cli import main
from actdesk.services.importers.dedupe import find_duplicates, merge_contacts
from actdesk.services.importers.households import (
    confirm_households,
    households_of_their_own,
    suggest_households,
)
from actdesk.storage.tables.book import (
    AccountRow,
    ActivityRow,
    ContactRow,
    HouseholdRow,
    LifeEventRow,
    NoteRow,
    ReferralRow,
    RelationshipRow,
)

from .helpers import SAMPLES, dump

NOW = datetime(2026, 3, 1, 12, tzinfo=UTC)


def test_merge_keeps_every_piece_of_history_and_undo_restores(book) -> None:
    with book.session() as s:
        h1 = factories.household(s, "Smith household")
        h2 = factories.household(s, "Ann Smith (old CRM)")
        keep = factories.contact(s, h1, "Ann", "Smith", email="ann@example.com")
        spouse = factories.contact(s, h1, "Bob", "Smith", role="spouse")
        drop = factories.contact(s, h2, "Ann", "Smith", email="ANN@example.com", occupation="Dentist")
        factories.account(s, h2, "ira")
        factories.activity(s, h2, contact_id=drop, subject="Annual review")
        factories.life_event(s, h2, "retirement", date(2025, 6, 1), contact_id=drop)
        s.add(NoteRow(household_id=h2, contact_id=drop, body="Prefers e-mail", created_at=NOW))
        factories.referral(s, drop, h1, date(2024, 1, 1))
        s.add(RelationshipRow(from_contact_id=drop, to_contact_id=spouse, kind="spouse"))
        s.add(RelationshipRow(from_contact_id=keep, to_contact_id=spouse, kind="spouse"))
        s.add(RelationshipRow(from_contact_id=drop, to_contact_id=keep, kind="referred_by"))
    before = dump(book)
    with book.reader() as s:
        pairs = find_duplicates(s)
    assert [(p.keep_id, p.drop_id, p.reason) for p in pairs] == [(keep, drop, "e-mail")]
    with book.session() as s:
        batch = merge_contacts(s, keep, drop, NOW)
    with book.reader() as s:
        assert s.get(ContactRow, drop) is None
        assert s.get(HouseholdRow, h2) is None  # it held only the duplicate: its history moved
        assert s.get(ContactRow, keep).occupation == "Dentist"
        assert s.scalar(select(AccountRow.household_id)) == h1
        assert s.scalar(select(ActivityRow.contact_id)) == keep
        assert s.scalar(select(ActivityRow.household_id)) == h1
        assert s.scalar(select(LifeEventRow.contact_id)) == keep
        assert s.scalar(select(NoteRow.contact_id)) == keep
        assert s.scalar(select(ReferralRow.referrer_contact_id)) == keep
        relationships = s.execute(
            select(RelationshipRow.from_contact_id, RelationshipRow.to_contact_id)
        ).all()
        assert relationships == [(keep, spouse)]  # the clash and the self-reference are gone
    with book.session() as s:
        from actdesk.storage.repositories.import_batches import undo

        undo(s, batch, NOW)
    assert dump(book) == before


def test_dedupe_cli_lists_and_merges(capsys, book, db_path: Path) -> None:
    with book.session() as s:
        a = factories.contact(s, None, "Li", "Wei", birth=date(1970, 1, 2))
        b = factories.contact(s, None, "li", "WEI", birth=date(1970, 1, 2), phone="555-0100-22")
    assert main(["--db", str(db_path), "dedupe", "--json"]) == 0
    pairs = json.loads(capsys.readouterr().out)
    assert [(p["keep_id"], p["drop_id"], p["reason"]) for p in pairs] == [(a, b, "name and birth date")]
    assert main(["--db", str(db_path), "dedupe", "merge", str(a), str(b), "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["batch_id"] >= 1
    with book.reader() as s:
        assert s.scalar(select(ContactRow.phone).where(ContactRow.id == a)) == "555-0100-22"
    assert main(["--db", str(db_path), "dedupe", "merge", str(a), str(a)]) == 2
    assert "itself" in capsys.readouterr().err


def test_households_are_suggested_only_and_confirmed_as_a_batch(capsys, book, db_path: Path) -> None:
    assert main(["--db", str(db_path), "import", "contacts", str(SAMPLES / "iphone_3_0.vcf")]) == 0
    with book.session() as s:
        factories.contact(s, None, "Sue", "Park", city="Leeds")
        factories.contact(s, None, "Jin", "Park", city="Leeds")
        factories.contact(s, None, "Al", "Park", city="York")
    with book.reader() as s:
        assert s.scalar(select(func.count()).select_from(HouseholdRow)) == 0  # nothing grouped yet
        suggestions = suggest_households(s)
    assert [(x.name, x.contact_names, x.reason) for x in suggestions] == [
        ("Appleby household", ("Nora Appleby", "Theo Appleby"), "same address"),
        ("Park household", ("Sue Park", "Jin Park"), "same surname and city"),
    ]
    before = dump(book)
    with book.session() as s:
        batch = confirm_households(s, [(suggestions[0].name, suggestions[0].contact_ids)], NOW)
    with book.reader() as s:
        roles = s.execute(
            select(ContactRow.first_name, ContactRow.role).where(ContactRow.household_id.is_not(None))
        )
        assert sorted(roles) == [("Nora", "primary"), ("Theo", "other")]
    capsys.readouterr()
    assert main(["--db", str(db_path), "import", "undo", str(batch)]) == 0
    assert dump(book) == before
    with book.session() as s:
        households_of_their_own(s, [c for x in suggestions for c in x.contact_ids], NOW)
        assert s.scalar(select(func.count()).select_from(HouseholdRow)) == 4


def test_households_cli_lists_then_applies_by_number(capsys, book, db_path: Path) -> None:
    assert main(["--db", str(db_path), "import", "contacts", str(SAMPLES / "iphone_3_0.vcf")]) == 0
    capsys.readouterr()
    assert main(["--db", str(db_path), "import", "households", "--json"]) == 0
    listed = json.loads(capsys.readouterr().out)
    assert [(x["number"], x["name"], x["reason"]) for x in listed["suggestions"]] == [
        (1, "Appleby household", "same address")
    ]
    assert listed["batch_id"] is None
    assert main(["--db", str(db_path), "import", "households", "--apply", "2"]) == 2  # no such suggestion
    assert main(["--db", str(db_path), "import", "households", "--apply", "1", "--json"]) == 0
    applied = json.loads(capsys.readouterr().out)
    assert applied["batch_id"] >= 1
    with book.reader() as s:
        assert s.scalars(select(HouseholdRow.name)).all() == ["Appleby household"]
