"""The files, opened back: PDF pages rendered with pdftoppm and read with pypdf, the workbook with
openpyxl, the CSV with the csv module, charts as PNG and SVG."""

from __future__ import annotations

import csv
import itertools
import shutil
import subprocess
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from openpyxl import load_workbook
from pypdf import PdfReader

from actdesk.services.reports.model import Column, ReportData, Section, table
from actdesk.services.reports.render import ExportError, PageSetup, export_chart, export_report
from actdesk.services.reports.render.pdf_layout import paginate
from actdesk.services.reports.render.xlsx import sheet_title
from actdesk.storage.engine import Book

from .test_numbers import run, section

SETUP = PageSetup("Harbor Point Wealth", "letter")


@pytest.fixture(scope="module")
def ranking(demo_book: Book) -> ReportData:
    return run(demo_book, "stack-ranking")


def test_pdf_is_paged_with_header_footer_and_text(ranking: ReportData, out_dir: Path) -> None:
    path = export_report(ranking, "pdf", out_dir / "ranking.pdf", SETUP)
    reader = PdfReader(path)
    pages = len(reader.pages)
    assert pages >= 2
    first = reader.pages[0].extract_text()
    assert "Harbor Point Wealth" in first
    assert "Stack ranking and trends" in first
    assert f"Page 1 of {pages}" in first
    assert "Quinn" in first or section(ranking, "ranking").table.rows[0][1].split(",")[0] in first
    last = reader.pages[-1].extract_text()
    assert f"Page {pages} of {pages}" in last
    assert reader.pages[0].mediabox.width == pytest.approx(612)  # Letter, 8.5 in
    if shutil.which("pdftoppm") is None:
        pytest.skip("poppler-utils (pdftoppm) is not installed")
    subprocess.run(["pdftoppm", "-r", "30", "-png", str(path), str(out_dir / "page")], check=True)
    assert len(list(out_dir.glob("page-*.png"))) == pages


def test_a4_and_a_long_table_breaking_across_pages(out_dir: Path) -> None:
    rows = [(f"Household {i:03}", Decimal(i * 1000), i / 300) for i in range(300)]
    long = ReportData(
        "long",
        "Long",
        "As of June 30, 2026",
        date(2026, 6, 30),
        [
            Section(
                "t",
                "Everyone",
                table=table(
                    (
                        Column("h", "Household"),
                        Column("aum", "AUM", "money"),
                        Column("p", "Share", "percent"),
                    ),
                    rows,
                    ("Total", sum((r[1] for r in rows), Decimal(0)), None),
                ),
            )
        ],
    )
    path = export_report(long, "pdf", out_dir / "long.pdf", PageSetup("P", "a4"))
    reader = PdfReader(path)
    assert len(reader.pages) >= 6
    text = "".join(p.extract_text() for p in reader.pages)
    assert "Household 000" in text and "Household 299" in text and "Total" in text
    assert reader.pages[0].mediabox.height == pytest.approx(841.68, abs=1)  # A4, 11.69 in
    # every row lands on exactly one page
    pages = paginate(long, "a4", {id(long.sections[0].table): 0.3})
    chunks = [(b.start, b.end) for p in pages for _top, b in p.blocks if b.kind == "table"]
    assert chunks[0][0] == 0 and chunks[-1][1] == 300
    assert all(a[1] == b[0] for a, b in itertools.pairwise(chunks))


def test_xlsx_has_values_and_real_number_formats(ranking: ReportData, out_dir: Path) -> None:
    path = export_report(ranking, "xlsx", out_dir / "ranking.xlsx", SETUP)
    wb = load_workbook(path)
    assert wb.sheetnames[0] == "Summary"
    ws = wb["Households by revenue"]
    assert ws.freeze_panes == "A2"
    assert ws["B1"].value == "Household" and ws["B1"].font.bold
    t = section(ranking, "ranking").table
    assert ws["B2"].value == t.rows[0][1]
    assert ws["D2"].value == pytest.approx(float(t.rows[0][3]))
    assert "#,##0" in ws["D2"].number_format and "$" in ws["D2"].number_format
    assert ws["H2"].number_format == "0.0%"
    total_row = len(t.rows) + 2
    assert ws.cell(total_row, 2).value == "Total" and ws.cell(total_row, 2).font.bold
    assert ws.cell(total_row, 4).value == pytest.approx(float(t.totals[3]))
    trend = wb["AUM trend"]
    assert trend["A2"].is_date and trend["A2"].number_format == "yyyy-mm-dd"
    assert ws.column_dimensions["B"].width > 15


def test_csv_layout(ranking: ReportData, out_dir: Path) -> None:
    path = export_report(ranking, "csv", out_dir / "ranking.csv", SETUP)
    assert path.read_bytes().startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(path.open(encoding="utf-8-sig")))
    assert rows[0] == ["Stack ranking and trends"]
    start = rows.index(["Households by revenue"])
    t = section(ranking, "ranking").table
    assert rows[start + 1] == [c.title for c in t.columns]
    first = rows[start + 2]
    assert first[0] == "1" and Decimal(first[3]) == t.rows[0][3]
    assert 0 < float(first[7]) <= 1  # rates as fractions
    total = rows[start + 2 + len(t.rows)]
    assert total[1] == "Total" and Decimal(total[5]) == t.totals[5]


def test_charts_to_png_and_svg(ranking: ReportData, out_dir: Path) -> None:
    chart = section(ranking, "ranking").chart
    png = export_chart(chart, "png", out_dir / "top.png")
    assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    svg = export_chart(chart, "svg", out_dir / "top.svg")
    assert "<svg" in svg.read_text(encoding="utf-8")[:500]


def test_failed_export_leaves_nothing_and_keeps_the_old_file(ranking: ReportData, out_dir: Path) -> None:
    target = out_dir / "keep.pdf"
    target.write_bytes(b"old")

    class Stop(Exception):
        pass

    class Cancelling:
        def progress(self, fraction: float, message: str = "") -> None:
            return None

        def check(self) -> None:
            raise Stop

    with pytest.raises(Stop):
        export_report(ranking, "pdf", target, SETUP, Cancelling())
    assert target.read_bytes() == b"old"
    assert [p.name for p in out_dir.iterdir()] == ["keep.pdf"]
    with pytest.raises(ExportError, match="does not exist"):
        export_report(ranking, "csv", out_dir / "missing" / "x.csv", SETUP)
    with pytest.raises(ExportError, match="Unknown format"):
        export_report(ranking, "docx", out_dir / "x.docx", SETUP)


def test_sheet_titles_follow_excel_rules() -> None:
    taken: set[str] = set()
    assert sheet_title("A/B: mix?", taken) == "A B  mix"
    assert sheet_title("x" * 40, taken) == "x" * 31
    assert sheet_title("x" * 40, taken) == "x" * 27 + " (2)"


def test_dollar_signs_print_as_money_not_math(demo_book: Book, out_dir: Path) -> None:
    from actdesk.services.reports.config import ReportSettings

    report = run(demo_book, "compensation", ReportSettings(payout_grid=[[0, 0.8], [250_000, 0.85]]))
    text = PdfReader(export_report(report, "pdf", out_dir / "comp.pdf", SETUP)).pages[0].extract_text()
    assert "$0 to $250,000" in text
