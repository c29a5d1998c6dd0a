"""The demo book: a deterministic, believable advisory practice for trying actdesk and for benchmarks.

See docs/demo-book.md for the calibration and its sources.
"""

from __future__ import annotations

from actdesk.services.demo.generator import BookNotEmptyError, DemoOptions, DemoSummary, generate_demo

__all__ = ["BookNotEmptyError", "DemoOptions", "DemoSummary", "generate_demo"]
