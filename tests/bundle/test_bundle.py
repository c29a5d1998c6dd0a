"""The installable app: the PyInstaller spec's promises, and the frozen Linux bundle's smoke start.

CI builds the bundle first (`python build_spec.py`) and points ACTDESK_FROZEN_BUNDLE at dist/actdesk; the
frozen test is skipped where no bundle was built (a developer's quick run).
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
import build_spec  # noqa: E402


def test_spec_is_one_folder_without_strip_or_upx_and_leaves_out_unused_qt() -> None:
    text = build_spec.spec_text()
    assert "COLLECT(" in text and "onefile" not in text.lower()
    assert "strip=False" in text and "upx=False" in text and "strip=True" not in text
    for module in (
        "PySide6.QtQml",
        "PySide6.QtQuick",
        "PySide6.QtWebEngineCore",
        "PySide6.QtPdf",
        "PySide6.QtVirtualKeyboard",
    ):
        assert repr(module) in text
    assert "actdesk/resources" in text and "actdesk/storage/migrations" in text


def test_version_comes_from_the_package() -> None:
    from actdesk import __version__

    assert build_spec.version() == __version__


def test_excluded_binaries_pattern_keeps_the_qt_we_need() -> None:
    pattern = build_spec.EXCLUDED_BINARIES
    for needed in (
        "libQt6Widgets.so.6",
        "libQt6Gui.so.6",
        "libQt6Core.so.6",
        "libQt6Svg.so.6",
        "platforms/libqoffscreen.so",
    ):
        assert not pattern.search(needed), needed
    for unused in (
        "libQt6Quick.so.6",
        "libQt6Qml.so.6",
        "libQt6Pdf.so.6",
        "libQt6VirtualKeyboard.so.6",
        "qml/QtQuick/x",
    ):
        assert pattern.search(unused), unused


@pytest.mark.skipif(
    not os.environ.get("ACTDESK_FROZEN_BUNDLE"), reason="no frozen bundle built (CI builds one)"
)
def test_frozen_bundle_starts_paints_and_exits_cleanly(tmp_path: Path) -> None:
    bundle = Path(os.environ["ACTDESK_FROZEN_BUNDLE"])
    exe = bundle / ("actdesk.exe" if os.name == "nt" else "actdesk")
    assert exe.exists(), f"no executable in {bundle}"
    data = tmp_path / "data"
    env = {k: v for k, v in os.environ.items() if k not in ("ACTDESK_DB", "QT_QPA_PLATFORM", "PYTHONPATH")}
    env.update(ACTDESK_DATA_DIR=str(data), ACTDESK_CONFIG_DIR=str(tmp_path / "config"), HOME=str(tmp_path))
    shots = tmp_path / "shots"
    done = subprocess.run(
        [str(exe), "gui", "--smoke", "--screenshot", str(shots)],
        env=env,
        capture_output=True,
        text=True,
        timeout=180,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    assert (data / "book.db").exists(), "the frozen app did not create the book in the user's data folder"
    assert any(shots.glob("panel-*.png"))
    version = subprocess.run([str(exe), "--version"], env=env, capture_output=True, text=True, timeout=60)
    assert version.returncode == 0 and version.stdout.startswith("actdesk ")
    spanish = subprocess.run(
        [str(exe), "--lang", "es", "--help"], env=env, capture_output=True, text=True, timeout=60
    )
    assert "cartera" in spanish.stdout.lower(), "the bundle lost the Spanish catalogue"


def test_excluded_data_pattern_keeps_our_translations_and_spanish_locale_data() -> None:
    pattern = build_spec.EXCLUDED_BINARIES
    for kept in (
        "actdesk/resources/translations/es/core.po",
        "babel/locale-data/es_US.dat",
        "babel/locale-data/en.dat",
        "babel/locale-data/root.dat",
        "PySide6/Qt/translations/qtbase_es.qm",
    ):
        assert not pattern.search(kept), kept
    for dropped in ("babel/locale-data/fr.dat", "PySide6/Qt/translations/qt_de.qm", "libgtk-3.so.0"):
        assert pattern.search(dropped), dropped
