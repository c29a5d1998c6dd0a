"""Read a client's reply to the questionnaire back into answers, reporting anything it cannot be sure of.

Works on the reply's plain text (an HTML-only reply is converted first): answers may be filled in inside the
quoted original (``> 2. [x] Marriage``), top-posted above it (``2. [x] Marriage`` or the short ``2. x
14/06/2026``), in English or Spanish. Every numbered line is an *occurrence* of a question; the occurrences of
one question are combined, and anything contradictory, unreadable or unknown becomes an ``Issue``: the parser
never guesses and never moves an answer to another question.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from difflib import SequenceMatcher

from actdesk.domain.engagement.dates import read_date
from actdesk.domain.engagement.questionnaire import LABELS, TOKEN_RE, Questionnaire, find_tokens
from actdesk.i18n import N_, _

_QUOTE = re.compile(r"^[ \t]*(?:>[ \t]?)+")
_QLINE = re.compile(r"^\s*(\d{1,3})\s*[.):]\s*(\S.*)?$")
_ALL_LABELS = {v.lower(): k for labels in LABELS.values() for k, v in labels.items()} | {
    "note": "notes",
    "nota": "notes",
}
_LABEL = re.compile(r"^\s*(" + "|".join(sorted(_ALL_LABELS, key=len, reverse=True)) + r")\s*:\s*(.*)$", re.I)
_INLINE_LABEL = re.compile(r"\b(" + "|".join(sorted(_ALL_LABELS, key=len, reverse=True)) + r")\s*:", re.I)
_SLOT = re.compile(r"^\[([^\]\n]{0,8})\]\s*(.*)$")
_SHORT_YES = re.compile(r"^(x|✓|✔|yes|s[ií])\b[\s,:;.\-–—]*(.*)$", re.I)
_SHORT_NO = re.compile(r"^(no)\b[\s,:;.\-–—]*(.*)$", re.I)
_ATTRIBUTION = re.compile(
    r"^(on .+ wrote:|el .+ escribi[oó]:|-+ ?original message ?-+|from: |de: |sent: |enviado: )", re.I
)
# Outlook does not quote the original under a top-posted reply: a rule line or "-----Original Message-----",
# or a From:/Sent: block, starts it. Everything below is the advisor's own message, not the client's words.
_ORIGINAL_SEPARATOR = re.compile(r"^(_{10,}|-{3,} ?(original message|mensaje original) ?-{3,})$", re.I)
_HEADER_FROM = re.compile(r"^(from|de)\s*:", re.I)
_HEADER_NEXT = re.compile(r"^(sent|enviado|date|fecha|to|para)\s*:", re.I)
_STOP_WORDS = {"a", "an", "the", "or", "and", "in", "of", "to", "un", "una", "el", "la", "o", "y", "en", "de"}
YES_MARKS = {"x", "✓", "✔", "*", "yes", "si", "sí", "y", "s"}
NO_MARKS = {"no", "-", "n"}
SIMILAR = 0.75

ISSUE_TEXT = {
    "unknown_question": N_("Answer to question {n}, which the questionnaire does not have: {text}"),
    "question_mismatch": N_("Question {n} does not read like this questionnaire's question {n}: {text}"),
    "conflict": N_("Question {n} has contradictory answers: {text}"),
    "no_date": N_("Question {n} is marked, but without a date"),
    "date_ambiguous": N_("Question {n}: the date {text} could be read two ways (day/month or month/day)"),
    "date_unreadable": N_("Question {n}: the date could not be read: {text}"),
    "date_invalid": N_("Question {n}: there is no such date: {text}"),
    "garbled": N_("Question {n}: the answer could not be read: {text}"),
    "missing": N_("Question {n} is missing from the reply"),
    "no_answers": N_("No questionnaire answers were found in this message"),
}


@dataclass(frozen=True)
class Answer:
    number: int
    kind: str
    question: str
    date: date
    notes: str = ""
    approximate: bool = False  # only a month was given: filed on the 1st


@dataclass(frozen=True)
class Issue:
    code: str
    number: int | None = None
    text: str = ""

    def message(self) -> str:
        template = ISSUE_TEXT.get(self.code)
        return _(template).format(n=self.number or "", text=self.text) if template else self.text


@dataclass(frozen=True)
class ParsedReply:
    language: str
    answers: tuple[Answer, ...]
    issues: tuple[Issue, ...]
    unanswered: tuple[int, ...]
    tokens: tuple[tuple[int, str], ...]
    free_text: str = ""


@dataclass
class _Occurrence:
    number: int
    state: str  # yes | no | blank | garbled
    question_text: str
    raw: str
    quoted: bool
    date_text: str = ""
    notes: str = ""
    labels_left: int = 3


@dataclass
class _Scan:
    occurrences: list[_Occurrence] = field(default_factory=list)
    free: list[str] = field(default_factory=list)


def _normal(text: str) -> str:
    return " ".join(re.sub(r"[^\w\s]", " ", text.casefold()).split())


def similar(given: str, expected: str) -> bool:
    a, b = _normal(given), _normal(expected)
    if not a:
        return True
    if a.startswith(b) or (b.startswith(a) and len(a) >= 0.6 * len(b)):
        return True
    # The client's short form of the question ("Birth", "marriage"): its words are the question's key words.
    words = set(a.split()) - _STOP_WORDS
    if words and words <= set(b.split()) - _STOP_WORDS:
        return True
    return SequenceMatcher(None, a[: len(b) + 4], b).ratio() >= SIMILAR


def _split_inline(rest: str) -> tuple[str, str, str]:
    """Question text, inline date text and inline notes of ``Marriage  Date: 2026-06-14  Notes: ...``."""
    pieces = _INLINE_LABEL.split(rest)
    text, date_text, notes = pieces[0], "", ""
    for label, value in zip(pieces[1::2], pieces[2::2], strict=False):
        if _ALL_LABELS[label.lower()] == "date":
            date_text = value.strip()
        elif _ALL_LABELS[label.lower()] == "notes":
            notes = value.strip()
    return text.strip(), date_text, notes


def _occurrence(number: int, rest: str, raw: str, quoted: bool) -> _Occurrence:
    if m := _SLOT.match(rest):
        mark = m.group(1).strip().casefold()
        text, date_text, notes = _split_inline(m.group(2))
        if not date_text:
            found = read_date(text)
            if found.problem != "unreadable" and found.span != (0, 0):
                date_text = text[found.span[0] : found.span[1]]
                text = (text[: found.span[0]] + text[found.span[1] :]).strip(" -–—,;:")
        if mark == "":
            state = "blank"
        elif mark in YES_MARKS:
            state = "yes"
        elif mark in NO_MARKS:
            state = "no"
        else:
            state = "garbled"
        return _Occurrence(number, state, text, raw, quoted, date_text, notes)
    if rest.startswith("["):
        return _Occurrence(number, "garbled", "", raw, quoted)
    if m := _SHORT_YES.match(rest):
        tail, date_text, notes = _split_inline(m.group(2))
        found = read_date(tail)
        if not date_text and found.span != (0, 0):
            date_text = tail[found.span[0] : found.span[1]]
            tail = (tail[: found.span[0]] + tail[found.span[1] :]).strip(" -–—,;:")
        return _Occurrence(number, "yes", "", raw, quoted, date_text, notes or tail)
    if _SHORT_NO.match(rest):
        return _Occurrence(number, "no", "", raw, quoted)
    return _Occurrence(number, "unslotted", rest.strip(), raw, quoted)


def _original_starts(lines: list[str]) -> int:
    """Index of the first line of an unquoted original below a top-posted reply (Outlook), else len(lines)."""
    for i, raw in enumerate(lines):
        line = raw.strip()
        if _QUOTE.match(raw):
            continue
        if _ORIGINAL_SEPARATOR.match(line):
            return i
        if _HEADER_FROM.match(line) and any(_HEADER_NEXT.match(x.strip()) for x in lines[i + 1 : i + 5]):
            return i
    return len(lines)


def _scan(text: str) -> _Scan:
    scan = _Scan()
    current: _Occurrence | None = None
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    original = _original_starts(lines)
    for index, raw in enumerate(lines):
        quoted = bool(_QUOTE.match(raw)) or index >= original
        line = _QUOTE.sub("", raw).rstrip()
        if m := _QLINE.match(line):
            current = _occurrence(int(m.group(1)), (m.group(2) or "").strip(), raw.strip(), quoted)
            scan.occurrences.append(current)
            continue
        if m := _LABEL.match(line):
            kind = _ALL_LABELS[m.group(1).lower()]
            if kind == "reference":
                continue
            if current is not None and current.labels_left > 0:
                value = m.group(2).strip()
                if kind == "date" and value:
                    current.date_text = current.date_text or value
                elif kind == "notes" and value:
                    current.notes = (current.notes + " " + value).strip()
                current.labels_left -= 1
                continue
        if current is not None and line.strip():  # blank lines (Outlook's empty paragraphs) do not count
            current.labels_left -= 1
        if not quoted and line.strip() and not TOKEN_RE.search(line) and not _ATTRIBUTION.match(line.strip()):
            scan.free.append(line.strip())
    return scan


def _choose(questionnaires: Sequence[Questionnaire], occurrences: list[_Occurrence]) -> Questionnaire:
    def score(q: Questionnaire) -> int:
        hits = 0
        for o in occurrences:
            question = q.question(o.number)
            if question is not None and o.question_text and similar(o.question_text, question.text):
                hits += 1
        return hits

    return max(questionnaires, key=score)  # max keeps the first on a tie: the language it was sent in


def parse_reply(text: str, questionnaires: Sequence[Questionnaire]) -> ParsedReply:
    """Answers found in ``text``; ``questionnaires`` are the candidate definitions, the one sent first."""
    if not questionnaires:
        raise ValueError("parse_reply needs at least one questionnaire definition")
    scan = _scan(text)
    q = _choose(questionnaires, scan.occurrences)
    tokens = tuple(find_tokens(text))
    free = "\n".join(scan.free)[:2000]
    if not any(o.state != "unslotted" for o in scan.occurrences):
        unread = tuple(Issue("garbled", o.number, o.raw) for o in scan.occurrences)
        return ParsedReply(q.language, (), (Issue("no_answers"), *unread), (), tokens, free)
    by_number: dict[int, list[_Occurrence]] = {}
    for o in scan.occurrences:
        by_number.setdefault(o.number, []).append(o)
    answers: list[Answer] = []
    issues: list[Issue] = []
    unanswered: list[int] = []
    for number in sorted(by_number):
        occ = by_number[number]
        question = q.question(number)
        if question is None:
            for o in occ:
                if o.state in ("yes", "garbled", "no"):
                    issues.append(Issue("unknown_question", number, o.raw))
            continue
        mismatched = [o for o in occ if o.question_text and not similar(o.question_text, question.text)]
        for o in mismatched:
            # "[maybe] not sure yet" is unreadable, not another question's text
            if o.state in ("unslotted", "garbled"):
                issues.append(Issue("garbled", number, o.raw))
            elif o.state != "blank":
                issues.append(Issue("question_mismatch", number, o.raw))
        usable = [o for o in occ if o not in mismatched]
        yes = [o for o in usable if o.state == "yes"]
        no = [o for o in usable if o.state == "no"]
        garbled = [o for o in usable if o.state == "garbled"]
        if yes and no:
            issues.append(Issue("conflict", number, " / ".join(o.raw for o in [*yes, *no])))
            continue
        if garbled and not yes:
            issues.extend(Issue("garbled", number, o.raw) for o in garbled)
            continue
        if not yes:
            if any(o.state in ("blank", "no", "unslotted") for o in usable):
                unanswered.append(number)
            continue
        answer = _answer(question.number, question.kind, question.text, yes, q.language, issues)
        if answer is not None:
            answers.append(answer)
    for question in q.questions:
        if question.number not in by_number:
            issues.append(Issue("missing", question.number))
    return ParsedReply(q.language, tuple(answers), tuple(issues), tuple(unanswered), tokens, free)


def _answer(
    number: int, kind: str, wording: str, yes: list[_Occurrence], language: str, issues: list[Issue]
) -> Answer | None:
    readings = []
    for o in yes:
        if o.date_text:
            readings.append((o, read_date(o.date_text, language)))
    if not readings:
        issues.append(Issue("no_date", number, yes[0].raw))
        return None
    good = {r.value for _o, r in readings if r.value is not None}
    if len(good) > 1:
        issues.append(Issue("conflict", number, " / ".join(o.date_text for o, _r in readings)))
        return None
    bad = [(o, r) for o, r in readings if r.value is None]
    if bad and not good:
        o, r = bad[0]
        issues.append(Issue(f"date_{r.problem}", number, o.date_text))
        return None
    if bad:  # one copy readable, another not: the client may have meant something else
        issues.append(Issue("conflict", number, " / ".join(o.date_text for o, _r in readings)))
        return None
    chosen = next(r for _o, r in readings if r.value is not None)
    notes = " ".join(dict.fromkeys(o.notes for o in yes if o.notes))
    assert chosen.value is not None
    return Answer(number, kind, wording, chosen.value, notes, chosen.approximate)
