"""RFC 5545 content lines: folding to 75 octets on the way out, and a line-by-line check on the way in that
splits a file into components with the physical line numbers a person can look up."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

FOLD_OCTETS = 75
# name *(";" param) ":" value, where a parameter value may be quoted (and hold ":" or ";" inside quotes)
_CONTENT_LINE = re.compile(
    r'^[A-Za-z0-9-]+(?:;[A-Za-z0-9-]+=(?:"[^"]*"|[^";:,]*)(?:,(?:"[^"]*"|[^";:,]*))*)*:', re.ASCII
)


def fold(line: str) -> bytes:
    """One content line as CRLF-terminated octets, folded so that no physical line exceeds 75 octets and no
    UTF-8 character is split."""
    out = bytearray()
    current = bytearray()
    limit = FOLD_OCTETS
    for ch in line:
        encoded = ch.encode("utf-8")
        if len(current) + len(encoded) > limit:
            out += current + b"\r\n"
            current = bytearray(b" ")
            limit = FOLD_OCTETS
        current += encoded
    out += current + b"\r\n"
    return bytes(out)


def unfold(text: str) -> list[tuple[int, str]]:
    """Logical lines with the (1-based) physical line each starts on; accepts CRLF or bare LF."""
    logical: list[tuple[int, str]] = []
    for number, raw in enumerate(text.replace("\r\n", "\n").replace("\r", "\n").split("\n"), start=1):
        if raw[:1] in (" ", "\t") and logical:
            start, previous = logical[-1]
            logical[-1] = (start, previous + raw[1:])
        elif raw.strip():
            logical.append((number, raw))
    return logical


def refold(ical: bytes) -> bytes:
    """Re-emit a serialised calendar with CRLF endings and 75-octet folding, whatever the writer did."""
    text = ical.decode("utf-8")
    return b"".join(fold(line) for _number, line in unfold(text))


def well_formed(line: str) -> bool:
    return bool(_CONTENT_LINE.match(line))


@dataclass
class Block:
    """One component (VEVENT, VTODO, VTIMEZONE...) of the file, as its logical lines."""

    name: str
    first_line: int
    lines: list[tuple[int, str]] = field(default_factory=list)
    bad_lines: list[int] = field(default_factory=list)

    def text(self) -> str:
        return "".join(line + "\r\n" for _n, line in self.lines)


@dataclass
class Scan:
    blocks: list[Block]
    problems: list[tuple[int | None, str]]  # structural problems outside any event: (line, message)
    is_calendar: bool


def scan(text: str) -> Scan:
    """Split the file into its top-level components, noting malformed lines and unbalanced BEGIN/END."""
    lines = unfold(text)
    problems: list[tuple[int | None, str]] = []
    if lines and lines[0][1].strip().upper() in ("BEGIN:VEVENT", "BEGIN:VTODO"):
        # A bare event (some mail programs attach one without VCALENDAR): unambiguous, read as if wrapped.
        lines = [(0, "BEGIN:VCALENDAR"), *lines, (lines[-1][0], "END:VCALENDAR")]
    if not lines or lines[0][1].strip().upper() != "BEGIN:VCALENDAR":
        return Scan([], [(1, "not_calendar")], False)
    blocks: list[Block] = []
    stack: list[str] = []
    current: Block | None = None
    for number, line in lines:
        upper = line.strip().upper()
        if upper.startswith("BEGIN:"):
            name = upper[6:]
            if len(stack) == 1:
                current = Block(name, number)
                blocks.append(current)
            stack.append(name)
            if current is not None:
                current.lines.append((number, line))
            continue
        elif upper.startswith("END:"):
            name = upper[4:]
            if not stack or stack[-1] != name:
                target = current if current is not None and len(stack) > 1 else None
                if target is not None:
                    target.bad_lines.append(number)
                else:
                    problems.append((number, "unbalanced"))
                continue
            stack.pop()
            if current is not None:
                current.lines.append((number, line))
            if len(stack) == 1:
                current = None
            continue
        elif not well_formed(line):
            if current is not None:
                current.bad_lines.append(number)
            else:
                problems.append((number, "malformed"))
            continue
        if current is not None:
            current.lines.append((number, line))
    if stack:
        if current is not None:
            current.bad_lines.append(lines[-1][0])
        problems.append((lines[-1][0], "truncated"))
    return Scan(blocks, problems, True)
