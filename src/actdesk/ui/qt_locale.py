"""Qt's side of the language: its own translations (standard buttons, context menus, calendar popups), the
default QLocale, and the one date format of ``actdesk.formats`` in every date and time edit."""

from __future__ import annotations

import logging
import re

from PySide6.QtCore import QCoreApplication, QLibraryInfo, QLocale, QTranslator
from PySide6.QtWidgets import QDateEdit, QDateTimeEdit, QTimeEdit

from actdesk import formats, i18n

log = logging.getLogger(__name__)

_installed: list[QTranslator] = []


def install_qt_translations(app: QCoreApplication) -> bool:
    """Load Qt's own catalogue (qtbase_<lang>.qm shipped with PySide6) for the current language and make the
    formatting locale Qt's default. Returns False when the catalogue is missing (Qt then stays English)."""
    for old in _installed:
        app.removeTranslator(old)
    _installed.clear()
    QLocale.setDefault(QLocale(formats.current_locale()))
    language = i18n.current_language()
    if language == "en":
        return True
    folder = QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)
    translator = QTranslator(app)
    if not translator.load(QLocale(language), "qtbase", "_", folder):
        log.warning("Qt's %s translations were not found in %s", language, folder)
        return False
    app.installTranslator(translator)
    _installed.append(translator)
    return True


_CLDR_TO_QT = (
    (re.compile(r"y+"), "yyyy"),
    (re.compile(r"a+"), "AP"),
    (re.compile(r"E{4,}"), "dddd"),
    (re.compile(r"E{1,3}"), "ddd"),
    (re.compile(r"L"), "M"),
)


def qt_pattern(cldr: str) -> str:
    """A CLDR date/time pattern ("MMM d, y", "h:mm a") as a Qt display format ("MMM d, yyyy", "h:mm AP")."""
    parts = re.split(r"('[^']*')", cldr)
    out = []
    for part in parts:
        if part.startswith("'"):
            out.append(part)
            continue
        for pattern, repl in _CLDR_TO_QT:
            part = pattern.sub(repl, part)
        out.append(part)
    return "".join(out).replace("\u202f", " ")


def date_format() -> str:
    return qt_pattern(formats.date_pattern())


def time_format() -> str:
    return qt_pattern(formats.time_pattern())


def datetime_format() -> str:
    return f"{date_format()}, {time_format()}"


def literal(text: str) -> str:
    """Text shown as typed on a tab, button or menu, where Qt reads "&" as the shortcut marker ("Referrals &
    events" would show "Referrals _events")."""
    return text.replace("&", "&&")


def localize_edit(edit: QDateTimeEdit) -> QDateTimeEdit:
    """Give a date, time or date-and-time edit the application's one format and locale (call once, after
    creating it). Every date box goes through here; a test checks that nothing else sets a display format."""
    edit.setLocale(QLocale())
    if isinstance(edit, QTimeEdit):
        edit.setDisplayFormat(time_format())
    elif isinstance(edit, QDateEdit):
        edit.setDisplayFormat(date_format())
    else:
        edit.setDisplayFormat(datetime_format())
    return edit
