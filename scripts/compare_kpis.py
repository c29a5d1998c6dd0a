"""Compare ``compute_kpis`` of two versions of the code on many books and as-of dates (issue 21).

The KPIs moved from pandas frames to plain records (one implementation exact to the cent); this script
is how the move was checked. It runs ``dump`` once with the old tree on the path (an exported copy of the
commit before the move: ``git archive <commit> | tar -x -C /tmp/kpis_before``) and once with this one,
then compares the two JSON files key by key: money to the cent (exact strings), rates equal within 1e-12
relative, lists in the same order.

    python scripts/compare_kpis.py run --before /tmp/kpis_before/src --books bench/out/*.db /tmp/demo-*.db

``run`` builds nothing: pass the books (open read-only). Each book is measured at its own last month-end
and at a fixed list of dates (month-ends, 29 February, before the first client, after departures and
returns). Exit status 0 when there is no difference.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

DATES = (
    "2026-10-31",
    "2026-06-30",
    "2026-06-15",
    "2026-02-28",
    "2025-12-31",
    "2025-03-31",
    "2024-02-29",
    "2023-01-31",
    "2019-07-15",
    "2016-11-30",
    "2012-01-31",
    "2000-01-31",
)
REL_TOL = 1e-12


def _plain(value: Any) -> Any:
    if isinstance(value, Decimal):
        return {"decimal": str(value)}
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    return value


def _probabilities(ids: list[int]) -> dict[int, Any]:
    """Made-up retention probabilities (no model: its fit is not what is compared), to cover the NPV
    household by household."""
    from actdesk.domain.analytics.probability import RetentionProbability

    return {h: RetentionProbability(h, 0.80 + (h % 17) / 100.0, track_record="compare") for h in ids if h % 5}


def dump(books: list[str], out: str) -> None:
    """KPIs of every book at every date with the code on ``sys.path``, as JSON."""
    from actdesk.domain.analytics.config import AnalyticsConfig
    from actdesk.domain.analytics.kpis import compute_kpis
    from actdesk.storage.open import open_book

    try:  # the new code: plain records
        from actdesk.storage.book_records import load_book_records as load

        def compute(s: Any, day: date, probabilities: bool) -> dict[str, Any]:
            records = load(s, day)
            probs = _probabilities(sorted(records.households)) if probabilities else None
            return compute_kpis(records, day, AnalyticsConfig(), probs)
    except ImportError:  # the old: pandas frames
        from actdesk.storage.analytics_data import load_book_frames

        def compute(s: Any, day: date, probabilities: bool) -> dict[str, Any]:
            frames = load_book_frames(s, day, months=0)
            probs = _probabilities(sorted(int(h) for h in frames.households.index)) if probabilities else None
            return compute_kpis(frames, day, AnalyticsConfig(), probs)

    result: dict[str, Any] = {}
    for path in books:
        book = open_book(Path(path), read_only=True)
        try:
            for text in DATES:
                day = date.fromisoformat(text)
                for probabilities in (False, True):
                    with book.reader() as s:
                        kpis = compute(s, day, probabilities)
                    result[f"{Path(path).name} {text} {'probabilities' if probabilities else 'plain'}"] = (
                        _plain(kpis)
                    )
        finally:
            book.dispose()
    Path(out).write_text(json.dumps(result, sort_keys=False))


TIES: list[str] = []  # departure lists equal but for the order of departures on the same day


def _by_day_then_id(departures: list[Any]) -> list[Any]:
    return sorted(departures, key=lambda d: (d["left_on"], d["household_id"]))


def differences(a: Any, b: Any, where: str = "") -> list[str]:
    """What differs between ``a`` and ``b``. The old code sorted departures by their day with numpy's
    unstable quicksort, so departures on the same day came in an order of numpy's choosing (it differs
    from one numpy build to another); the new code orders them by day, then household id. Such lists are
    compared with both sides in that order, and counted in ``TIES``."""
    same_days = (
        where.endswith("/departures")
        and isinstance(a, list)
        and isinstance(b, list)
        and len(a) == len(b)
        and [d["left_on"] for d in a] == [d["left_on"] for d in b]
    )
    if same_days and a != b:
        found = differences(_by_day_then_id(a), _by_day_then_id(b), where + "(by day, then id)")
        if not found:
            TIES.append(where)
        return found
    if isinstance(a, dict) and isinstance(b, dict):
        out = [f"{where}: keys {sorted(set(a) ^ set(b))}"] if set(a) != set(b) else []
        if list(a) != list(b) and not out:
            out.append(f"{where}: key order {list(a)} != {list(b)}")
        for k in a:
            if k in b:
                out += differences(a[k], b[k], f"{where}/{k}")
        return out
    if isinstance(a, list) and isinstance(b, list):
        if len(a) != len(b):
            return [f"{where}: {len(a)} items != {len(b)}"]
        return [
            d for i, (x, y) in enumerate(zip(a, b, strict=True)) for d in differences(x, y, f"{where}[{i}]")
        ]
    if isinstance(a, float) and isinstance(b, float):
        same = a == b or abs(a - b) <= REL_TOL * max(abs(a), abs(b))
        return [] if same else [f"{where}: {a!r} != {b!r}"]
    if type(a) is not type(b) or a != b:
        return [f"{where}: {a!r} != {b!r}"]
    return []


def compare(before: str, after: str) -> list[str]:
    a, b = json.loads(Path(before).read_text()), json.loads(Path(after).read_text())
    out = [f"cases {sorted(set(a) ^ set(b))}"] if set(a) != set(b) else []
    for case in a:
        if case in b:
            out += differences(a[case], b[case], case)
    return out


def run(before_src: str, books: list[str]) -> int:
    here = str(Path(__file__).resolve().parents[1] / "src")
    with tempfile.TemporaryDirectory() as tmp:
        files = []
        for label, src in (("before", before_src), ("after", here)):
            out = os.path.join(tmp, f"{label}.json")
            env = {**os.environ, "PYTHONPATH": src}
            subprocess.run([sys.executable, __file__, "dump", out, *books], check=True, env=env)
            files.append(out)
        found = compare(*files)
        cases = len(json.loads(Path(files[1]).read_text()))
    for line in found[:50]:
        print(line)
    print(
        f"{len(books)} books x {len(DATES)} dates x 2 (with/without probabilities) = {cases} cases: "
        f"{len(found)} differences ({len(TIES)} departure lists with same-day departures in another order)"
    )
    return 1 if found else 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    sub = parser.add_subparsers(dest="command", required=True)
    d = sub.add_parser("dump")
    d.add_argument("out")
    d.add_argument("books", nargs="+")
    c = sub.add_parser("compare")
    c.add_argument("before")
    c.add_argument("after")
    r = sub.add_parser("run")
    r.add_argument("--before", required=True, help="the old tree's src folder")
    r.add_argument("--books", nargs="+", required=True)
    args = parser.parse_args(argv)
    if args.command == "dump":
        dump(args.books, args.out)
        return 0
    if args.command == "compare":
        found = compare(args.before, args.after)
        print("\n".join(found[:50]) or "no differences")
        print(f"{len(TIES)} departure lists with same-day departures in another order")
        return 1 if found else 0
    return run(args.before, args.books)


if __name__ == "__main__":
    sys.exit(main())
