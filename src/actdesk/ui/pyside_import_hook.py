"""PySide6's import hook, made cheap.

After PySide6 is imported, every module imported in the process goes through its ``__feature__`` hook
(PYSIDE-2029), which asks ``inspect.getsource(module)`` whether the module's text mentions "PySide6":
tokenising every source file of pandas, matplotlib and SQLAlchemy and keeping all of them in ``linecache``.
That was 0.25 s CPU of the window's imports (about 1,000 modules, 15 %) and every source file in memory.
The same question is answered here by reading the file's bytes; modules without a ``.py`` file still go to
PySide's own check.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from types import ModuleType
from typing import Any

_MARK = "_actdesk_cheap"


def cheapen_pyside_import_hook() -> bool:
    """Replace the hook's source check (once); False when this PySide6 has no such hook."""
    feature: Any = sys.modules.get("shibokensupport.feature")
    upstream: Callable[[ModuleType], bool] | None = getattr(feature, "_mod_uses_pyside", None)
    if feature is None or upstream is None:
        return False
    if getattr(upstream, _MARK, False):
        return True

    def mod_uses_pyside(module: ModuleType) -> bool:
        path = getattr(module, "__file__", None)
        if not isinstance(path, str) or not path.endswith(".py"):
            return upstream(module)
        try:
            with open(path, "rb") as source:
                return b"PySide6" in source.read()
        except OSError:
            return upstream(module)

    setattr(mod_uses_pyside, _MARK, True)
    feature._mod_uses_pyside = mod_uses_pyside
    return True
