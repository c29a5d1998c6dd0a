"""Render the app icon (resources/app/actdesk.svg) to the PNG sizes and the Windows .ico the installers need.

    python installers/make_icons.py        # -> installers/build/icons/actdesk-<size>.png, actdesk.ico

Uses Qt's own SVG renderer and image writers, so it runs wherever the app runs (macOS: turn the PNGs into an
.icns with iconutil, see installers/macos/README.md).
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "installers" / "build" / "icons"
SIZES = (16, 24, 32, 48, 64, 128, 256, 512, 1024)


def main() -> int:
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtCore import Qt
    from PySide6.QtGui import QGuiApplication, QImage, QPainter
    from PySide6.QtSvg import QSvgRenderer

    app = QGuiApplication.instance() or QGuiApplication(sys.argv[:1])
    renderer = QSvgRenderer(str(ROOT / "resources" / "app" / "actdesk.svg"))
    if not renderer.isValid():
        print("cannot read the app icon", file=sys.stderr)
        return 1
    OUT.mkdir(parents=True, exist_ok=True)
    for size in SIZES:
        image = QImage(size, size, QImage.Format.Format_ARGB32)
        image.fill(Qt.GlobalColor.transparent)
        painter = QPainter(image)
        renderer.render(painter)
        painter.end()
        image.save(str(OUT / f"actdesk-{size}.png"))
        if size == 256:
            image.save(str(OUT / "actdesk.ico"), "ICO")
    print(f"icons written to {OUT}")
    del app
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
