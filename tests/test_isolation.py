"""The suite never writes into the home of the user who runs it."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

import pytest

from actdesk import paths


def test_without_a_tests_folder_the_fallback_is_the_sessions_not_the_home(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """What runs after a test's own folders are restored (a module-scoped window's exit backup) lands in
    the session's temporary home (tests/conftest.py), not in ~/.local/share/actdesk."""
    monkeypatch.delenv("ACTDESK_DATA_DIR")
    monkeypatch.delenv("ACTDESK_CONFIG_DIR")
    home = Path(os.path.expanduser("~")).resolve()
    for folder in (paths.data_dir(), paths.config_dir()):
        assert "actdesk-tests-home-" in str(folder), folder
        assert home not in folder.resolve().parents or home == Path(tempfile.gettempdir()).resolve()
