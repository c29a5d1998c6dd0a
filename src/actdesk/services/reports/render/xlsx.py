"""The Excel workbook of a report (openpyxl): a summary sheet, then one sheet per section.

Cells hold real values with real number formats (money, percent, dates), so the advisor's own formulas
work on them; headers are bold and frozen, columns sized to their content.
"""

from __future__ import annotations

import re
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

from actdesk.i18n import _, current_currency
from actdesk.services.reports.model import NO_PROGRESS, Cell, ColumnKind, ProgressSink, ReportData
from actdesk.services.reports.render import PageSetup
from actdesk.services.reports.style import ACCENT

PERCENT = "0.0%"
NUMBER = "#,##0"
DATE = "yyyy-mm-dd"
_SYMBOLS = {"USD": "$", "EUR": "€", "GBP": "£", "CAD": "$", "AUD": "$", "MXN": "$", "CHF": "CHF "}


def money_format(currency: str | None = None) -> str:
    """Whole currency units with grouping, negatives in parentheses (accounting style)."""
    symbol = _SYMBOLS.get(currency or current_currency(), "")
    quoted = f'"{symbol}"' if symbol else ""
    return f"{quoted}#,##0;({quoted}#,##0)"


def number_format(kind: ColumnKind) -> str | None:
    return {"money": money_format(), "percent": PERCENT, "number": NUMBER, "date": DATE}.get(kind)


def excel_value(value: Cell, kind: ColumnKind) -> object:
    """Money as a number (Excel has no decimal type; cents survive in a double), the rest as is."""
    if isinstance(value, Decimal):
        return float(value)
    if kind == "number" and isinstance(value, float) and value.is_integer():
        return int(value)
    return value


def sheet_title(text: str, taken: set[str]) -> str:
    """Excel's rules: at most 31 characters, none of []:*?/\\, unique in the workbook."""
    base = re.sub(r"[\[\]:*?/\\]", " ", text).strip()[:31] or "Sheet"
    name, n = base, 2
    while name.lower() in taken:
        suffix = f" ({n})"
        name, n = base[: 31 - len(suffix)] + suffix, n + 1
    taken.add(name.lower())
    return name


def load_xlsx_writer() -> None:
    """Import openpyxl's workbook and styles, which ``write_xlsx`` imports when it runs."""
    import openpyxl.styles
    import openpyxl.utils  # noqa: F401
    from openpyxl import Workbook  # noqa: F401


def write_xlsx(
    report: ReportData, path: Path, setup: PageSetup, progress: ProgressSink = NO_PROGRESS
) -> None:
    from openpyxl import Workbook
    from openpyxl.styles import Border, Font, PatternFill, Side
    from openpyxl.utils import get_column_letter

    bold = Font(bold=True)
    head_fill = PatternFill("solid", fgColor="F3F5F8")
    top_rule = Border(top=Side(style="thin", color="1F2937"))
    wb = Workbook()
    summary = wb.active
    assert summary is not None
    taken: set[str] = set()
    summary.title = sheet_title(_("Summary"), taken)
    summary["A1"] = report.title
    summary["A1"].font = Font(bold=True, size=14, color=ACCENT.lstrip("#"))
    summary["A2"] = setup.practice_name
    summary["A3"] = report.subtitle
    row = 5
    if report.empty:
        summary.cell(row, 1, report.empty)
        row += 2
    for m in report.metrics:
        summary.cell(row, 1, m.label)
        cell = summary.cell(row, 2, excel_value(m.value, m.kind))
        fmt = number_format(m.kind)
        if fmt:
            cell.number_format = fmt
        cell.font = bold
        row += 1
    summary.column_dimensions["A"].width = 42
    summary.column_dimensions["B"].width = 20
    sections = [s for s in report.sections]
    for i, section in enumerate(sections, start=1):
        progress.check()
        progress.progress(i / (len(sections) + 1), section.title)
        ws = wb.create_sheet(sheet_title(section.title, taken))
        if section.is_empty or section.table is None:
            ws["A1"] = section.title
            ws["A1"].font = bold
            ws["A2"] = section.empty or section.note or _("This section is a chart only; see the PDF.")
            ws.column_dimensions["A"].width = 80
            continue
        t = section.table
        widths = [len(c.title) + 2 for c in t.columns]
        for j, col in enumerate(t.columns, start=1):
            cell = ws.cell(1, j, col.title)
            cell.font = bold
            cell.fill = head_fill
        formats = [number_format(c.kind) for c in t.columns]
        for r, values in enumerate(t.rows, start=2):
            for j, (value, col, fmt) in enumerate(zip(values, t.columns, formats, strict=True), start=1):
                cell = ws.cell(r, j, excel_value(value, col.kind))
                if fmt and value is not None and not isinstance(value, str):
                    cell.number_format = fmt
                widths[j - 1] = max(widths[j - 1], _width(value, col.kind))
        if t.totals is not None:
            r = len(t.rows) + 2
            for j, (value, col, fmt) in enumerate(zip(t.totals, t.columns, formats, strict=True), start=1):
                cell = ws.cell(r, j, excel_value(value, col.kind))
                cell.font = bold
                cell.border = top_rule
                if fmt and value is not None and not isinstance(value, str):
                    cell.number_format = fmt
                widths[j - 1] = max(widths[j - 1], _width(value, col.kind))
        if section.note:
            ws.cell(len(t.rows) + (4 if t.totals is not None else 3), 1, section.note).font = Font(
                italic=True, color="6B7280"
            )
        ws.freeze_panes = "A2"
        ws.auto_filter.ref = f"A1:{get_column_letter(len(t.columns))}{len(t.rows) + 1}"
        for j, w in enumerate(widths, start=1):
            ws.column_dimensions[get_column_letter(j)].width = min(max(w, 8), 60)
    wb.properties.title = report.title
    wb.properties.creator = setup.practice_name
    text_cells_as_text(wb)
    wb.save(path)
    progress.progress(1.0)


def _width(value: Cell, kind: ColumnKind) -> int:
    if value is None:
        return 0
    if kind == "money":
        return len(f"{float(value):,.0f}") + 4  # type: ignore[arg-type]
    if kind == "percent":
        return 8
    if isinstance(value, date):
        return 12
    return len(str(value)) + 2


def text_cells_as_text(wb: Any) -> None:
    """openpyxl stores any text starting with "=" as a formula; a report holds no formulas of its own, so
    every such cell is turned back into text (a household named =HYPERLINK(...) stays a name)."""
    for ws in wb.worksheets:
        for row in ws.iter_rows():
            for cell in row:
                if cell.data_type == "f":
                    cell.data_type = "s"
