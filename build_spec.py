"""PyInstaller build of actdesk (one-folder). Filled in by the packaging work; run: python build_spec.py"""

from __future__ import annotations

if __name__ == "__main__":
    raise SystemExit("packaging is not set up yet; see installers/README.md")
