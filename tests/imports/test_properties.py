"""Property-based: any bytes, any CSV or vCard shape, give a clean import or a clean error; never a crash,
never a partial write. Each example runs against one real book and is undone, so the book is reused."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from tests import factories

from actdesk.services.importers import jobs
from actdesk.services.importers.custodian import CustodianMapping
from actdesk.services.importers.errors import ImportFileError
from actdesk.services.importers.presets import PRESET_CHOICES, PRESETS
from actdesk.storage.open import open_book

from .helpers import dump

NOW = datetime(2026, 3, 1, tzinfo=UTC)
SETTINGS = settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
HEADERS = sorted({h for p in PRESETS.values() for hs in p.columns.values() for h in hs} | {"Name", "Foo", ""})
CELL = st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=30) | st.sampled_from(
    ["", "ann@example.com", "5/17/1980", "1980-02-30", "+1 555 010 2030", "Smith, Ann", '"', "\n", ";"]
)


@pytest.fixture(scope="module")
def shared_book(tmp_path_factory):
    book = open_book(tmp_path_factory.mktemp("prop") / "book.db")
    with book.session() as s:
        hid = factories.household(s, "Existing household")
        factories.contact(s, hid, "Ann", "Smith", email="ann@example.com", phone="+1 555 010 2030")
        aid = factories.account(s, hid)
        from actdesk.storage.tables.book import AccountRow

        s.get(AccountRow, aid).account_number = "A-1"
    yield book
    book.dispose()


def _import_or_clean_error(book, path: Path, **kwargs) -> None:
    before = dump(book)
    try:
        preview = jobs.preview_contacts(book, path, **kwargs)
    except ImportFileError as exc:
        assert str(exc)  # a message, not an empty error
        assert dump(book) == before
        return
    for rejection in preview.rejected:
        assert rejection.line >= 1 and rejection.reason
    result = jobs.import_contacts(book, preview, NOW)
    after = dump(book)
    assert len(after["contacts"]) == len(before["contacts"]) + result.added
    jobs.undo_batch(book, result.batch_id, NOW)
    assert dump(book) == before


@SETTINGS
@given(data=st.binary(max_size=400), preset=st.sampled_from(PRESET_CHOICES))
def test_random_bytes_to_the_contact_importers(
    shared_book, tmp_path_factory, data: bytes, preset: str
) -> None:
    path = tmp_path_factory.mktemp("b") / "random.csv"
    path.write_bytes(data)
    _import_or_clean_error(shared_book, path, preset=preset)


@SETTINGS
@given(
    headers=st.lists(st.sampled_from(HEADERS), min_size=1, max_size=8),
    rows=st.lists(st.lists(CELL, max_size=9), max_size=6),
    delimiter=st.sampled_from([",", ";", "\t"]),
    encoding=st.sampled_from(["utf-8", "utf-8-sig", "utf-16", "cp1252"]),
)
def test_random_csv_shapes(shared_book, tmp_path_factory, headers, rows, delimiter, encoding) -> None:
    def line(cells: list[str]) -> str:
        return delimiter.join(
            '"' + c.replace('"', '""') + '"' if any(x in c for x in '",;\t\n') else c for c in cells
        )

    text = "\r\n".join([line(headers), *(line(r) for r in rows)]) + "\r\n"
    path = tmp_path_factory.mktemp("c") / "shape.csv"
    path.write_bytes(text.encode(encoding, errors="replace"))
    _import_or_clean_error(shared_book, path)


PROPS = ["N", "FN", "EMAIL", "TEL", "BDAY", "ADR", "TITLE", "PHOTO", "item1.EMAIL", "X-ABLabel", "NOTE", ""]
PARAMS = [
    "",
    ";TYPE=HOME",
    ";CHARSET=UTF-8;ENCODING=QUOTED-PRINTABLE",
    ";HOME;CELL",
    ";ENCODING=b",
    ";type=pref",
]
VCARD_LINE = st.one_of(
    st.sampled_from(
        ["BEGIN:VCARD", "END:VCARD", "VERSION:2.1", "VERSION:3.0", "VERSION:4.0", " folded", "="]
    ),
    st.builds(lambda p, q, v: f"{p}{q}:{v}", st.sampled_from(PROPS), st.sampled_from(PARAMS), CELL),
    CELL,
)


@SETTINGS
@given(lines=st.lists(VCARD_LINE, max_size=25), newline=st.sampled_from(["\r\n", "\n"]))
def test_random_vcard_shapes(shared_book, tmp_path_factory, lines: list[str], newline: str) -> None:
    path = tmp_path_factory.mktemp("v") / "cards.vcf"
    path.write_text(newline.join(["BEGIN:VCARD", *lines]), encoding="utf-8", errors="replace")
    _import_or_clean_error(shared_book, path, preset="vcard")


@SETTINGS
@given(
    rows=st.lists(
        st.tuples(
            st.sampled_from(["A-1", "a 1", "B-2", ""]),
            CELL | st.just("01/31/2026"),
            CELL | st.just("1,000.00"),
            CELL,
        ),
        max_size=6,
    ),
    data=st.binary(max_size=120),
    use_bytes=st.booleans(),
)
def test_random_custodian_files(shared_book, tmp_path_factory, rows, data: bytes, use_bytes: bool) -> None:
    path = tmp_path_factory.mktemp("k") / "custodian.csv"
    if use_bytes:
        path.write_bytes(data)
    else:
        body = "\n".join(",".join('"' + c.replace('"', '""') + '"' for c in row) for row in rows)
        path.write_text("Account,Date,Value,Amount\n" + body + "\n", encoding="utf-8", errors="replace")
    mapping = CustodianMapping("m", "Account", "Date", market_value_col="Value", amount_col="Amount")
    before = dump(shared_book)
    try:
        preview = jobs.preview_balances(shared_book, path, mapping)
    except ImportFileError as exc:
        assert str(exc)
        assert dump(shared_book) == before
        return
    batch = jobs.import_balances(shared_book, preview, NOW)
    jobs.undo_batch(shared_book, batch, NOW)
    assert dump(shared_book) == before
