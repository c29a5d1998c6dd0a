"""The window's shell: its menu bar and the work that runs behind it (alerts, mail, backups, the lock).

``app.build_window`` calls ``install_shell(window, ctx)`` once; the main window itself stays a layout of
panels and knows nothing of backups or encryption.
"""

from __future__ import annotations

from PySide6.QtWidgets import QMainWindow

from actdesk.ui.context import AppContext

from .background import Background
from .menus import Menus


def install_shell(window: QMainWindow, ctx: AppContext, *, warm: bool = True) -> tuple[Menus, Background]:
    background = Background(window, ctx, warm=warm)
    window.privacy_lock = None  # type: ignore[attr-defined]  # set at the first paint
    window.background = background  # type: ignore[attr-defined]
    menus = Menus(window, ctx)
    window.menus = menus  # type: ignore[attr-defined]
    return menus, background


__all__ = ["Background", "Menus", "install_shell"]
