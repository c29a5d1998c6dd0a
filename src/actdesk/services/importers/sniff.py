"""Read a file the way other programs wrote it: encoding, delimiter and quoted multi-line fields.

Real exports come as UTF-8 with or without a byte-order mark, UTF-16 with a BOM (Outlook, Excel "Unicode
text"), or Windows-1252 (older Outlook and Excel on Windows). Delimiters are commas, semicolons (European
Excel) or tabs.
"""

from __future__ import annotations

import codecs
import csv
import io
from dataclasses import dataclass
from pathlib import Path

from actdesk.i18n import _
from actdesk.services.importers.errors import ImportFileError

DELIMITERS = (",", ";", "\t")
MAX_FIELD = 1_000_000


@dataclass(frozen=True, slots=True)
class CsvTable:
    """A parsed table: header names and rows, each with the line number where its record starts."""

    encoding: str
    delimiter: str
    headers: tuple[str, ...]
    rows: tuple[tuple[int, tuple[str, ...]], ...]


def decode(data: bytes) -> tuple[str, str]:
    """Text and the encoding it was read with. Never guesses silently wrong on BOM-marked files."""
    if data.startswith(codecs.BOM_UTF8):
        return _strict(data[3:], "utf-8"), "utf-8-sig"
    if data.startswith(codecs.BOM_UTF16_LE):
        return _strict(data[2:], "utf-16-le"), "utf-16-le"
    if data.startswith(codecs.BOM_UTF16_BE):
        return _strict(data[2:], "utf-16-be"), "utf-16-be"
    sample = data[:4000]
    if len(sample) >= 4 and sample.count(0) * 3 >= len(sample):
        # UTF-16 without a BOM: every other byte of ASCII text is zero.
        even_zeros = sample[0::2].count(0)
        odd_zeros = sample[1::2].count(0)
        encoding = "utf-16-le" if odd_zeros > even_zeros else "utf-16-be"
        return _strict(data[: len(data) - len(data) % 2], encoding), encoding
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("cp1252"), "cp1252"
    except UnicodeDecodeError:
        return data.decode("latin-1"), "latin-1"


def _strict(data: bytes, encoding: str) -> str:
    try:
        return data.decode(encoding)
    except UnicodeDecodeError as exc:
        raise ImportFileError(
            _(
                "the file says it is {encoding} but byte {n} is not valid {encoding}; "
                "save it again as UTF-8 and retry"
            ).format(encoding=encoding.upper(), n=exc.start)
        ) from None


def read_text(path: Path) -> tuple[str, str]:
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise ImportFileError(
            _("cannot read {path}: {error}").format(path=path, error=exc.strerror or exc)
        ) from None
    return decode(data)


def guess_delimiter(text: str) -> str:
    """The delimiter that splits the header line into the most cells (quotes respected)."""
    first = next((line for line in text.splitlines() if line.strip()), "")
    best, best_count = ",", 0
    for delimiter in DELIMITERS:
        count = _count_outside_quotes(first, delimiter)
        if count > best_count:
            best, best_count = delimiter, count
    return best


def _count_outside_quotes(line: str, delimiter: str) -> int:
    count, quoted = 0, False
    for char in line:
        if char == '"':
            quoted = not quoted
        elif char == delimiter and not quoted:
            count += 1
    return count


def parse_csv(text: str, delimiter: str | None = None, encoding: str = "utf-8") -> CsvTable:
    """Headers and rows; blank rows skipped; line numbers are those a text editor shows (header = 1)."""
    if "\x00" in text:
        raise ImportFileError(_("the file contains NUL bytes: it is not a text (CSV) file"))
    delimiter = delimiter or guess_delimiter(text)
    csv.field_size_limit(MAX_FIELD)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=False)
    headers: tuple[str, ...] | None = None
    rows: list[tuple[int, tuple[str, ...]]] = []
    next_line = 1
    try:
        for record in reader:
            start, next_line = next_line, reader.line_num + 1
            if not "".join(record).strip():
                continue
            if headers is None:
                headers = tuple(_unique_headers(record))
                continue
            rows.append((start, tuple(record)))
    except csv.Error as exc:
        raise ImportFileError(
            _("line {n}: not readable as CSV ({error})").format(n=next_line, error=exc)
        ) from None
    if headers is None:
        raise ImportFileError(_("the file is empty: no header line was found"))
    return CsvTable(encoding=encoding, delimiter=delimiter, headers=headers, rows=tuple(rows))


def _unique_headers(record: list[str]) -> list[str]:
    seen: dict[str, int] = {}
    result = []
    for cell in record:
        name = cell.strip().strip("\ufeff")
        if name in seen:
            seen[name] += 1
            name = f"{name} ({seen[name]})"
        else:
            seen[name] = 1
        result.append(name)
    return result


def read_csv(path: Path, delimiter: str | None = None) -> CsvTable:
    text, encoding = read_text(path)
    return parse_csv(text, delimiter, encoding)
