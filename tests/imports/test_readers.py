"""Reading real-world-shaped exports: encodings, delimiters, presets, vCard dialects."""

from __future__ import annotations

import codecs
from datetime import date

import pytest

from actdesk.services.importers.errors import ImportFileError
from actdesk.services.importers.jobs import parse_contacts_file
from actdesk.services.importers.presets import detect
from actdesk.services.importers.records import RowError, clean, parse_date
from actdesk.services.importers.sniff import decode, parse_csv

from .helpers import SAMPLES


def names(parsed) -> list[str]:
    return [f"{r.first_name} {r.last_name}" for r in parsed.records]


@pytest.mark.parametrize(
    ("data", "encoding", "text"),
    [
        (codecs.BOM_UTF8 + "Zoë".encode(), "utf-8-sig", "Zoë"),
        ("Zoë".encode(), "utf-8", "Zoë"),
        (codecs.BOM_UTF16_LE + "Zoë".encode("utf-16-le"), "utf-16-le", "Zoë"),
        (codecs.BOM_UTF16_BE + "Zoë".encode("utf-16-be"), "utf-16-be", "Zoë"),
        ("Name,City".encode("utf-16-le"), "utf-16-le", "Name,City"),
        ("Lefèvre".encode("cp1252"), "cp1252", "Lefèvre"),
    ],
)
def test_encodings_are_detected(data: bytes, encoding: str, text: str) -> None:
    assert decode(data) == (text, encoding)


def test_utf16_with_a_bad_byte_is_a_clean_error() -> None:
    with pytest.raises(ImportFileError, match="UTF-16"):
        decode(codecs.BOM_UTF16_LE + b"\x00\xd8A\x00")


@pytest.mark.parametrize("delimiter", [",", ";", "\t"])
def test_delimiters_and_quoted_multiline_fields(delimiter: str) -> None:
    text = delimiter.join(["First Name", "Last Name", "Address"]) + "\r\n"
    text += delimiter.join(["Ann", "Smith", '"1 Main St\r\nApt 2; rear"']) + "\r\n"
    text += delimiter.join(["Bob", "Jones", "2 Oak"]) + "\r\n"
    table = parse_csv(text)
    assert table.delimiter == delimiter
    assert table.rows[0] == (2, ("Ann", "Smith", "1 Main St\r\nApt 2; rear"))
    assert table.rows[1][0] == 4  # the line a text editor shows, after the two-line record


def test_empty_file_is_a_clean_error() -> None:
    with pytest.raises(ImportFileError, match="empty"):
        parse_csv("\r\n\r\n")


@pytest.mark.parametrize(
    ("sample", "preset"),
    [
        ("redtail_contacts.csv", "redtail"),
        ("wealthbox_contacts.csv", "wealthbox"),
        ("google_contacts.csv", "google"),
        ("google_legacy.csv", "google-legacy"),
        ("outlook_contacts.csv", "outlook"),
        ("outlook_utf16.csv", "outlook"),
        ("generic_bom_semicolon.csv", "auto"),
        ("windows1252.csv", "auto"),
    ],
)
def test_presets_are_detected_from_the_headers(sample: str, preset: str) -> None:
    assert parse_contacts_file(SAMPLES / sample).source == preset


def test_redtail_rows_households_and_rejections() -> None:
    parsed = parse_contacts_file(SAMPLES / "redtail_contacts.csv")
    assert names(parsed) == ["Harold Whitcombe", "Margaret Whitcombe", "Priya Raman", "Dana O'Leary"]
    harold, margaret, priya, dana = parsed.records
    assert harold.birth_date == date(1952, 3, 14)
    assert harold.household == margaret.household == "Whitcombe Family"
    assert margaret.phone == "(555) 010-7720"  # mobile preferred over the shared home line
    assert priya.address == "902 Quarry Rd, Suite 4"
    assert [(r.line, r.reason) for r in parsed.rejected] == [(5, "no name (first or last name is required)")]
    # One impossible birth date does not drop Dana with her e-mail: the date is left out, with a warning.
    assert (dana.email, dana.birth_date) == ("dana.oleary@example.com", None)
    assert [(w.line, w.reason) for w in parsed.warnings] == [
        (6, "birth date '13/45/1980' is not a date; the birth date was left out")
    ]
    # Redtail's Status and Family Head: clients, and Harold heads the Whitcombe family.
    assert [(r.status, r.role) for r in parsed.records] == [
        ("client", "primary"),
        ("client", None),
        ("prospect", "primary"),
        ("client", None),
    ]


def test_wealthbox_multiline_address_and_accents() -> None:
    parsed = parse_contacts_file(SAMPLES / "wealthbox_contacts.csv")
    lucia = parsed.records[0]
    assert (lucia.first_name, lucia.address, lucia.postal_code) == ("Lucía", "17 Coral Way, Apt 5B", "33145")
    assert [r.line for r in parsed.records] == [2, 4, 5]


def test_google_current_and_legacy() -> None:
    current = parse_contacts_file(SAMPLES / "google_contacts.csv")
    marcus, aiko = current.records
    assert (marcus.address, marcus.city, marcus.region, marcus.postal_code) == (
        "12 Elm St",
        "Boston",
        "MA",
        "02118",
    )
    assert aiko.email == "aiko.tanaka@example.jp"  # first of Google's " ::: " joined values
    assert aiko.birth_date is None  # --05-17 has no year
    legacy = parse_contacts_file(SAMPLES / "google_legacy.csv")
    assert names(legacy) == ["Samuel Okafor", "Rosa Delgado"]  # Rosa's name only in "Name"
    assert legacy.records[0].occupation == "Actuary"


