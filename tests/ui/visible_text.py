"""Every text a person can read in a widget tree: labels, buttons, tabs, group titles, combo items,
placeholders, table headers, menus and window titles; and the English catalogue to compare them with."""

from __future__ import annotations

import re
from collections.abc import Iterator
from functools import cache
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtGui import QTextDocument
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractItemView,
    QComboBox,
    QGroupBox,
    QLabel,
    QLineEdit,
    QMenu,
    QPlainTextEdit,
    QTabBar,
    QWidget,
)

ROOT = Path(__file__).resolve().parents[2]

# Identical in English and Spanish on purpose (codes, brands, formats, abbreviations used in both).
ALLOWED = {
    "A",
    "B",
    "C",
    "IRA",
    "Roth IRA",
    "401(k)",
    "529 plan",
    "PDF",
    "CSV",
    "PNG",
    "SVG",
    "Excel",
    "HTML",
    "SMTP",
    "IMAP",
    "actdesk",
    "Total",
    "Email",
    "E-mail",
    "Web",
    "vCard",
    "Redtail",
    "Wealthbox",
    "Google",
    "Microsoft 365",
    "Gmail",
    "SSL/TLS",
    "STARTTLS",
    "{what} ({currency})",
    "{path}: {reason}",
    "{name} ({segment})",
    "no",
    "min",
    "General",
    "Agenda",
    "Redtail CRM",
    "Microsoft Outlook",
    "Salesforce",
    "SMTP (smtp.office365.com)",
    "actdesk — {practice}",
    "{n} KB",
}


def plain(text: str) -> str:
    if "<" in text and ">" in text:
        doc = QTextDocument()
        doc.setHtml(text)
        text = doc.toPlainText()
    return re.sub(r"(?<!&)&(?!&)", "", text).replace("&&", "&").strip()


def _model_headers(view: QAbstractItemView) -> Iterator[str]:
    model = view.model()
    if model is None:
        return
    from PySide6.QtCore import QModelIndex

    try:
        columns = model.columnCount(QModelIndex())
    except TypeError:  # a list model hides columnCount
        return
    for column in range(columns):
        value = model.headerData(column, Qt.Orientation.Horizontal, Qt.ItemDataRole.DisplayRole)
        if isinstance(value, str):
            yield value


def visible_texts(root: QWidget) -> Iterator[tuple[str, str]]:
    """(where, text) for every readable text under ``root`` (hidden tabs and pages included)."""
    widgets = [root, *root.findChildren(QWidget)]
    for w in widgets:
        where = f"{type(w).__name__}#{w.objectName()}"
        if w.isWindow() and w.windowTitle():
            yield where, w.windowTitle()
        if isinstance(w, QLabel | QAbstractButton):
            yield where, w.text()
        elif isinstance(w, QGroupBox):
            yield where, w.title()
        elif isinstance(w, QTabBar):
            for i in range(w.count()):
                yield where, w.tabText(i)
        elif isinstance(w, QComboBox):
            for i in range(w.count()):
                yield where, w.itemText(i)
        elif isinstance(w, QLineEdit | QPlainTextEdit):
            yield where, w.placeholderText()
        elif isinstance(w, QAbstractItemView):
            for header in _model_headers(w):
                yield where, header
        if isinstance(w, QMenu):
            for action in w.actions():
                yield where, action.text()
        if w.toolTip():
            yield where + " (tooltip)", w.toolTip()


@cache
def english_sources() -> dict[str, str]:
    """msgid -> Spanish translation, for every marked string of the application."""
    from tests.test_translations import marked_strings

    from actdesk.i18n import load_catalog

    spanish = load_catalog("es")
    out = {}
    for msgid in marked_strings():
        translated = spanish.get(msgid)
        text = translated[0] if isinstance(translated, tuple) else translated
        out[msgid] = text or ""
    return out


@cache
def _patterns() -> list[tuple[re.Pattern[str], str]]:
    """Formatted English messages ("{n} recipients") as patterns, for texts built from a msgid."""
    pats = []
    for msgid, spanish in english_sources().items():
        if "{" not in msgid or msgid == spanish:
            continue
        literal = re.sub(r"\{[^}]*\}", "", msgid)
        if len(re.findall(r"[A-Za-z]{3,}", literal)) < 2:
            continue  # too little English text to recognise
        parts = re.split(r"\{[^}]*\}", msgid)
        pattern = "^" + "(.+?)".join(re.escape(p) for p in parts) + "$"
        pats.append((re.compile(pattern, re.S), msgid))
    return pats


# Qt's own English (its standard buttons and dialogs) when its Spanish catalogue is not loaded.
QT_ENGLISH = {
    "OK",
    "Cancel",
    "Save",
    "Close",
    "Apply",
    "Yes",
    "No",
    "Discard",
    "Reset",
    "Open",
    "Help",
    "Abort",
}
ENGLISH_WORDS = re.compile(r"\b(the|and|with|your|you|this|that|from|will|have|been|are|yet|here|there)\b")


def untranslated(text: str) -> str | None:
    """The English msgid ``text`` shows untranslated (or Qt's own English, or an unmarked English sentence),
    or None."""
    shown = plain(text)
    if not shown or shown in ALLOWED:
        return None
    if shown in QT_ENGLISH:
        return shown
    if len(ENGLISH_WORDS.findall(shown)) >= 2 and "@" not in shown:
        return shown  # a sentence in English that was never marked for translation
    sources = english_sources()
    for candidate in (shown, shown.rstrip(":…").strip(), shown + "…"):
        spanish = sources.get(candidate)
        if spanish is not None and plain(spanish) != shown and candidate not in ALLOWED:
            return candidate
    for pattern, msgid in _patterns():
        if pattern.match(shown):
            return msgid
    return None
