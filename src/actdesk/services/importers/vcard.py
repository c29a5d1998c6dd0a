"""vCard 2.1, 3.0 and 4.0 as phones and mail programs really write them, in and out.

Reading is a tolerant line parser of our own rather than vobject: vobject stops at the first oddity of a
card (and was seen to fail on a third of real phone and Outlook exports), while an advisor needs every card
either imported or listed with the reason. Handled: folded lines, quoted-printable with soft line breaks and
any CHARSET (Android, Outlook 2.1), bare 2.1 type parameters, Apple item groups (``item1.EMAIL``), escaped
characters, several cards per file, Apple's year-less birthdays, group prefixes even on BEGIN/END
(``home.begin:vcard``), 8-bit values in the code page their ``CHARSET`` parameter names (Windows-1251, 1253...),
and files without one in the code page ``charset-normalizer`` identifies. Photos are ignored on purpose (the book has
no place for them) and counted, so the preview can say so. Writing produces vCard 3.0, which Apple, Google
and Outlook all read, with CRLF line ends and lines folded at 75 octets.
"""

from __future__ import annotations

import quopri
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from actdesk.i18n import _
from actdesk.services.importers.contacts_csv import ParsedContacts
from actdesk.services.importers.records import ContactRecord, Rejection, RowError, finish, lenient_date
from actdesk.services.importers.sniff import decode, decode_detail, legacy_encoding, read_bytes

_LINE_SPLIT = re.compile(r"\r\n|\r|\n")
PHOTO_PROPS = {"PHOTO", "LOGO", "SOUND", "KEY"}


@dataclass(slots=True)
class Property:
    line: int
    group: str | None
    name: str
    params: dict[str, list[str]]
    raw: str
    legacy: str | None = None  # the file was read byte for byte (Latin-1): decode values with this code page

    @property
    def types(self) -> set[str]:
        return {t.upper() for t in self.params.get("TYPE", [])}

    @property
    def preferred(self) -> bool:
        return "PREF" in self.types or "PREF" in self.params

    def text(self) -> str:
        return unescape(self.decoded())

    def components(self) -> list[str]:
        return [unescape(part) for part in split_unescaped(self.decoded(), ";")]

    def decoded(self) -> str:
        encoding = (self.params.get("ENCODING") or [""])[0].upper()
        charset = (self.params.get("CHARSET") or [""])[0]
        if encoding in ("QUOTED-PRINTABLE", "QP"):
            data = quopri.decodestring(self.raw.encode("latin-1", "replace"))
        elif self.legacy is not None:
            data = self.raw.encode("latin-1", "replace")
        else:
            return self.raw
        for candidate in (charset, "utf-8", self.legacy or "cp1252"):
            if not candidate:
                continue
            try:
                return data.decode(candidate)
            except (LookupError, UnicodeDecodeError):
                continue
        return data.decode("latin-1")


@dataclass(slots=True)
class Card:
    line: int
    properties: list[Property] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    closed: bool = False

    def all(self, name: str) -> list[Property]:
        return [p for p in self.properties if p.name == name]


def split_unescaped(value: str, sep: str) -> list[str]:
    parts, current, escaped = [], [], False
    for char in value:
        if escaped:
            current.append("\\" + char)
            escaped = False
        elif char == "\\":
            escaped = True
        elif char == sep:
            parts.append("".join(current))
            current = []
        else:
            current.append(char)
    if escaped:
        current.append("\\")
    parts.append("".join(current))
    return parts


def unescape(value: str) -> str:
    out, i = [], 0
    while i < len(value):
        char = value[i]
        if char == "\\" and i + 1 < len(value):
            nxt = value[i + 1]
            out.append("\n" if nxt in "nN" else nxt)
            i += 2
            continue
        out.append(char)
        i += 1
    return "".join(out)


def _parse_params(parts: list[str]) -> dict[str, list[str]]:
    params: dict[str, list[str]] = {}
    for part in parts:
        if not part:
            continue
        key, eq, value = part.partition("=")
        if not eq:  # vCard 2.1 bare parameter: HOME, CELL, QUOTED-PRINTABLE, BASE64, PREF
            bare = key.upper()
            if bare in ("QUOTED-PRINTABLE", "BASE64", "B", "8BIT", "7BIT"):
                params.setdefault("ENCODING", []).append(bare)
            else:
                params.setdefault("TYPE", []).append(bare)
            continue
        values = [v.strip('"') for v in value.split(",")]
        params.setdefault(key.upper(), []).extend(values)
    return params


