"""Field validation of households and contacts: every refusal names the field and says what to type."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from actdesk import i18n
from actdesk.domain.enums import ContactRole, HouseholdStatus
from actdesk.domain.models import Contact, Household
from actdesk.domain.validation import (
    FieldError,
    NumberStyle,
    check_email,
    check_phone,
    contact_from_form,
    household_from_form,
    parse_amount,
    parse_date,
    validate_household,
    validate_members,
)

TODAY = date(2026, 11, 25)
ES = NumberStyle(decimal=",", group=".", day_first=True)


def test_dates_in_iso_and_locale_order() -> None:
    assert parse_date("1960-12-31") == date(1960, 12, 31)
    assert parse_date("12/31/1960") == date(1960, 12, 31)
    assert parse_date("31/12/1960", ES) == date(1960, 12, 31)
    assert parse_date("  ") is None


@pytest.mark.parametrize("text", ["31/12/1960", "1960-02-30", "yesterday", "12/31/60"])
def test_bad_dates_are_refused_with_a_hint(text: str) -> None:
    with pytest.raises(FieldError) as err:
        parse_date(text)
    assert "date" in str(err.value)


def test_amounts_as_people_type_them() -> None:
    assert parse_amount("$1,250,000") == Decimal("1250000.00")
    assert parse_amount("1250.5") == Decimal("1250.50")
    assert parse_amount("1.250,50 €", ES) == Decimal("1250.50")
    assert parse_amount("") is None
    for bad in ("12.345", "1e9", "abc", "10000000000000"):
        with pytest.raises(FieldError):
            parse_amount(bad)


def test_email_and_phone() -> None:
    assert check_email(" Ann@Example.COM ") == "Ann@example.com"
    assert check_email("") is None
    for bad in ("ann", "ann@", "ann@example", "a b@example.com", "ann@@example.com"):
        with pytest.raises(FieldError):
            check_email(bad)
    assert check_phone("(512)  555-0100") == "(512) 555-0100"
    with pytest.raises(FieldError):
        check_phone("call me")


def test_former_client_needs_reason_and_leaving_date() -> None:
    h = Household(name="Smith", status=HouseholdStatus.FORMER_CLIENT, client_since=date(2015, 1, 1))
    errors = validate_household(h, today=TODAY)
    assert set(errors) == {"leaving_reason", "client_until"}
    h.leaving_reason = "Moved to another advisor"
    h.client_until = date(2014, 1, 1)
    assert "client_until" in validate_household(h, today=TODAY)  # before client_since
    h.client_until = date(2020, 6, 30)
    assert validate_household(h, today=TODAY) == {}


def test_household_rules() -> None:
    assert "name" in validate_household(Household(name="  "), today=TODAY)
    client = Household(name="A", status=HouseholdStatus.CLIENT)
    assert "client_since" in validate_household(client, today=TODAY)
    client.client_since = date(2030, 1, 1)
    assert "client_since" in validate_household(client, today=TODAY)
    prospect = Household(name="A", client_until=date(2020, 1, 1))
    assert "client_until" in validate_household(prospect, today=TODAY)


def test_household_form_collects_every_problem() -> None:
    household, errors = household_from_form(
        {
            "name": "",
            "status": "former_client",
            "client_since": "13/45/2020",
            "client_until": "",
            "leaving_reason": "",
        },
        Household(name="old", id=3, version=4),
        today=TODAY,
    )
    assert set(errors) == {"name", "client_since", "client_until", "leaving_reason"}
    assert household.id == 3 and household.version == 4


def test_contact_form_reads_every_field() -> None:
    contact, errors = contact_from_form(
        {
            "first_name": "Ann",
            "last_name": "Lee",
            "role": "spouse",
            "email": "ann@example.com",
            "phone": "+1 512 555 0100",
            "birth_date": "03/04/1961",
            "income": "120,000",
            "net_worth": "2,500,000.50",
            "risk_tolerance": "growth",
            "city": "Austin",
            "do_not_email": "1",
        },
        household_id=7,
        contact_id=None,
        today=TODAY,
    )
    assert errors == {}
    assert contact.role == ContactRole.SPOUSE and contact.birth_date == date(1961, 3, 4)
    assert contact.income == Decimal("120000.00") and contact.net_worth == Decimal("2500000.50")
    assert contact.do_not_email and contact.city == "Austin" and contact.household_id == 7


def test_contact_form_errors_are_per_field() -> None:
    _contact, errors = contact_from_form(
        {"first_name": "", "last_name": "Lee", "email": "nope", "birth_date": "2099-01-01", "income": "-5"},
        household_id=None,
        contact_id=None,
        today=TODAY,
    )
    assert set(errors) == {"first_name", "email", "birth_date", "income"}


def test_only_one_primary_member() -> None:
    people = [Contact(None, "A", "B"), Contact(None, "C", "B")]
    assert validate_members(people)
    people[1].role = ContactRole.SPOUSE
    assert validate_members(people) is None


def test_messages_are_translated() -> None:
    i18n.set_language("es")
    try:
        with pytest.raises(FieldError) as err:
            check_email("nope")
        assert "correo" in str(err.value)
    finally:
        i18n.set_language("en")


def test_an_invisible_character_is_marked_on_its_own_field() -> None:
    """A name pasted with a NUL or a right-to-left override: the card editor marks that field, as it marks a
    bad date, instead of the book refusing the whole form (storage/text_guard.py is the backstop)."""
    _household, errors = household_from_form(
        {"name": "Garcia\x00 family", "status": "prospect"}, Household(name=""), today=date(2026, 12, 6)
    )
    assert list(errors) == ["name"] and "U+0000" in errors["name"]
    _contact, errors = contact_from_form(
        {"first_name": "Ana", "last_name": "Garc\u202eia", "city": "Madrid\x07"},
        household_id=1,
        contact_id=None,
        today=date(2026, 12, 6),
    )
    assert sorted(errors) == ["city", "last_name"] and "U+202E" in errors["last_name"]
