"""Benchmark of acquisition and growth (issue 9) on demo books of 500 and 2,000 households.

Usage: ``python bench/bench_pipeline.py [--households 500] [--seed 7]``. The book is built once with the
demo generator and cached in the temp folder. Each function returns seconds (best of ``repeat``) for
the bench runner. Targets: the board, prospects by fit and one household's growth ideas each well under
a second on a 500-household book (the advisor's largest), so the panel never feels slow.
"""

from __future__ import annotations

import argparse
import json
import time
from collections.abc import Callable
from datetime import UTC, date, datetime
from pathlib import Path

AS_OF = date(2026, 10, 31)
NOW = datetime(2026, 11, 15, 12, tzinfo=UTC)


def demo_book(households: int = 500, seed: int = 7) -> Path:
    """The cached demo book for (households, seed), built on first use."""
    from cached_demo import demo_book as cached

    return cached("pipeline", households, seed, AS_OF)


def _best(fn: Callable[[], object], repeat: int) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return min(times)


def bench_pipeline(households: int = 500, seed: int = 7, repeat: int = 3) -> dict[str, float]:
    """Seconds for the board, the prospects by fit (with the A segment), one household's growth ideas
    and the acquisition tables."""
    from actdesk.domain.pipeline.config import PipelineConfig
    from actdesk.services import pipeline as service
    from actdesk.storage.open import open_book

    book = open_book(demo_book(households, seed), read_only=True)
    config = PipelineConfig()
    try:
        service.prospecting(book, AS_OF, config)  # warm: pandas import, first load
        some_client = next(h for h, _n, status in service.household_choices(book) if status == "client")
        return {
            "board_s": _best(lambda: service.board(book, NOW, config), repeat),
            "prospects_s": _best(lambda: service.prospecting(book, AS_OF, config), repeat),
            "suggestions_s": _best(
                lambda: service.household_suggestions(book, some_client, AS_OF, config), repeat
            ),
            "acquisition_s": _best(lambda: service.acquisition(book, AS_OF, config), repeat),
        }
    finally:
        book.dispose()


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--households", type=int, default=500)
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    print(json.dumps(bench_pipeline(args.households, args.seed), indent=2))
