"""PySide6 6.12.0 on Python 3.11 drops a reference to None on every Qt call returning nothing and aborts
the process after a few thousand calls ("Fatal Python error: none_dealloc"). Keep this test so that no
future version bump brings it back."""

from __future__ import annotations

import sys

from PySide6.QtWidgets import QLabel


def test_many_void_qt_calls_do_not_corrupt_none_refcount(qapp) -> None:
    label = QLabel()
    before = sys.getrefcount(None)
    for i in range(200_000):
        label.setText("x" if i % 2 else "y")
    assert label.text() in ("x", "y")
    # Immortal None (3.12+) reports a huge constant; on 3.11 a leak shows as a large drop.
    assert sys.getrefcount(None) >= before - 1000
