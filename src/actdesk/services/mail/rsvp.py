"""The answer in a reply to an event invitation: a calendar reply (iTIP PARTSTAT), the subject prefix calendar
programs write ("Accepted:", "Aceptado:"), or the first words the client typed ("Yes, we will come").
Pure: takes the message, returns yes | no | maybe | None (unclear: the advisor decides)."""

from __future__ import annotations

import re
from email.message import EmailMessage
from typing import cast

_PARTSTAT = re.compile(r"PARTSTAT=([A-Z-]+)", re.I)
_SUBJECT = {
    "yes": ("accepted:", "aceptado:", "aceptada:", "accepté:"),
    "no": ("declined:", "rechazado:", "rechazada:", "refusé:"),
    "maybe": ("tentative:", "tentativo:", "provisional:"),
}
_WORDS = {
    "yes": ("yes", "sí", "si", "count me in", "we will come", "we'll be there", "i will attend", "asistiré",
            "asistiremos", "allí estaremos", "ahí estaremos", "con gusto"),
    "no": ("no", "can't make it", "cannot make it", "cannot attend", "won't be able", "unable to attend",
           "no podré", "no podremos", "no asistiré", "no asistiremos"),
    "maybe": ("maybe", "perhaps", "not sure yet", "quizás", "quizá", "tal vez", "a lo mejor"),
}  # fmt: skip


def _first_typed_line(text: str) -> str:
    for line in text.splitlines():
        clean = line.strip().lower()
        if not clean or clean.startswith(">"):
            continue
        return clean
    return ""


def rsvp_answer(msg: EmailMessage, body: str) -> str | None:
    for part in msg.walk():
        if part.get_content_type() == "text/calendar":
            found = _PARTSTAT.search(str(cast(EmailMessage, part).get_content()))
            if found:
                value = found.group(1).upper()
                return {"ACCEPTED": "yes", "DECLINED": "no", "TENTATIVE": "maybe"}.get(value)
    subject = str(msg.get("Subject", "")).strip().lower()
    for answer, prefixes in _SUBJECT.items():
        if subject.startswith(prefixes):
            return answer
    first = _first_typed_line(body)
    words = re.sub(r"[^\w\s'’]", " ", first).split()
    text = " ".join(words)
    # The longest phrase wins ("no podremos" over "no"); a line saying both is unclear.
    hits = {
        answer for answer, phrases in _WORDS.items() for p in phrases if text == p or text.startswith(p + " ")
    }
    if "no" in hits and len(hits) > 1:
        hits = {"no"} if any(text.startswith(p) for p in _WORDS["no"] if " " in p) else hits
    return hits.pop() if len(hits) == 1 else None
