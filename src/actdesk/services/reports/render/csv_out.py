"""The CSV of a report, for spreadsheets and other programs (layout documented in docs/reports.md).

UTF-8 with a byte-order mark (Excel then reads accents right), comma-separated, one block per section:
a row with the section's title alone, the column header row, the data rows, a totals row (first cell
"Total") when the section has one, then an empty row. Before the blocks: the report's title and subtitle.
Values are raw, not formatted for reading: money as plain decimals with a dot (1234.56), rates as
fractions (0.125 = 12.5%), dates ISO (2026-03-31); empty cells are empty. Text that a spreadsheet would
run as a formula (=, +, -, @ first) gets a leading single quote (services/cell_guard.py).
"""

from __future__ import annotations

import csv
from collections.abc import Iterable
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

from actdesk.services.cell_guard import guard_row
from actdesk.services.reports.model import NO_PROGRESS, Cell, ProgressSink, ReportData


def raw(value: Cell) -> str:
    if value is None:
        return ""
    if isinstance(value, Decimal):
        return format(value, "f")
    if isinstance(value, float):
        return repr(round(value, 10))
    if isinstance(value, date):
        return value.isoformat()
    return str(value)


def write_csv(
    report: ReportData, path: Path, progress: ProgressSink = NO_PROGRESS, *, guard: bool = True
) -> None:
    with path.open("w", encoding="utf-8-sig", newline="") as fh:
        out = _Guarded(csv.writer(fh), guard)
        out.writerow([report.title])
        out.writerow([report.subtitle])
        out.writerow([])
        if report.empty:
            out.writerow([report.empty])
        for i, section in enumerate(report.sections, start=1):
            progress.check()
            progress.progress(i / (len(report.sections) + 1), section.title)
            if section.table is None:
                continue
            out.writerow([section.title])
            out.writerow([c.title for c in section.table.columns])
            out.writerows([raw(v) for v in row] for row in section.table.rows)
            if section.table.totals is not None:
                out.writerow([raw(v) for v in section.table.totals])
            out.writerow([])
    progress.progress(1.0)


class _Guarded:
    """A csv writer whose text cells cannot run as formulas."""

    def __init__(self, writer: Any, enabled: bool) -> None:
        self.writer, self.enabled = writer, enabled

    def writerow(self, row: Iterable[object]) -> None:
        self.writer.writerow(guard_row(list(row), self.enabled))

    def writerows(self, rows: Iterable[Iterable[object]]) -> None:
        for row in rows:
            self.writerow(row)
