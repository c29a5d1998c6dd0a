"""Reading and checking the files of the open book format, before anything is written.

Every cell is parsed and every rule checked (types, allowed values, required cells, duplicate keys, references
between files, a former client without a leaving reason); problems are collected with file, line and column.
Parsed rows of small files are kept for the write step; large files are read again then (constant memory).
"""

from __future__ import annotations

import csv
from array import array
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from actdesk.services.book_format.codec import parser
from actdesk.services.book_format.schema import Column, FileSpec, Kind

KEEP_ROWS = 200_000
Row = dict[str, Any]


@dataclass(frozen=True)
class Issue:
    """One problem in one cell (line 0 = the file as a whole, column "" = the whole row)."""

    file: str
    line: int
    column: str
    reason: str

    def __str__(self) -> str:
        where = self.file if not self.line else f"{self.file}:{self.line}"
        return f"{where}: {self.column}: {self.reason}" if self.column else f"{where}: {self.reason}"


class TooManyIssues(Exception):
    pass


@dataclass
class FileScan:
    """What validation learned about one file."""

    spec: FileSpec
    path: Path | None
    rows: int = 0
    ids: set[int] = field(default_factory=set)
    max_id: int = 0
    columns: list[Column] = field(default_factory=list)
    kept: list[tuple[int, Row]] | None = field(default_factory=list)


class Collector:
    def __init__(self, limit: int) -> None:
        self.limit = limit
        self.issues: list[Issue] = []
        self.notices: list[str] = []

    def add(self, file: str, line: int, column: str, reason: str) -> None:
        self.issues.append(Issue(file, line, column, reason))
        if len(self.issues) >= self.limit:
            raise TooManyIssues


def open_rows(path: Path) -> tuple[list[str], Iterator[list[str]], Callable[[], int]]:
    """Header, the remaining records and a function giving the current line number (BOM tolerated)."""
    fh = path.open("r", encoding="utf-8-sig", newline="")
    reader = csv.reader(fh)
    try:
        header = next(reader, [])
    except BaseException:
        fh.close()
        raise

    def records() -> Iterator[list[str]]:
        try:
            yield from reader
        finally:
            fh.close()

    return [name.strip() for name in header], records(), lambda: reader.line_num


def _header(spec: FileSpec, header: list[str], out: Collector) -> list[tuple[int, Column]]:
    known = {c.name: c for c in spec.columns}
    seen: set[str] = set()
    positions: list[tuple[int, Column]] = []
    for index, name in enumerate(header):
        if name in seen:
            out.add(spec.filename, 1, name, "column appears twice in the header")
            continue
        seen.add(name)
        if name in known:
            positions.append((index, known[name]))
        elif name:
            out.notices.append(f"{spec.filename}: column {name!r} is not part of the format and was ignored")
    for col in spec.columns:
        if col.required and col.name not in seen:
            out.add(spec.filename, 1, col.name, "required column missing from the header")
    return positions


def scan_file(spec: FileSpec, path: Path, scans: dict[str, FileScan], out: Collector) -> FileScan:
    scan = FileScan(spec, path)
    try:
        header, records, line_number = open_rows(path)
    except UnicodeDecodeError as exc:
        out.add(spec.filename, 1, "", f"not UTF-8 text ({exc.reason})")
        return scan
    except csv.Error as exc:
        out.add(spec.filename, 1, "", f"not a readable CSV file ({exc})")
        return scan
    if not header:
        out.add(spec.filename, 0, "", "empty file: a header row is required")
        return scan
    positions = _header(spec, header, out)
    scan.columns = [col for _i, col in positions]
    mapped: dict[tuple[str, str, str], int] = {}  # (column, text, value) -> rows read leniently

    def noter(column: str) -> Callable[[str, str], None]:
        def note(text: str, value: str) -> None:
            mapped[(column, text, value)] = mapped.get((column, text, value), 0) + 1

        return note

    parsers = [(i, col, parser(col, noter(col.name))) for i, col in positions]
    width = len(header)
    check_row = ROW_RULES.get(spec.name)
    id_index = next((k for k, (_i, col, _p) in enumerate(parsers) if col.name == "id"), None)
    fields = [
        (
            i,
            col.name,
            parse,
            col.required,
            col.kind is Kind.TEXT,
            scans[col.references].ids if col.references else None,
            col.references,
            col.default,
        )
        for i, col, parse in parsers
    ]
    balance_keys = array("q")
    balance_lines = array("q")
    tuple_keys: dict[tuple[Any, ...], int] = {}
    name = spec.filename
    try:
        for record in records:
            line = line_number()
            if len(record) != width:
                if not any(cell.strip() for cell in record):
                    continue
                out.add(name, line, "", f"expected {width} cells as in the header, found {len(record)}")
                continue
            row: Row = {}
            good = True
            for index, column, parse, required, is_text, ref_ids, ref_file, default in fields:
                cell = record[index]
                if not is_text:
                    cell = cell.strip()
                if not cell or (required and is_text and not cell.strip()):
                    if required:
                        out.add(name, line, column, "required value missing")
                        good = False
                    else:
                        row[column] = default
                    continue
                try:
                    value = parse(cell)
                except ValueError as exc:
                    out.add(name, line, column, str(exc))
                    good = False
                    continue
                if ref_ids is not None and value not in ref_ids:
                    out.add(name, line, column, f"no row with id {value} in {ref_file}.csv")
                    good = False
                row[column] = value
            if not good:
                if isinstance(row.get("id"), int):
                    scan.ids.add(row["id"])  # so that rows referring to it do not add noise
                continue
            if id_index is not None and row.get("id") is not None:
                ident = row["id"]
                if ident in scan.ids:
                    out.add(name, line, "id", f"duplicate id {ident}")
                    continue
                scan.ids.add(ident)
                scan.max_id = max(scan.max_id, ident)
            if spec.name == "balances":
                balance_keys.append(row["account_id"] * 4_194_304 + row["date"].toordinal())
                balance_lines.append(line)
            elif spec.key != ("id",):
                key = tuple(row.get(k) for k in spec.key)
                if key in tuple_keys:
                    out.add(name, line, "", f"duplicate of line {tuple_keys[key]} ({', '.join(spec.key)})")
                    continue
                tuple_keys[key] = line
            if check_row is not None:
                for column, reason in check_row(row):
                    out.add(name, line, column, reason)
                    good = False
            if not good:
                continue
            scan.rows += 1
            if scan.kept is not None:
                scan.kept.append((line, row))
                if len(scan.kept) > KEEP_ROWS:
                    scan.kept = None
    finally:
        records.close()  # type: ignore[attr-defined]
    for (column, text, value), count in sorted(mapped.items()):
        out.notices.append(
            f"{name}: {column} {text!r} read as {value!r} ({count} row{'s' if count != 1 else ''})"
        )
    if spec.name == "balances":
        _duplicate_balances(name, balance_keys, balance_lines, out)
    return scan


