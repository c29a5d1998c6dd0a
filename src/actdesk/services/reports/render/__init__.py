"""Writing a ``ReportData`` to a file: PDF, Excel, CSV, and charts to PNG/SVG.

Every writer writes to a temporary file in the target's folder and renames it into place, so a failed
or cancelled export never leaves a half-written file (and never clobbers an older good one).
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

from actdesk import paths
from actdesk.i18n import _
from actdesk.services.reports.model import NO_PROGRESS, ChartSpec, ProgressSink, ReportData

REPORT_FORMATS = ("pdf", "xlsx", "csv")
CHART_FORMATS = ("png", "svg")


class ExportError(Exception):
    """The file could not be written (folder missing, no permission...): one clear line for people."""


@dataclass(frozen=True)
class PageSetup:
    practice_name: str
    paper: str = "letter"  # or "a4"


@contextlib.contextmanager
def atomic_path(target: Path) -> Iterator[Path]:
    """A temporary path next to ``target``, renamed onto it only if the block succeeds (actdesk.paths'
    atomic write), with the reasons a folder refuses a file as export errors."""
    folder = target.parent
    if not folder.is_dir():
        raise ExportError(_("The folder {folder} does not exist.").format(folder=folder))
    try:
        with paths.atomic_path(target) as tmp:
            yield tmp
    except OSError as exc:
        raise ExportError(
            _("Cannot write {path}: {reason}").format(path=target, reason=exc.strerror or exc)
        ) from None


def export_report(
    report: ReportData,
    fmt: str,
    target: Path,
    setup: PageSetup,
    progress: ProgressSink = NO_PROGRESS,
    *,
    guard: bool = True,
) -> Path:
    """Write ``report`` as ``fmt`` (pdf, xlsx, csv) to ``target``; ``guard`` quotes formula-like CSV cells."""
    writers: dict[str, Callable[[Path], None]] = {}
    if fmt == "pdf":
        from actdesk.services.reports.render.pdf import write_pdf

        writers[fmt] = lambda p: write_pdf(report, p, setup, progress)
    elif fmt == "xlsx":
        from actdesk.services.reports.render.xlsx import write_xlsx

        writers[fmt] = lambda p: write_xlsx(report, p, setup, progress)
    elif fmt == "csv":
        from actdesk.services.reports.render.csv_out import write_csv

        writers[fmt] = lambda p: write_csv(report, p, progress, guard=guard)
    else:
        raise ExportError(
            _("Unknown format {fmt!r}: choose one of {choices}.").format(
                fmt=fmt, choices=", ".join(REPORT_FORMATS)
            )
        )
    with atomic_path(target) as tmp:
        writers[fmt](tmp)
    return target


def load_writer(fmt: str) -> None:
    """Import the writer of ``fmt`` and what it needs now rather than when it writes (the command line loads
    them with the book while the garbage collector is paused, ``gc_tuning.loading``)."""
    if fmt == "pdf":
        from actdesk.services.reports.render.pdf import load_pdf_writer

        load_pdf_writer()
    elif fmt == "xlsx":
        from actdesk.services.reports.render.xlsx import load_xlsx_writer

        load_xlsx_writer()
    elif fmt == "csv":
        import actdesk.services.reports.render.csv_out  # noqa: F401


def export_chart(spec: ChartSpec, fmt: str, target: Path) -> Path:
    """One chart as PNG or SVG."""
    if fmt not in CHART_FORMATS:
        raise ExportError(
            _("Unknown format {fmt!r}: choose one of {choices}.").format(
                fmt=fmt, choices=", ".join(CHART_FORMATS)
            )
        )
    from actdesk.services.reports.charts import save_chart

    with atomic_path(target) as tmp:
        save_chart(spec, str(tmp), fmt)
    return target
