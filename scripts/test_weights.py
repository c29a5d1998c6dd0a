"""Write tests/file_weights.json, each test file's share of the suite's time, from a JUnit XML report.

The suite runs one file per xdist worker at a time (``--dist loadfile``); tests/conftest.py hands out the
heaviest files first, so that a long file started last does not leave the other cores idle at the end.
Regenerate after adding or slowing down a heavy file:

    pytest -q -n auto --dist loadfile --junitxml=/tmp/suite.xml
    python scripts/test_weights.py /tmp/suite.xml
"""

from __future__ import annotations

import json
import sys
import xml.etree.ElementTree as ET
from collections import Counter
from pathlib import Path

OUT = Path(__file__).resolve().parents[1] / "tests" / "file_weights.json"


def file_of(classname: str) -> str:
    """``tests.ui.test_fit`` or ``tests.ui.test_fit.TestClass`` -> ``tests/ui/test_fit.py``."""
    parts = classname.split(".")
    for i, part in enumerate(parts):
        if part.startswith("test_"):
            return "/".join(parts[: i + 1]) + ".py"
    return "/".join(parts) + ".py"


def main(report: str) -> int:
    seconds: Counter[str] = Counter()
    for case in ET.parse(report).iter("testcase"):
        seconds[file_of(case.get("classname") or "")] += float(case.get("time") or 0)
    total = sum(seconds.values()) or 1.0
    weights = {name: round(1000 * value / total, 1) for name, value in sorted(seconds.items())}
    OUT.write_text(json.dumps(weights, indent=1, sort_keys=True) + "\n", encoding="utf-8")
    print(
        f"{len(weights)} files, {total:.0f} s in all -> {OUT.relative_to(Path.cwd()) if OUT.is_relative_to(Path.cwd()) else OUT}"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1]))
