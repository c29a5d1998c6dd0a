"""docs/book-format.md documents every file and column of the format."""

from __future__ import annotations

from pathlib import Path

from actdesk.services.book_format.schema import FILES

DOC = Path(__file__).resolve().parents[2] / "docs" / "book-format.md"


def test_every_file_and_column_is_documented() -> None:
    text = DOC.read_text(encoding="utf-8")
    for spec in FILES:
        section = text.split(f"### `{spec.filename}`", 1)
        assert len(section) == 2, spec.filename
        body = section[1].split("### ", 1)[0]
        for column in spec.columns:
            assert f"| `{column.name}` |" in body, (spec.filename, column.name)
            for choice in column.choices:
                assert f"`{choice}`" in body, (spec.filename, column.name, choice)
