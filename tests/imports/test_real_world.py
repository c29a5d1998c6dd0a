"""Contact files as Salesforce, Outlook 2003, Wealthbox and old phones write them (issue 22, contacts)."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import select

from actdesk.cli import main
from actdesk.services.importers.errors import ImportFileError
from actdesk.services.importers.jobs import parse_contacts_file
from actdesk.storage.tables.book import ContactRow, HouseholdRow

from .helpers import SAMPLES

REAL = SAMPLES / "real_world"


@pytest.mark.parametrize("sample", ["salesforce_api.csv", "salesforce_report.csv"])
def test_salesforce_exports_are_recognised_with_addresses_and_mobiles(sample: str) -> None:
    parsed = parse_contacts_file(REAL / sample)
    assert parsed.source == "salesforce" and parsed.rejected == []
    first = parsed.records[0]
    assert first.address and first.city and first.postal_code and first.country
    assert first.phone and first.phone.replace(" ", "").startswith(("(917)", "(408)"))  # the mobile first


def test_salesforce_values() -> None:
    grace, alan = parse_contacts_file(REAL / "salesforce_api.csv").records
    assert (grace.address, grace.city, grace.region, grace.postal_code) == (
        "12 Navy Row",
        "Arlington",
        "VA",
        "22202",
    )
    assert (alan.phone, alan.country, alan.birth_date) == (
        "+44 7700 900123",
        "United Kingdom",
        date(1952, 6, 23),
    )
    [minh] = parse_contacts_file(REAL / "salesforce_report.csv").records
    assert (minh.household, minh.region, minh.birth_date) == ("Nguyen Household", "CA", date(1980, 3, 7))


def test_outlook_2003_home_and_business_country() -> None:
    parsed = parse_contacts_file(REAL / "outlook_2003.csv")
    assert parsed.source == "outlook"
    ingrid, pedro = parsed.records
    assert (ingrid.city, ingrid.country) == (
        "Oslo",
        "Norway",
    )  # business address, Outlook 2003 "Business Country"
    assert (pedro.city, pedro.country) == ("Lisboa", "Portugal")
    # 2/29/1985 does not exist: Pedro is kept with his address and e-mail, the date is left out with a warning.
    assert pedro.birth_date is None and pedro.email == "pedro.alves@example.pt"
    assert [(w.line, w.reason) for w in parsed.warnings] == [
        (3, "birth date '2/29/1985' is not a date; the birth date was left out")
    ]


def test_letters_lost_by_the_files_code_page_label_phones_and_email_only_rows() -> None:
    parsed = parse_contacts_file(REAL / "outlook_cp1252_lost_letters.csv")
    lukasz, francois, only = parsed.records
    assert lukasz.first_name == "?ukasz"  # what the file holds; the user is told why
    reasons = [(w.line, w.reason) for w in parsed.warnings]
    assert any(line == 2 and "cannot hold" in r and "UTF-8" in r for line, r in reasons)
    assert (francois.last_name, francois.phone) == ("Lefèvre", None)
    assert (3, "phone 'MobilePhone' has no digits (a header or label?); it was left out") in reasons
    # A row with only an e-mail address: the same rule as a vCard with only an e-mail.
    assert (only.first_name, only.email) == ("only.email", "only.email@example.com")
    assert (4, "no name; the e-mail address stands in for it") in reasons


def test_wealthbox_status_and_household_titles(book, db_path: Path) -> None:
    parsed = parse_contacts_file(REAL / "wealthbox_roles.csv")
    assert [(r.status, r.role) for r in parsed.records] == [
        ("client", "primary"),
        ("client", "spouse"),
        ("client", "child"),
    ]
    book.dispose()
    assert (
        main(["--db", str(db_path), "import", "contacts", str(REAL / "wealthbox_roles.csv"), "--json"]) == 0
    )
    with book.reader() as s:
        assert [tuple(r) for r in s.execute(select(HouseholdRow.name, HouseholdRow.status))] == [
            ("Okafor Household", "client")
        ]
        roles = [
            tuple(r)
            for r in s.execute(select(ContactRow.first_name, ContactRow.role).order_by(ContactRow.id))
        ]
    book.dispose()
    assert roles == [("Robert", "primary"), ("Adaeze", "spouse"), ("Chidi", "child")]


def test_vcard_charset_parameters_are_honoured() -> None:
    parsed = parse_contacts_file(REAL / "charset_windows1251_1253.vcf")
    taras, giorgos = parsed.records
    assert (taras.first_name, taras.last_name, taras.city, taras.country) == (
        "Тарас",
        "Шевченко",
        "Київ",
        "Україна",
    )
    assert (giorgos.first_name, giorgos.last_name) == ("Γιώργος", "Παπαδόπουλος")
    assert parsed.encoding == "windows-1251, windows-1253, cp1252"


def test_a_legacy_file_without_charset_is_identified_and_an_uncertain_guess_is_reported(
    tmp_path: Path,
) -> None:
    cyrillic = tmp_path / "cyrillic.csv"
    cyrillic.write_bytes(
        "First Name,Last Name,City\nОлена,Коваленко,Львів\nТарас,Шевченко,Київ\n".encode("cp1251")
    )
    parsed = parse_contacts_file(cyrillic)
    assert parsed.encoding == "cp1251"
    assert [r.last_name for r in parsed.records] == ["Коваленко", "Шевченко"]
    short_greek = tmp_path / "greek.vcf"
    short_greek.write_bytes("BEGIN:VCARD\r\nVERSION:2.1\r\nN:Παπάς;Νίκος\r\nEND:VCARD\r\n".encode("cp1253"))
    greek = parse_contacts_file(short_greek)
    assert greek.warnings and greek.warnings[0].line == 0 and "guess" in greek.warnings[0].reason


def test_group_prefixes_po_box_bad_birth_date_and_email_only_card() -> None:
    parsed = parse_contacts_file(REAL / "grouped_pobox_baddate.vcf")
    assert parsed.rejected == []
    ngozi, mail_only = parsed.records
    assert (ngozi.first_name, ngozi.email, ngozi.address, ngozi.city) == (
        "Ngozi",
        "ngozi@example.ng",
        "PO Box 4410",
        "Lagos",
    )
    assert ngozi.birth_date is None and ngozi.phone is None
    reasons = [w.reason for w in parsed.warnings]
    assert "birth date '19723101' is not a date; the birth date was left out" in reasons
    assert "phone 'Handy' has no digits (a header or label?); it was left out" in reasons
    assert (mail_only.first_name, mail_only.email) == ("just.mail", "just.mail@example.org")


def test_a_wrong_forced_preset_is_refused_naming_the_likely_format(book, db_path, capsys) -> None:
    google = SAMPLES / "google_contacts.csv"
    with pytest.raises(ImportFileError, match="Google Contacts"):
        parse_contacts_file(google, "redtail")
    book.dispose()
    db = db_path
    assert main(["--db", str(db), "import", "contacts", str(google), "--preset", "redtail"]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and "--preset google" in err[0]
    assert main(["--db", str(db), "import", "contacts", str(google), "--preset", "google", "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["source"] == "google"
