"""The household list query (AUM, primary contact, search), the card's detail and versioned edits."""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal

import pytest
from tests import factories as f

from actdesk.domain.enums import ContactRole, HouseholdStatus
from actdesk.domain.models import Contact, Household, Note
from actdesk.storage.errors import ConflictError, NotFoundError, ValidationError
from actdesk.storage.repositories import households as repo
from actdesk.storage.repositories import notes as notes_repo
from actdesk.storage.tables.book import ContactRow


@pytest.fixture
def smith(book):
    """Smith: two managed accounts and one held away, several month-ends; Jones: a prospect without accounts."""
    with book.session() as s:
        h = f.household(s, "Smith household")
        f.contact(s, h, "Bob", "Smith", role="spouse", email="bob@example.com")
        f.contact(s, h, "Ann", "Smith", email="ann@example.com", phone="(512) 555-0100", city="Austin")
        ira = f.account(s, h, "ira")
        brokerage = f.account(s, h, "brokerage")
        away = f.account(s, h, "401k", managed=False)
        f.balance(s, ira, date(2026, 9, 30), "1000.00")
        f.balance(s, ira, date(2026, 10, 31), "1500.25")  # latest
        f.balance(s, brokerage, date(2026, 8, 31), "200.10")  # its latest is older: still counted
        f.balance(s, away, date(2026, 10, 31), "99999.99")  # held away: not AUM
        f.activity(s, h, subject="Annual review", start=datetime(2026, 10, 1, 15, tzinfo=UTC))
        f.life_event(s, h, "retirement", date(2026, 6, 1))
        j = f.household(s, "Jones", status="prospect", since=None)
        f.contact(s, j, "Carla", "Jones", city="El Paso")
    return h, j


def test_list_rows_aum_primary_and_city(book, smith) -> None:
    with book.reader() as s:
        rows = {r.name: r for r in repo.list_households(s)}
    smith_row = rows["Smith household"]
    assert smith_row.aum == Decimal("1700.35")
    assert smith_row.primary_contact == "Ann Smith"  # the primary, even though Bob was added first
    assert smith_row.city == "Austin" and smith_row.members == 2
    assert rows["Jones"].aum == Decimal("0.00") and rows["Jones"].status == HouseholdStatus.PROSPECT


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("smith", {"Smith household"}),
        ("bob@", {"Smith household"}),
        ("555-0100", {"Smith household"}),
        ("el paso", {"Jones"}),
        ("AUSTIN", {"Smith household"}),
        ("%", set()),
        ("zzz", set()),
    ],
)
def test_search_by_name_email_phone_city(book, smith, text, expected) -> None:
    with book.reader() as s:
        assert {r.name for r in repo.list_households(s, search=text)} == expected


def test_status_filter(book, smith) -> None:
    with book.reader() as s:
        assert [r.name for r in repo.list_households(s, status=HouseholdStatus.PROSPECT)] == ["Jones"]


def test_detail_for_the_card(book, smith) -> None:
    h, _j = smith
    with book.reader() as s:
        detail = repo.get_detail(s, h)
    assert [c.first_name for c in detail.contacts] == ["Ann", "Bob"]
    assert detail.managed_aum == Decimal("1700.35") and detail.held_away == Decimal("99999.99")
    assert detail.recent_activities[0].subject == "Annual review"
    assert detail.life_events[0].kind.value == "retirement"


def test_create_update_and_remove_members(book) -> None:
    with book.session() as s:
        hid = repo.create_household(
            s,
            Household(name="Garcia family", status=HouseholdStatus.CLIENT, client_since=date(2020, 1, 1)),
            [
                Contact(None, "Luis", "Garcia", income=Decimal("85000.00")),
                Contact(None, "Eva", "Garcia", role=ContactRole.SPOUSE),
            ],
        )
    with book.reader() as s:
        detail = repo.get_detail(s, hid)
    assert detail.contacts[0].income == Decimal("85000.00")
    household = detail.household
    household.name = "Garcia household"
    luis = detail.contacts[0]
    luis.email = "luis@example.com"
    with book.session() as s:
        saved = repo.update_household(s, household, [luis])  # Eva removed
    assert saved.version == household.version + 1
    with book.reader() as s:
        again = repo.get_detail(s, hid)
        assert s.query(ContactRow).count() == 1
    assert again.household.name == "Garcia household" and again.contacts[0].email == "luis@example.com"


def test_member_change_alone_bumps_the_version(book, smith) -> None:
    h, _j = smith
    with book.reader() as s:
        detail = repo.get_detail(s, h)
    detail.contacts[1].phone = "123 4567"
    with book.session() as s:
        saved = repo.update_household(s, detail.household, detail.contacts)
    assert saved.version == detail.household.version + 1


def test_stale_edit_is_refused_and_nothing_changes(book, smith) -> None:
    h, _j = smith
    with book.reader() as s:
        mine = repo.get_household(s, h)
        theirs = repo.get_household(s, h)
    theirs.name = "Changed elsewhere"
    with book.session() as s:
        repo.update_household(s, theirs)
    mine.name = "My edit"
    with pytest.raises(ConflictError), book.session() as s:
        repo.update_household(s, mine)
    with book.reader() as s:
        assert repo.get_household(s, h).name == "Changed elsewhere"
    with pytest.raises(ConflictError), book.session() as s:
        repo.delete_household(s, h, expected_version=mine.version)


def test_leaving_requires_a_reason(book, smith) -> None:
    h, _j = smith
    with book.reader() as s:
        household = repo.get_household(s, h)
    household.status = HouseholdStatus.FORMER_CLIENT
    household.client_until = date(2026, 1, 31)
    with pytest.raises(ValidationError) as err, book.session() as s:
        repo.update_household(s, household)
    assert err.value.errors[0][0] == "leaving_reason"
    household.leaving_reason = "Moved to another advisor"
    with book.session() as s:
        repo.update_household(s, household)
    with book.reader() as s:
        assert repo.get_household(s, h).status == HouseholdStatus.FORMER_CLIENT


def test_delete_cascades_and_notes(book, smith) -> None:
    h, _j = smith
    with book.session() as s:
        note = notes_repo.add_note(s, Note(h, "Wants to talk about RMDs", datetime(2026, 11, 2, tzinfo=UTC)))
    with book.reader() as s:
        assert repo.get_detail(s, h).notes[0].body == "Wants to talk about RMDs"
    with pytest.raises(ValidationError), book.session() as s:
        notes_repo.add_note(s, Note(h, "   ", datetime(2026, 11, 2, tzinfo=UTC)))
    with book.session() as s:
        notes_repo.delete_note(s, note.id or 0)
        repo.delete_household(s, h)
    with book.reader() as s:
        assert [r.name for r in repo.list_households(s)] == ["Jones"]
        assert s.query(ContactRow).count() == 1
        with pytest.raises(NotFoundError):
            repo.get_detail(s, h)


def test_do_not_email_records_when_it_was_set(book, smith) -> None:
    h, _j = smith
    with book.reader() as s:
        detail = repo.get_detail(s, h)
    ann = detail.contacts[0]
    ann.do_not_email = True
    with book.session() as s:
        repo.update_household(s, detail.household, detail.contacts)
    with book.reader() as s:
        again = repo.get_detail(s, h)
    assert again.contacts[0].do_not_email and again.contacts[0].email_opt_out_at is not None
    stamp = again.contacts[0].email_opt_out_at
    with book.session() as s:  # saving again keeps the original instant
        repo.update_household(s, again.household, again.contacts)
    with book.reader() as s:
        assert repo.get_detail(s, h).contacts[0].email_opt_out_at == stamp
