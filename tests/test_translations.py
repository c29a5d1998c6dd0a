"""Every user-visible string marked with _(), N_() or ngettext() has a Spanish translation."""

from __future__ import annotations

from pathlib import Path

from babel.messages.extract import extract_from_dir

from actdesk.i18n import load_catalog

ROOT = Path(__file__).resolve().parents[1]
KEYWORDS = {"_": None, "N_": None, "ngettext": (1, 2)}


def marked_strings() -> dict[str, str]:
    found: dict[str, str] = {}
    for filename, lineno, message, _comments, _ctx in extract_from_dir(
        str(ROOT / "src" / "actdesk"), method_map=[("**.py", "python")], keywords=KEYWORDS
    ):
        msgid = message[0] if isinstance(message, tuple) else message
        if msgid:
            found.setdefault(msgid, f"{filename}:{lineno}")
    return found


def test_every_marked_string_has_a_spanish_translation() -> None:
    spanish = load_catalog("es")
    missing = {msgid: where for msgid, where in marked_strings().items() if msgid not in spanish}
    assert not missing, (
        "untranslated strings (add them to resources/translations/es/<feature>.po):\n"
        + "\n".join(f"  {where}: {msgid!r}" for msgid, where in sorted(missing.items(), key=lambda kv: kv[1]))
    )


def test_spanish_catalog_switches_formatting() -> None:
    from decimal import Decimal

    from actdesk import i18n

    i18n.set_language("es")
    assert "1.234,50" in i18n.format_money(Decimal("1234.5"), cents=True)
    i18n.set_language("en")
    assert i18n.format_money(Decimal("1234.5"), cents=True) == "$1,234.50"
    assert i18n.format_money(Decimal("1234.5")) == "$1,235"
