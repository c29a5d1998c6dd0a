"""Repeat a measurement, keep every sample, summarise as median and spread (min-max, IQR).

The machine is shared, so one number lies: each sample keeps wall and CPU time and the 1-minute load average
at the moment it was taken. Ratios against a floor are median / median of two measurements taken in the same
run, so that both saw the same machine.
"""

from __future__ import annotations

import os
import statistics
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from typing import Any


def load_average() -> float:
    return os.getloadavg()[0]


@dataclass
class Sample:
    wall: float  # seconds
    cpu: float | None  # seconds of this process's CPU (None when the work ran in another process)
    load: float  # 1-minute load average when the sample was taken


@dataclass
class Figure:
    """One benchmarked quantity: its samples, target and (optionally) the floor it is compared with."""

    key: str
    label: str
    samples: list[Sample] = field(default_factory=list)
    target: float | None = None  # seconds (or MB when unit == "MB")
    unit: str = "s"
    floor: str | None = None  # key of the floor figure measured in the same run
    note: str = ""
    extra: dict[str, Any] = field(default_factory=dict)

    def add(self, wall: float, cpu: float | None = None) -> None:
        self.samples.append(Sample(wall, cpu, load_average()))

    @property
    def walls(self) -> list[float]:
        return [s.wall for s in self.samples]

    def summary(self) -> dict[str, Any]:
        return summarise(self.walls) | {
            "cpu_median": _median([s.cpu for s in self.samples if s.cpu is not None]),
            "load": _median([s.load for s in self.samples]),
        }

    def as_dict(self) -> dict[str, Any]:
        return asdict(self) | {"summary": self.summary() if self.samples else None}


def _median(values: list[float]) -> float | None:
    return statistics.median(values) if values else None


def summarise(values: list[float]) -> dict[str, Any]:
    """Median, min, max and the interquartile range (inclusive method: defined from 2 samples on)."""
    if not values:
        return {"n": 0, "median": None, "min": None, "max": None, "iqr": None}
    if len(values) >= 2:
        q1, _q2, q3 = statistics.quantiles(values, n=4, method="inclusive")
        iqr: float | None = q3 - q1
    else:
        iqr = 0.0
    return {
        "n": len(values),
        "median": statistics.median(values),
        "min": min(values),
        "max": max(values),
        "iqr": iqr,
    }


def repeat(figure: Figure, fn: Callable[[], Any], runs: int, warmup: int = 0) -> list[Any]:
    """Run ``fn`` ``warmup`` times unrecorded, then ``runs`` times recording wall and CPU time."""
    for _ in range(warmup):
        fn()
    results = []
    for _ in range(runs):
        start, cpu = time.perf_counter(), time.process_time()
        results.append(fn())
        figure.add(time.perf_counter() - start, time.process_time() - cpu)
    return results


def ratio(figure: Figure, floor: Figure | None) -> float | None:
    """actdesk / floor, medians of the same run; None without a usable floor."""
    if floor is None or not figure.samples or not floor.samples:
        return None
    mine, base = figure.summary()["median"], floor.summary()["median"]
    return mine / base if base else None
