"""A large book's stack ranking through the command line: 500 ranked households and more, every page
numbered, the table broken between rows with each household on the page the plan put it on, and every name
readable in the PDF's text."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest
from pypdf import PdfReader

from actdesk.cli import main
from actdesk.services.reports.base import ReportContext
from actdesk.services.reports.catalogue import get
from actdesk.services.reports.render import PageSetup
from actdesk.services.reports.render.pdf import plan

AS_OF = date(2026, 6, 30)


@pytest.fixture(scope="module")
def big_book(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from actdesk.services.demo import DemoOptions, generate_demo
    from actdesk.storage.open import open_book

    path = tmp_path_factory.mktemp("big") / "big.db"
    book = open_book(path)
    # activities do not enter the ranking: few of them keep the book quick to build
    generate_demo(book, DemoOptions(households=800, seed=5, as_of=AS_OF, activities_per_household=2.0))
    book.dispose()
    return path


def test_500_households_page_correctly_with_every_name(
    big_book: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "ranking.pdf"
    args = ["--db", str(big_book), "report", "stack-ranking", "--as-of", AS_OF.isoformat()]
    assert main([*args, "--format", "pdf", "--paper", "letter", "--out", str(out), "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["format"] == "pdf"

    from actdesk.storage.open import open_book

    book = open_book(big_book)
    try:
        report = get("stack-ranking").build(ReportContext(book, AS_OF))
    finally:
        book.dispose()
    ranking = report.sections[0].table
    assert ranking is not None
    names = [str(row[1]) for row in ranking.rows]
    assert len(names) >= 500 and len(set(names)) == len(names)

    pages = PdfReader(out).pages
    texts = [page.extract_text() for page in pages]
    planned, _layouts = plan(report, PageSetup("", "letter").paper)
    assert len(texts) == len(planned)
    for n, text in enumerate(texts, start=1):
        assert f"Page {n} of {len(texts)}" in text
        assert "Stack ranking and trends" in text  # the header band on every page
    placed: list[int] = []
    for text, page in zip(texts, planned, strict=True):
        for _top, block in page.blocks:
            if block.kind == "table" and block.table is ranking:
                assert "Household" in text  # the header repeats on every page of the table
                for i in range(block.start, block.end):
                    assert names[i] in text, (names[i], block.start, block.end)
                    placed.append(i)
    assert placed == list(range(len(names)))  # every household once, in rank order
    assert len(planned) >= 12  # the ranking alone fills a dozen pages
