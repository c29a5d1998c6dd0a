"""Line icons from resources/icons (one family), tinted with the palette so they read on light and dark.

SVGs use ``stroke="currentColor"``, which Qt's SVG renderer does not know: we substitute the colour and render
at the sizes Qt asks for. Icons are cached per (name, colour).
"""

from __future__ import annotations

from functools import cache

from PySide6.QtCore import QByteArray, QRectF, QSize, Qt
from PySide6.QtGui import QIcon, QPainter, QPixmap
from PySide6.QtSvg import QSvgRenderer

from actdesk.paths import resource
from actdesk.ui import theme

SIZES = (16, 20, 24, 32, 48, 64)


@cache
def _svg(name: str) -> str:
    node = resource("icons", f"{name}.svg")
    return node.read_text(encoding="utf-8")


def has_icon(name: str) -> bool:
    return resource("icons", f"{name}.svg").is_file()


def pixmap(name: str, size: int, color: str | None = None, ratio: float = 2.0) -> QPixmap:
    """The icon ``name`` drawn at ``size`` logical px in ``color`` (default: the palette's text colour)."""
    return _pixmap(name, size, color or theme.colors().text, ratio)


@cache
def _pixmap(name: str, size: int, tint: str, ratio: float) -> QPixmap:
    """Drawn once per name, size and colour: an SVG render each, and the same ones recur (every chart's
    empty state, every icon's disabled state). QPixmap is shared on copy; callers never change it."""
    renderer = QSvgRenderer(QByteArray(_svg(name).replace("currentColor", tint).encode("utf-8")))
    pm = QPixmap(QSize(int(size * ratio), int(size * ratio)))
    pm.fill(Qt.GlobalColor.transparent)
    painter = QPainter(pm)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    renderer.render(painter, QRectF(0, 0, pm.width(), pm.height()))
    painter.end()
    pm.setDevicePixelRatio(ratio)
    return pm


@cache
def _icon(name: str, color: str, active: str | None) -> QIcon:
    icon = QIcon()
    for size in SIZES:
        icon.addPixmap(pixmap(name, size, color), QIcon.Mode.Normal, QIcon.State.Off)
        if active:
            icon.addPixmap(pixmap(name, size, active), QIcon.Mode.Normal, QIcon.State.On)
        icon.addPixmap(pixmap(name, size, theme.colors().muted), QIcon.Mode.Disabled, QIcon.State.Off)
    return icon


def icon(name: str, color: str | None = None, checked_color: str | None = None) -> QIcon:
    """A QIcon for buttons and actions; ``checked_color`` tints the checked state (rail buttons)."""
    if not has_icon(name):
        return QIcon()
    return _icon(name, color or theme.colors().text, checked_color)
