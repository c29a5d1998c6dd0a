"""The main window's size and place, and its panels' splitters, kept in QSettings between sessions."""

from __future__ import annotations

from collections.abc import Iterable

from PySide6.QtCore import QByteArray, QSettings
from PySide6.QtWidgets import QMainWindow, QSplitter, QWidget

DEFAULT_SIZE = (1280, 800)


def restore_window_geometry(window: QMainWindow) -> None:
    geometry = QSettings().value("main/geometry")
    if isinstance(geometry, QByteArray) and not geometry.isEmpty():
        window.restoreGeometry(geometry)
    else:
        window.resize(*DEFAULT_SIZE)


def restore_splitter(splitter: QSplitter, key: str) -> bool:
    """A panel's splitter where the advisor left it (``QSettings`` ``key``); False when nothing usable is
    kept (first start, or a value Qt cannot read: the caller's default stays)."""
    state = QSettings().value(key)
    return isinstance(state, QByteArray) and not state.isEmpty() and splitter.restoreState(state)


def save_splitter(splitter: QSplitter, key: str) -> None:
    QSettings().setValue(key, splitter.saveState())


def save_window_geometry(window: QMainWindow, panels: Iterable[QWidget]) -> None:
    settings = QSettings()
    settings.setValue("main/geometry", window.saveGeometry())
    for widget in panels:
        saver = getattr(widget, "save_state", None)
        if callable(saver):
            saver()
    settings.sync()
