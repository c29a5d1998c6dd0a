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


def _pairs() -> list[tuple[str, str]]:
    from babel.messages.pofile import read_po

    pairs: list[tuple[str, str]] = []
    for po in sorted((ROOT / "resources" / "translations" / "es").glob("*.po")):
        with po.open("rb") as fh:
            for m in read_po(fh):
                if not m.id or not m.string:
                    continue
                ids = m.id if isinstance(m.id, (tuple, list)) else (m.id,)
                strings = m.string if isinstance(m.string, (tuple, list)) else (m.string,)
                pairs.extend((str(ids[0]), str(s)) for s in strings)
    return pairs


def test_spanish_uses_one_term_for_each_idea_and_correct_contractions() -> None:
    """Fees are "honorarios" (never "comisiones"), life events "acontecimientos vitales", and "de el" / "a el"
    never appear (they contract to "del" / "al")."""
    import re

    problems = []
    for msgid, msgstr in _pairs():
        lowered = msgstr.lower()
        if re.search(r"\bfees?\b", msgid, re.IGNORECASE) and "comisi" in lowered:
            problems.append(("fees are honorarios", msgid, msgstr))
        if "eventos de vida" in lowered or "evento de vida" in lowered:
            problems.append(("life events are acontecimientos vitales", msgid, msgstr))
        if re.search(r"\b(de|a) el\b", lowered):
            problems.append(("contract de el / a el", msgid, msgstr))
    assert not problems, "\n".join(f"{why}: {mid!r} -> {mstr!r}" for why, mid, mstr in problems)


def test_placeholders_after_de_are_never_filled_with_el() -> None:
    """ "Estimada a partir de {model}" once read "de el historial": the phrases that fill a placeholder after a
    preposition must not start with the article "el"."""
    from actdesk.i18n import set_language
    from actdesk.ui.dashboard import client_panel

    set_language("es")
    try:
        sentence = client_panel._("Estimated from {model}.")
        for phrase in ("the book's own history",):
            assert " de el " not in sentence.format(model=client_panel._(phrase))
    finally:
        set_language("en")


def test_no_python_exception_text_in_a_window_sentence() -> None:
    """Errors reach the advisor through ``user_message`` (our own translated sentence, a translated reason from
    the operating system, or "an unexpected error"), never as Python's or SQLite's English text."""
    import re

    pattern = re.compile(
        r"\.format\((error|reason)=(exc|e|err|error)\)|\bstr\((exc|e|err|error)\)|\.strerror\b"
    )
    offenders = [
        f"{path.relative_to(ROOT)}:{n}"
        for path in (ROOT / "src" / "actdesk" / "ui").rglob("*.py")
        for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
        if pattern.search(line) and "log." not in line
    ]
    assert not offenders, offenders


def test_user_message_keeps_our_sentences_and_hides_python_text() -> None:
    from actdesk import i18n
    from actdesk.storage.errors import BookNotWritableError

    i18n.set_language("es")
    try:
        assert i18n.user_message(BookNotWritableError("La cartera no se puede escribir")) == (
            "La cartera no se puede escribir"
        )
        assert i18n.user_message(PermissionError(13, "Permission denied", "/tmp/x.pdf")) == (
            "/tmp/x.pdf: permiso denegado"
        )
        assert i18n.user_message(OSError(28, "No space left on device")) == "El disco está lleno"
        hidden = i18n.user_message(KeyError("'Settings' object has no attribute 'tiers'"))
        assert "Settings" not in hidden and "inesperado" in hidden
        assert i18n.user_message(ValueError(i18n._("Money spent cannot be negative."))) == (
            "El dinero gastado no puede ser negativo."
        )
        assert "invalid literal" not in i18n.user_message(
            ValueError("invalid literal for int() with base 10")
        )
    finally:
        i18n.set_language("en")
