"""Read a file the way other programs wrote it: encoding, delimiter and quoted multi-line fields.

Real exports come as UTF-8 with or without a byte-order mark, UTF-16 with a BOM (Outlook, Excel "Unicode
text"), or a legacy code page (older Outlook and Excel on Windows: Windows-1252 in Western Europe and the
Americas, Windows-1251 for Cyrillic, 1253 for Greek...). Files that are not UTF-8 are identified with
``charset-normalizer``; a guess it is not sure of is reported, never silent. Delimiters are commas,
semicolons (European Excel) or tabs.
"""

from __future__ import annotations

import codecs
import csv
import io
import re
import unicodedata
from dataclasses import dataclass, replace
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
    warnings: tuple[str, ...] = ()  # about the whole file (an uncertain encoding guess)


def decode(data: bytes) -> tuple[str, str]:
    """Text and the encoding it was read with. Never guesses silently wrong on BOM-marked files."""
    text, encoding, _note = decode_detail(data)
    return text, encoding


_WORD = re.compile(r"[^\W\d_]+")


def _script(ch: str) -> str:
    return unicodedata.name(ch, "?").split(" ")[0] if ord(ch) > 127 else "LATIN"


def _penalty(text: str) -> int:
    """How implausible a decoding looks: words mixing scripts ("Lefиvre") and symbols inside words."""
    bad = sum(ch in "÷×¤¦§¨©ª«¬®¯°±²³´µ¶·¸¹º»¼½¾¿" for ch in text)
    for word in _WORD.findall(text):
        scripts = {_script(ch) for ch in word}
        if len(scripts) > 1:
            bad += 1
        elif scripts == {"LATIN"} and len(word) >= 3 and sum(ord(ch) > 127 for ch in word) * 2 > len(word):
            bad += 1  # "Ãéþñãïò": Latin words are mostly plain letters; this is another alphabet misread
    return bad


def legacy_encoding(data: bytes) -> tuple[str, str | None]:
    """The code page of bytes that are not UTF-8, and a note when the guess is uncertain.

    ``charset-normalizer`` proposes code pages; the one whose text reads most plausibly (no words mixing
    alphabets) wins, Windows-1252 first on a tie (what Outlook and Excel write in the Americas and Western
    Europe). When code pages of different alphabets read equally well (a short Greek or Cyrillic sample), the
    choice is reported as a guess.
    """
    sample = data[:65_536]  # enough text to tell code pages apart; detection cost grows with the sample
    candidates = ["cp1252"]
    try:
        from charset_normalizer import from_bytes

        candidates += [r.encoding for r in from_bytes(sample)]
    except ImportError:  # pragma: no cover - a dependency
        pass
    candidates += ["cp1250", "cp1251", "cp1253", "cp1254", "cp1257"]  # the other Windows code pages
    scored: list[tuple[int, int, str, str]] = []
    for order, encoding in enumerate(dict.fromkeys(candidates)):
        try:
            text = sample.decode(encoding)
        except (UnicodeDecodeError, LookupError):
            continue
        letters = [_script(ch) for ch in text if ord(ch) > 127 and ch.isalpha()]
        family = max(set(letters), key=letters.count) if letters else "LATIN"
        scored.append((_penalty(text), order, encoding, family))
    if not scored:
        return "latin-1", None
    scored.sort()
    best = scored[0]
    rivals = {family for penalty, _o, _e, family in scored if penalty == best[0]}
    note = None
    if len(rivals) > 1:
        note = _(
            "the file's character set is a guess ({encoding}); check the names in the preview, or save the file "
            "as UTF-8 and import it again"
        ).format(encoding=best[2])
    return best[2], note


def decode_detail(data: bytes) -> tuple[str, str, str | None]:
    """Text, encoding, and a note for the user when the encoding was guessed without certainty."""
    if data.startswith(codecs.BOM_UTF8):
        return _strict(data[3:], "utf-8"), "utf-8-sig", None
    if data.startswith(codecs.BOM_UTF16_LE):
        return _strict(data[2:], "utf-16-le"), "utf-16-le", None
    if data.startswith(codecs.BOM_UTF16_BE):
        return _strict(data[2:], "utf-16-be"), "utf-16-be", None
    sample = data[:4000]
    if len(sample) >= 4 and sample.count(0) * 3 >= len(sample):
        # UTF-16 without a BOM: every other byte of ASCII text is zero.
        even_zeros = sample[0::2].count(0)
        odd_zeros = sample[1::2].count(0)
        encoding = "utf-16-le" if odd_zeros > even_zeros else "utf-16-be"
        return _strict(data[: len(data) - len(data) % 2], encoding), encoding, None
    try:
        return data.decode("utf-8"), "utf-8", None
    except UnicodeDecodeError:
        pass
    encoding, note = legacy_encoding(data)
    return data.decode(encoding, errors="replace"), encoding, note


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


def read_bytes(path: Path) -> bytes:
    try:
        return path.read_bytes()
    except OSError as exc:
        raise ImportFileError(
            _("cannot read {path}: {error}").format(path=path, error=exc.strerror or exc)
        ) from None


def read_text(path: Path) -> tuple[str, str]:
    return decode(read_bytes(path))


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
    text, encoding, note = decode_detail(read_bytes(path))
    table = parse_csv(text, delimiter, encoding)
    return table if note is None else replace(table, warnings=(note,))