def _logical_lines(text: str) -> Iterator[tuple[int, str]]:
    """Unfold: continuation lines start with a space or tab; quoted-printable lines end with a soft '='."""
    current: str | None = None
    start = 0
    soft = False
    for number, line in enumerate(_LINE_SPLIT.split(text), start=1):
        if current is not None and (soft or line[:1] in (" ", "\t")):
            current += line if soft else line[1:]
        else:
            if current is not None:
                yield start, current
            current, start = line, number
        head = current.split(":", 1)[0].upper()
        soft = ("QUOTED-PRINTABLE" in head or "ENCODING=QP" in head) and current.endswith("=")
        if soft:
            current = current[:-1]
    if current is not None:
        yield start, current


def _bare(upper: str) -> str:
    """ "HOME.BEGIN:VCARD" -> "BEGIN:VCARD": a group prefix some exporters put even on BEGIN and END."""
    head, colon, value = upper.partition(":")
    return head.rpartition(".")[2] + colon + value


def parse_cards(text: str, legacy: str | None = None) -> list[Card]:
    cards: list[Card] = []
    card: Card | None = None
    depth = 0
    last: Property | None = None
    for number, line in _logical_lines(text):
        if not line.strip():
            continue
        upper = _bare(line.strip().upper())
        if upper == "BEGIN:VCARD":
            if card is not None and depth == 0:
                card.problems.append(_("END:VCARD missing before the next card"))
                cards.append(card)
            if card is None or depth == 0:
                card, depth = Card(line=number), 0
            else:
                depth += 1
            last = None
            continue
        if card is None:
            continue
        if upper == "END:VCARD":
            if depth:
                depth -= 1
                continue
            card.closed = True
            cards.append(card)
            card = None
            continue
        if depth:
            continue
        head, colon, value = line.partition(":")
        if not colon:
            if last is not None and last.name in PHOTO_PROPS:
                continue  # unindented base64 continuation some exporters write
            card.problems.append(
                _("line {n}: not a vCard property ({text!r})").format(n=number, text=line[:40])
            )
            continue
        parts = head.split(";")
        group, _dot, name = parts[0].rpartition(".")
        last = Property(number, group or None, name.strip().upper(), _parse_params(parts[1:]), value, legacy)
        card.properties.append(last)
    if card is not None:
        card.problems.append(_("the card is not closed (END:VCARD missing; the file may be cut short)"))
        cards.append(card)
    return cards


def _pick(props: list[Property], prefer: tuple[str, ...] = ()) -> Property | None:
    usable = [p for p in props if p.text().strip()]
    if not usable:
        return None
    for wanted in prefer:
        for p in usable:
            if wanted in p.types:
                return p
    return next((p for p in usable if p.preferred), usable[0])


def card_to_record(card: Card) -> ContactRecord:
    if card.problems:
        raise RowError(card.problems[0])
    record = ContactRecord(line=card.line)
    n = _pick(card.all("N"))
    if n is not None:
        comps = [*n.components(), "", ""]
        record.last_name, record.first_name = comps[0], comps[1]
    full = _pick(card.all("FN"))
    email = _pick(card.all("EMAIL"))
    record.email = email.text() if email else None
    tel = _pick(card.all("TEL"), prefer=("CELL",))
    record.phone = tel.text() if tel else None
    bday = _pick(card.all("BDAY"))
    record.birth_date = lenient_date(record, bday.text(), "ymd") if bday else None
    title = _pick(card.all("TITLE")) or _pick(card.all("ROLE"))
    record.occupation = title.text() if title else None
    adr = _pick(card.all("ADR"), prefer=("HOME",))
    if adr is not None:
        comps = [*adr.components(), *([""] * 7)]
        pobox, extended, street = comps[0].strip(), comps[1], comps[2]
        if pobox and pobox.isdigit():
            pobox = f"PO Box {pobox}"
        record.address = ", ".join(v for v in (street, extended, pobox) if v.strip()) or None
        record.city, record.region, record.postal_code, record.country = comps[3:7]
    return finish(record, full.text() if full else None)  # only an e-mail: the same rule as a CSV row


def parse_vcards(text: str, legacy: str | None = None) -> ParsedContacts:
    records: list[ContactRecord] = []
    rejected: list[Rejection] = []
    warnings: list[Rejection] = []
    photos = 0
    cards = parse_cards(text, legacy)
    for card in cards:
        photos += any(p.name == "PHOTO" for p in card.properties)
        try:
            record = card_to_record(card)
            records.append(record)
            warnings.extend(Rejection(card.line, w, record.display_name) for w in record.warnings)
        except RowError as exc:
            fn = next((p.text() for p in card.all("FN")), "")
            rejected.append(Rejection(card.line, str(exc), fn[:80]))
    notes: list[str] = []
    if not cards:
        from actdesk.services.importers.errors import ImportFileError

        raise ImportFileError(_("no vCard found in the file (no BEGIN:VCARD line)"))
    if photos:
        notes.append(f"photos:{photos}")
    return ParsedContacts(records, rejected, source="vcard", notes=tuple(notes), warnings=warnings)


