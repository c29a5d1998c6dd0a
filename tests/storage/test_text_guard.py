"""The book refuses text holding invisible control characters, from whichever form it came
(storage/text_guard.py, domain/text.py), and nothing of the unit of work is written."""

from __future__ import annotations

from decimal import Decimal

import pytest
from tests import factories as f

from actdesk.cli.errors import EXIT_REFUSED, classify
from actdesk.domain.money import parse_money
from actdesk.domain.text import invisible_character
from actdesk.storage.errors import ValidationError
from actdesk.storage.repositories import households as repo
from actdesk.storage.tables.book import HouseholdRow


@pytest.mark.parametrize(
    ("text", "found"),
    [
        ("Smith", None),
        ("line one\r\nline two\tend", None),  # text: tabs and line breaks of a note
        ("Semi\x00nar", "\x00"),
        ("bell\x07", "\x07"),
        ("ev\u202eli", "\u202e"),  # right-to-left override: reads "evil" reversed
        ("x\u2066y", "\u2066"),
        ("c1\x9b", "\x9b"),
        ("Word's\x0bmanual break", None),  # another program's line break: turned into one, not refused
        ("page\x0cbreak", None),
    ],
)
def test_which_characters_are_invisible(text: str, found: str | None) -> None:
    assert invisible_character(text) == found
    assert invisible_character("one\rline", line_breaks=False) == "\r"  # an argument holds no line break
    assert invisible_character("one\x0bline", line_breaks=False) == "\x0b"


def test_a_name_with_a_nul_is_refused_and_nothing_is_written(book) -> None:
    with book.session() as s:
        h = f.household(s, "Smith household")
    with pytest.raises(ValidationError) as refused, book.session() as s:
        s.add(HouseholdRow(name="Jones\x00 family", status="prospect"))
        s.get(HouseholdRow, h).name = "Smith household (renamed)"
    message = str(refused.value)
    assert message.startswith("The text “Jones…” holds an invisible control character (U+0000)"), message
    assert classify(refused.value) == EXIT_REFUSED
    with book.reader() as s:
        names = sorted(repo.household_names(s).values())
    assert names == ["Smith household"]  # neither the new row nor the rename in the same unit


def test_a_changed_record_is_checked_too(book) -> None:
    with book.session() as s:
        h = f.household(s, "Smith household")
    with pytest.raises(ValidationError, match="U\\+202E"), book.session() as s:
        s.get(HouseholdRow, h).name = "Smith \u202eylimaf"


def test_ordinary_text_with_line_breaks_is_kept(book) -> None:
    with book.session() as s:
        h = f.household(s, "Smith household")
        f.activity(s, h, subject="Review\tQ4")
    with book.reader() as s:
        assert repo.household_names(s)[h] == "Smith household"


@pytest.mark.parametrize("text", ["1e309", "1e12", "-99999999999999999999999999", "Infinity", "NaN"])
def test_money_beyond_a_trillion_is_refused_not_an_arithmetic_error(text: str) -> None:
    with pytest.raises(ValueError, match="not an amount"):
        parse_money(text)
    assert parse_money("999999999999.99") == Decimal("999999999999.99")


def test_text_pasted_from_word_keeps_its_line_breaks(book) -> None:
    """Word copies a manual line break as a vertical tab and a PDF a page break as a form feed: pasted into
    a note they are line breaks, into a name a space; refusing them would refuse an advisor's own notes."""
    from actdesk.storage.tables.book import NoteRow

    with book.session() as s:
        h = f.household(s, "Smith household")
        s.add(NoteRow(household_id=h, body="Call notes\x0bsecond line\x0cnext page"))
        s.get(HouseholdRow, h).name = "Smith\x0bhousehold"
    with book.reader() as s:
        assert repo.household_names(s)[h] == "Smith household"
        [note] = s.query(NoteRow).filter_by(household_id=h).all()
        assert note.body == "Call notes\nsecond line\nnext page"
