"""What a report is, independent of how it is shown: a title, sections of typed tables and chart specs.

Renderers (PDF, Excel, CSV, images) and the Reports panel read only these dataclasses, so a report is
written once and every output agrees with every other. Money cells are ``Decimal`` (never float), rates
are floats 0-1, counts ints, days ``date``; ``None`` is an empty cell.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Literal, Protocol

ColumnKind = Literal["money", "number", "percent", "date", "text"]
ChartKind = Literal["bar", "barh", "line", "stacked_bar", "donut"]
Unit = Literal["money", "number", "percent"]
Cell = Decimal | int | float | date | str | None


@dataclass(frozen=True)
class Column:
    key: str
    title: str  # already translated
    kind: ColumnKind = "text"


@dataclass(frozen=True)
class Table:
    columns: tuple[Column, ...]
    rows: list[tuple[Cell, ...]]
    totals: tuple[Cell, ...] | None = None  # a bold last row; None when a total means nothing

    def column_values(self, key: str) -> list[Cell]:
        i = [c.key for c in self.columns].index(key)
        return [row[i] for row in self.rows]


@dataclass(frozen=True)
class Series:
    name: str  # translated legend label
    values: tuple[float, ...]


@dataclass(frozen=True)
class ChartSpec:
    """A chart described as data: drawn by ``actdesk.services.reports.charts.draw`` with matplotlib."""

    kind: ChartKind
    title: str
    labels: tuple[str, ...]  # categories (x for bars/lines, slices for a donut)
    series: tuple[Series, ...]
    unit: Unit = "number"
    y_label: str = ""  # the value axis, with its unit: "Revenue (USD)", "Households"
    x_label: str = ""  # the category axis when its labels need a name: "Days overdue"


@dataclass(frozen=True)
class Section:
    """One heading of a report: an optional note, a chart and/or a table; ``empty`` explains what data
    would fill it when there is nothing to show (then neither chart nor table is drawn)."""

    key: str  # stable, used for sheet and CSV names
    title: str
    table: Table | None = None
    chart: ChartSpec | None = None
    note: str = ""
    empty: str = ""

    @property
    def is_empty(self) -> bool:
        return bool(self.empty) or (self.table is None and self.chart is None)


@dataclass(frozen=True)
class Metric:
    """A headline figure shown above the sections (e.g. "Assets under management  $42.1M")."""

    label: str
    value: Cell
    kind: ColumnKind = "number"


@dataclass(frozen=True)
class ReportData:
    key: str
    title: str
    subtitle: str  # includes the as-of date
    as_of: date
    sections: list[Section]
    metrics: list[Metric] = field(default_factory=list)
    empty: str = ""  # the whole report has nothing to show yet: what would fill it

    @property
    def has_data(self) -> bool:
        return not self.empty and any(not s.is_empty for s in self.sections)


class ProgressSink(Protocol):
    """What builders and renderers report to: progress 0..1 and a cancellation check (raises to stop).

    The panel passes the task state of ``ctx.tasks.run_task``; the CLI passes ``NO_PROGRESS``."""

    def progress(self, fraction: float, message: str = "") -> None: ...

    def check(self) -> None: ...


class _NoProgress:
    def progress(self, fraction: float, message: str = "") -> None:
        return None

    def check(self) -> None:
        return None


NO_PROGRESS: ProgressSink = _NoProgress()


def table(
    columns: Sequence[Column], rows: Sequence[Sequence[Cell]], totals: Sequence[Cell] | None = None
) -> Table:
    return Table(tuple(columns), [tuple(r) for r in rows], None if totals is None else tuple(totals))