def _duplicate_balances(name: str, keys: array[int], lines: array[int], out: Collector) -> None:
    """Duplicates among millions of (account, date) pairs, found with one sort instead of a huge set."""
    if len(keys) < 2:
        return
    values = np.frombuffer(keys, dtype=np.int64)
    order = np.argsort(values, kind="stable")
    ordered = values[order]
    repeats = np.nonzero(ordered[1:] == ordered[:-1])[0]
    line_numbers = np.frombuffer(lines, dtype=np.int64)
    for position in repeats:
        first = int(line_numbers[order[position]])
        again = int(line_numbers[order[position + 1]])
        out.add(name, again, "date", f"a balance for this account and date is already on line {first}")


def _household_rules(row: Row) -> list[tuple[str, str]]:
    problems: list[tuple[str, str]] = []
    status = row.get("status")
    since, until = row.get("client_since"), row.get("client_until")
    if status == "former_client":
        if not row.get("leaving_reason") or not str(row["leaving_reason"]).strip():
            problems.append(("leaving_reason", "a former client needs a leaving reason"))
        if until is None:
            problems.append(("client_until", "a former client needs the date the relationship ended"))
    if status in ("client", "former_client") and since is None:
        problems.append(
            ("client_since", f"a {status.replace('_', ' ')} needs the date the relationship began")
        )
    if since is not None and until is not None and until < since:
        problems.append(("client_until", "ends before client_since"))
    if status == "prospect" and since is not None:
        problems.append(
            (
                "client_since",
                "a prospect cannot have client_since: if it is a client, set status to client (or "
                "former_client); if not, leave client_since empty",
            )
        )
    return problems


def _period_rules(row: Row) -> list[tuple[str, str]]:
    end = row.get("end")
    return [("end", "ends before start")] if end is not None and end < row["start"] else []


def check_periods(scans: dict[str, FileScan], out: Collector) -> None:
    """Across files: a household's earlier periods end on or before its client_since (its latest period,
    which households.csv holds) and do not overlap one another."""
    periods, households = scans.get("client_periods"), scans.get("households")
    if periods is None or periods.path is None or households is None or households.kept is None:
        return
    if periods.kept is None:
        return
    since = {row["id"]: row.get("client_since") for _line, row in households.kept}
    last_end: dict[int, Any] = {}
    name = periods.spec.filename
    for line, row in sorted(periods.kept, key=lambda kept: (kept[1]["household_id"], kept[1]["start"])):
        hid, start, end = row["household_id"], row["start"], row.get("end")
        latest = since.get(hid)
        if latest is None or start >= latest:
            continue  # the latest period (households.csv wins) or a household that is not a client
        if end is None or end > latest:
            out.add(name, line, "end", f"an earlier period must end on or before client_since ({latest})")
        elif hid in last_end and start < last_end[hid]:
            out.add(name, line, "start", "overlaps the household's previous period")
        last_end[hid] = end


ROW_RULES: dict[str, Callable[[Row], list[tuple[str, str]]]] = {
    "households": _household_rules,
    "client_periods": _period_rules,
}