def test_outlook_home_or_business_address_never_mixed() -> None:
    eleanor, kwame = parse_contacts_file(SAMPLES / "outlook_contacts.csv").records
    assert (eleanor.address, eleanor.city) == ("500 Market St, Floor 9", "Philadelphia")
    assert (kwame.address, kwame.city, kwame.birth_date) == ("77 Birch Ave", "Princeton", None)  # 0/0/00


def test_utf16_tab_and_cp1252_and_semicolon_bom() -> None:
    zoe = parse_contacts_file(SAMPLES / "outlook_utf16.csv").records[0]
    assert (zoe.first_name, zoe.last_name, zoe.birth_date) == ("Zoë", "Brontë", date(1986, 4, 21))
    assert names(parse_contacts_file(SAMPLES / "windows1252.csv")) == ["François Lefèvre", "Björn Øster"]
    jose, ines = parse_contacts_file(SAMPLES / "generic_bom_semicolon.csv").records
    assert (jose.first_name, jose.last_name, jose.birth_date) == ("José", "García López", date(1975, 3, 15))
    assert ines.city == "Madrid"


def test_android_vcard_21_quoted_printable_and_broken_cards_are_reported() -> None:
    parsed = parse_contacts_file(SAMPLES / "android_2_1.vcf")
    juergen, yuki, only = parsed.records
    assert (only.first_name, only.last_name, only.email) == ("Only An", "Email", None)
    assert (juergen.first_name, juergen.last_name) == ("Jürgen", "Müller")
    assert juergen.address == "Straße des 17. Juni 135"  # soft line break joined
    assert juergen.phone == "+49 151 55501234"
    assert yuki.phone == "090-5550-1122"
    assert [(r.line, r.reason) for r in parsed.rejected] == [(21, "END:VCARD missing before the next card")]
    # A bad e-mail drops the field, not the person.
    assert [(w.line, w.reason) for w in parsed.warnings] == [
        (25, "'not-an-address' is not an e-mail address; it was left out")
    ]
    assert parsed.notes == ("photos:1",)


def test_iphone_vcard_30_item_groups_escapes_and_yearless_birthday() -> None:
    nora, theo = parse_contacts_file(SAMPLES / "iphone_3_0.vcf").records
    assert nora.email == "nora@example.com"  # the pref one of two item-grouped e-mails
    assert nora.address == "22 Orchard St, Unit 3"
    assert (nora.city, nora.region, nora.occupation, nora.birth_date) == ("Portland", "ME", "Partner", None)
    assert theo.birth_date == date(1980, 2, 29)


def test_outlook_vcard_and_vcard_40() -> None:
    (celine,) = parse_contacts_file(SAMPLES / "outlook_2_1.vcf").records
    assert (celine.first_name, celine.birth_date, celine.phone) == (
        "Céline",
        date(1968, 3, 12),
        "(917) 555-0177",
    )
    ada, ben = parse_contacts_file(SAMPLES / "vcard_4_0.vcf").records
    assert (ada.phone, ada.birth_date, ada.city) == ("+1-555-010-2244", None, "Austin")
    assert ben.birth_date == date(1975, 1, 2)


def test_unknown_columns_ask_for_a_mapping(tmp_path) -> None:
    path = tmp_path / "x.csv"
    path.write_text("Foo,Bar\n1,2\n")
    with pytest.raises(ImportFileError, match="not recognised"):
        parse_contacts_file(path)
    assert detect(("Given Name", "Family Name", "Group Membership")).key == "google-legacy"


@pytest.mark.parametrize(
    ("text", "order", "expected"),
    [
        ("1980-05-17", "mdy", date(1980, 5, 17)),
        ("19800517", "mdy", date(1980, 5, 17)),
        ("5/17/1980", "mdy", date(1980, 5, 17)),
        ("17/5/1980", "dmy", date(1980, 5, 17)),
        ("17.05.1980", "mdy", date(1980, 5, 17)),
        ("5/17/80", "mdy", date(1980, 5, 17)),
        ("May 17, 1980", "mdy", date(1980, 5, 17)),
        ("0/0/00", "mdy", None),
        ("1604-05-17", "ymd", None),
        ("--0517", "ymd", None),
        ("", "mdy", None),
    ],
)
def test_birth_dates(text: str, order: str, expected: date | None) -> None:
    assert parse_date(text, order) == expected


@pytest.mark.parametrize("text", ["13/45/1980", "soon", "2020-02-30", "99999999"])
def test_bad_birth_dates_are_row_errors(text: str) -> None:
    with pytest.raises(RowError):
        parse_date(text)


def test_a_cell_loses_the_invisible_characters_another_program_left() -> None:
    """A contact file's "Bob\\x07" and "Jones\\u202e" were stored as they came (the bulk insert does not pass
    the book's text check); the cell is cleaned with the rest of its whitespace."""
    assert clean("Bob\x07") == "Bob"
    assert clean("Jones\u202e") == "Jones"
    assert clean("a\x0bb") == "a, b"  # a vertical tab is a line break, and a multi-line cell one line
    assert clean("\x00") is None
