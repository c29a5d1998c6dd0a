"""Isotonic recalibration of the model's logit, learnt on out-of-time predictions only.

Platt scaling bends every logit by one slope and one shift; when the model's risk is shaped otherwise (a
cause that switches on, several causes adding up) one band of households stays a few points off whatever
the slope. Isotonic regression (pool-adjacent-violators) maps the logit to the departure rate observed
out of time by any non-decreasing curve; the blocks are merged until each holds enough departures and
stayers to be a rate rather than a coincidence, and the curve is interpolated linearly in logit between
the blocks' centres, so that households the model tells apart stay apart (no ties within a block).
It runs on the Platt-scaled logit. Below the first block's centre it follows Platt's slope (the safest
households are not flattened to their block's average) down to the lowest logits it was learnt on (the 5th
percentile, ``landmark_model.lowest_seen``) and stays flat below: a newer model ranks its safest
households further out, where the slope gave them less risk than the departures without warning leave
anyone (the safest tenth's risk was under-predicted on every book); above the last one, the curve's own last slope
(between the two riskiest centres), kept between flat and Platt's slope. The half of Platt's slope used
there while the backtest scored one landmark a year under-predicted the riskiest tenth of the
2,000-household demo by 2.7 points on the monthly landmarks, outside its 2.2-point chance band; Platt's
full slope over-shot a steep-topped model by 1.1 points (see docs/metrics.md, 'Calibration').
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

import numpy as np

from actdesk.domain.analytics.landmark_model import clip_probability, fit_platt, sigmoid

MIN_EVENTS = 8.0  # each block holds at least this many departures and as many stayers (by weight) ...
BLOCK_SHARE = 0.1  # ... and at least this share of all the departures: ten blocks at most
MIN_DEPARTURES = 30  # fewer out-of-time departures: Platt scaling (two parameters) instead


@dataclass(frozen=True)
class Isotonic:
    """A non-decreasing map from logit to probability: Platt scaling (``a``, ``b``), then through
    (``knots``, ``rates``), linear in logit between them; beyond them Platt's slope below (flat below
    ``low``) and the curve's own last slope (at most Platt's) above."""

    knots: tuple[float, ...]
    rates: tuple[float, ...]
    a: float = 1.0
    b: float = 0.0
    low: float = -np.inf  # flat below this logit (see Platt)

    def apply(self, logit: np.ndarray) -> np.ndarray:
        q = self.a * np.maximum(np.asarray(logit, dtype=float), self.low) + self.b
        knots = np.array(self.knots)
        levels = np.log(np.array(self.rates) / (1 - np.array(self.rates)))
        v = np.interp(q, knots, levels)
        v = np.where(q < knots[0], levels[0] + (q - knots[0]), v)
        top = 1.0
        if len(knots) > 1 and knots[-1] > knots[-2]:
            top = float(np.clip((levels[-1] - levels[-2]) / (knots[-1] - knots[-2]), 0.0, 1.0))
        v = np.where(q > knots[-1], levels[-1] + top * (q - knots[-1]), v)
        return clip_probability(sigmoid(v))


def fit_isotonic(logit: np.ndarray, y: np.ndarray, weights: np.ndarray | None = None) -> Isotonic | None:
    """Pool-adjacent-violators on ``(logit, y)`` with blocks of at least ``MIN_EVENTS`` departures and
    stayers; None when the predictions hold fewer than ``MIN_DEPARTURES`` departures."""
    w = np.ones(len(y)) if weights is None else np.asarray(weights, dtype=float)
    if len(y) == 0 or float((y * w).sum()) < MIN_DEPARTURES or float(((1 - y) * w).sum()) < MIN_DEPARTURES:
        return None
    least = max(MIN_EVENTS, BLOCK_SHARE * float((y * w).sum()))
    platt = fit_platt(logit, y, weights)
    logit = platt.a * np.asarray(logit, dtype=float) + platt.b
    order = np.argsort(logit, kind="mergesort")
    x, yy, ww = np.asarray(logit, dtype=float)[order], np.asarray(y, dtype=float)[order], w[order]
    del logit, order  # the whole backtest's rows at 10,000 households: let go as soon as unread
    # Start from blocks of equal logits, then merge while any block is too thin or out of order. The
    # merge is the one sequential step (about one pass per row): kept in plain floats, checks inlined.
    starts = np.flatnonzero(np.r_[True, x[1:] != x[:-1]])
    blocks = [np.add.reduceat(v, starts) for v in (ww, ww * yy, ww * x)]
    del x, yy, ww, starts
    merged: list[list[float]] = []
    for bw, be, bs in _as_floats(blocks):
        while merged:
            pw, pe, _ps = merged[-1]
            # merge when the earlier block is too thin to stand alone or its rate is not below this one's
            if not (pe < least or pw - pe < MIN_EVENTS or pe / pw >= be / bw):
                break
            last = merged.pop()
            bw, be, bs = bw + last[0], be + last[1], bs + last[2]
        merged.append([bw, be, bs])
    while len(merged) > 1 and _thin(merged[-1], least):  # the riskiest end, still thin after the pass
        last = merged.pop()
        for k in range(3):
            merged[-1][k] += last[k]
    knots = tuple(b[2] / b[0] for b in merged)
    rates = tuple(b[1] / b[0] for b in merged)
    return Isotonic(knots, rates, platt.a, platt.b, platt.low)


CHUNK = 65_536  # blocks turned into Python floats at a time


def _as_floats(columns: list[np.ndarray]) -> Iterator[tuple[float, float, float]]:
    """The columns' rows as plain floats, a chunk at a time: the whole backtest's predictions (366,000
    rows at 10,000 households) as three lists of Python floats weighed 35 MB at the model's peak."""
    for lo in range(0, len(columns[0]), CHUNK):
        yield from zip(*(c[lo : lo + CHUNK].tolist() for c in columns), strict=True)


def _thin(block: list[float], least: float) -> bool:
    return block[1] < least or block[0] - block[1] < MIN_EVENTS
