"""Invisible characters that text in the book must not hold, wherever it was typed.

NUL and the other C0 and C1 control characters cut text short or garble it in other programs (SQLite keeps a
NUL; the open book format's import, spreadsheets and calendar files do not), and the bidirectional overrides
and isolates make a name read differently from what it is ("ev\u202eli" shows reversed: Trojan Source).
Tab, line feed and carriage return are text. The command line refuses these in every argument
(``cli/validation.py``); the book refuses them in every record it is given to store
(``storage/text_guard.py``), so the window's forms cannot store what the command line refuses; the
importers of other programs' files (contacts, calendars) take them out (``without_invisible``).
"""

from __future__ import annotations

import re

from actdesk.i18n import _

INVISIBLE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")
# Written as line breaks by other programs: Word's manual break (vertical tab) in the text it copies, a PDF's
# page break (form feed), NEL. Text typed or pasted in the window keeps them as line breaks (the book turns
# them into one: storage/text_guard.py); a command-line argument refuses them like any control character.
LINE_BREAKS = re.compile("[\x0b\x0c\x85]")
_REFUSED = re.compile("[\x00-\x08\x0e-\x1f\x7f-\x84\x86-\x9f\u202a-\u202e\u2066-\u2069]")


def invisible_character(text: str, *, line_breaks: bool = True) -> str | None:
    """The first character ``text`` must not hold, or None. ``line_breaks=True``: the line breaks of other
    programs (``LINE_BREAKS``) are text to be turned into line breaks; ``False``: those and a carriage
    return are refused too (a one-line value: a command-line argument)."""
    found = (_REFUSED if line_breaks else INVISIBLE).search(text)
    if found is not None:
        return found.group()
    return "\r" if not line_breaks and "\r" in text else None


def with_plain_breaks(text: str, *, multiline: bool) -> str:
    """``text`` with other programs' line breaks as a line feed (``multiline``) or a space."""
    return LINE_BREAKS.sub("\n" if multiline else " ", text)


def without_invisible(text: str) -> str:
    """``text`` with the invisible characters taken out, for text read from another program's file (not
    typed here: nobody can retype it). Vertical tab, form feed and NEL, which some programs write as line
    breaks (Outlook's vertical tab), become one."""
    return _REFUSED.sub("", with_plain_breaks(text, multiline=True))


def invisible_message(what: str, character: str) -> str:
    """For a value the user can point at (a command-line option, a named field)."""
    return _("{what} holds an invisible control character (U+{code:04X}); type it again without it").format(
        what=what, code=ord(character)
    )


def invisible_in_text(text: str, character: str) -> str:
    """For a value found among a form's fields: the text up to the character says which field it was."""
    before = text[: text.index(character)].strip()
    start = before if len(before) <= 30 else before[:29] + "…"
    return _(
        "The text “{start}…” holds an invisible control character (U+{code:04X}), often left by a paste; "
        "type it again without it."
    ).format(start=start, code=ord(character))