_CHARSET = re.compile(rb";CHARSET=\"?([A-Za-z0-9_.-]+)", re.IGNORECASE)


def read_vcard_bytes(data: bytes) -> ParsedContacts:
    """Cards from bytes. UTF-8 (and UTF-16 with a BOM) are read as text; a file in a legacy code page is read
    byte for byte and each value decoded by its own CHARSET parameter, else by the file's identified code page
    (reported, with a warning when the identification is uncertain)."""
    text, encoding, note = decode_detail(data)
    legacy: str | None = None
    charsets = sorted({m.decode("ascii").lower() for m in _CHARSET.findall(data)} - {"utf-8", "us-ascii"})
    if not encoding.startswith("utf"):
        if charsets:  # the file's own words first: the guess only covers values without a CHARSET
            legacy, note = legacy_encoding(_without_charset_values(data))[0], None
        else:
            legacy = encoding
        text = data.decode("latin-1")
        encoding = ", ".join(dict.fromkeys([*charsets, legacy])) if charsets else legacy
    parsed = parse_vcards(text, legacy)
    parsed.encoding = encoding
    if note:
        parsed.warnings.insert(0, Rejection(0, note))
    return parsed


def _without_charset_values(data: bytes) -> bytes:
    """The file without the lines whose CHARSET parameter says how to read them (for guessing the rest)."""
    lines = data.splitlines()
    rest = b"\n".join(line for line in lines if not _CHARSET.search(line.split(b":", 1)[0]))
    return rest or data


def read_vcards(path: Path) -> ParsedContacts:
    return read_vcard_bytes(read_bytes(path))


def looks_like_vcard(path: Path) -> bool:
    try:
        with path.open("rb") as fh:
            head = fh.read(4096)
    except OSError:
        return False
    text, _enc = decode(head[: len(head) - len(head) % 2] if head[:2] in (b"\xff\xfe", b"\xfe\xff") else head)
    return "BEGIN:VCARD" in text.upper()


# ---- writing -------------------------------------------------------------------------------------


def escape(value: str) -> str:
    return (
        value.replace("\\", "\\\\").replace(",", "\\,").replace(";", "\\;").replace("\r\n", "\n")
    ).replace("\n", "\\n")


def fold(line: str, limit: int = 75) -> str:
    """Fold at 75 octets without splitting a UTF-8 character (RFC 6350 3.2)."""
    out: list[str] = []
    current: list[str] = []
    size = 0
    for char in line:
        width = len(char.encode("utf-8"))
        if size + width > limit:
            out.append("".join(current))
            current, size = [" "], 1
        current.append(char)
        size += width
    out.append("".join(current))
    return "\r\n".join(out)


def card_lines(values: dict[str, object], uid: str | None = None) -> list[str]:
    def s(key: str) -> str:
        value = values.get(key)
        return "" if value is None else str(value)

    first, last = s("first_name"), s("last_name")
    lines = ["BEGIN:VCARD", "VERSION:3.0", f"N:{escape(last)};{escape(first)};;;"]
    lines.append(f"FN:{escape(f'{first} {last}'.strip())}")
    if s("email"):
        lines.append(f"EMAIL;TYPE=INTERNET,PREF:{escape(s('email'))}")
    if s("phone"):
        lines.append(f"TEL;TYPE=CELL:{escape(s('phone'))}")
    birth = values.get("birth_date")
    if isinstance(birth, date):
        lines.append(f"BDAY:{birth.isoformat()}")
    if any(s(k) for k in ("address", "city", "region", "postal_code", "country")):
        parts = [escape(s(k)) for k in ("address", "city", "region", "postal_code", "country")]
        lines.append("ADR;TYPE=HOME:;;" + ";".join(parts))
    if s("occupation"):
        lines.append(f"TITLE:{escape(s('occupation'))}")
    if uid:
        lines.append(f"UID:{escape(uid)}")
    lines.append("END:VCARD")
    return lines


def write_vcards(contacts: Iterable[tuple[str | None, dict[str, object]]]) -> str:
    """Text of a .vcf file with one vCard 3.0 per contact (uid, values)."""
    return "".join(fold(line) + "\r\n" for uid, values in contacts for line in card_lines(values, uid))


__all__ = ["parse_vcards", "read_vcards", "write_vcards"]
