"""How much signal the demo book holds: an oracle AUC on the backtest's own landmark rows (a diagnostic
for issue 20, not the product).

The demo generator (services/demo/households.py) drives departures by a hidden disaffection episode:
a client whose episode has run ``lead`` (8-14) months, and has not ended, is 351 times as likely as any
other client to be the one leaving in a month; a third of departures come from clients in no episode.
The hidden state is rebuilt exactly by re-running ``plan_households`` with the book's seed (the same
random stream), recording the draws it does not return (each client's lead, each episode's planned end).

Oracles, each scoring every (client, month-end) row the backtest scores (30 Nov 2020 - 30 Nov 2025),
outcome "left within 12 months":
- ``latent``: the exact chance of leaving within 12 months given the hidden state at the landmark (the
  episode if it has begun, its lead and planned end; for a client with no episode yet, the chance that
  one begins soon enough to make him ready within the 12 months). Nothing can do better from the data.
- ``visible_<d>m``: the same, but an episode that shows through none of the three channels counts as
  none, and an episode is seen only once it has run ``d`` months (0, 2, 3, 4, 6): a month or two of
  silence or outflows is hard to tell from a household's ordinary quiet months, so the ceiling of a
  reader of the data lies between these (before it has run ``d`` months, the episode is unknown).
Beside them the model's out-of-time AUC on the same rows (the product's backtest).

    python bench/retention_ceiling.py [seed:households ...]     (default 11:1000 23:1000 5:1000 1:2000)
"""

from __future__ import annotations

import sys
from datetime import date
from pathlib import Path
from typing import Any

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from actdesk.domain.analytics.landmark_model import auc
from actdesk.domain.analytics.landmarks import FeatureBuilder
from actdesk.services.demo import households as plan
from actdesk.services.demo.content import LOCALES
from retention_lab import AS_OF, history_of, run

FIRST, LAST = date(2020, 11, 30), date(2025, 11, 30)
DELAYS = (0, 2, 3, 4, 6)  # months an episode must have run before the "visible" oracle sees it


class _Recorder:
    """A numpy Generator that remembers the draws plan_households keeps to itself."""

    def __init__(self, rng: np.random.Generator) -> None:
        self.rng = rng
        self.lead: np.ndarray | None = None
        self.length: np.ndarray | None = None

    def integers(self, low: Any, high: Any = None, size: Any = None) -> Any:
        out = self.rng.integers(low, high, size)
        if (low, high) == (plan.LEAD_MONTHS[0], plan.LEAD_MONTHS[1] + 1) and size is not None:
            self.lead = out
        if (low, high) == (9, 25) and size is not None:
            self.length = out
        return out

    def __getattr__(self, name: str) -> Any:
        return getattr(self.rng, name)


def hidden_state(seed: int, households: int) -> dict[str, np.ndarray]:
    """The generator's hidden state, exactly as generate_demo draws it (first child stream, en_US)."""
    stream = np.random.default_rng(np.random.SeedSequence(seed).spawn(12)[0])
    rec = _Recorder(stream)
    content = LOCALES["en_US"]
    hh = plan.plan_households(households, rec, content.leaving_reasons, content.death_reason)  # type: ignore[arg-type]
    assert rec.lead is not None and rec.length is not None
    planned_end = np.full(hh.n, plan.NEVER, dtype=np.int64)
    has = hh.episode_start < plan.NEVER
    planned_end[has] = hh.episode_start[has] + rec.length
    return {
        "kind": hh.kind,
        "since": hh.since,
        "until": hh.until,
        "start": hh.episode_start,
        "end": planned_end,
        "lead": rec.lead,
        "channels": hh.channels,
    }


def _hazards(state: dict[str, np.ndarray]) -> tuple[float, float]:
    """Monthly chance of leaving for a client not ready and for one ready (average over the history)."""
    monthly = 1.0 - 0.962 ** (1 / 12)
    fractions = []
    for m in range(plan.MONTHS - 1):
        present = (state["kind"] == plan.CLIENT) & (state["since"] <= m) & (state["until"] > m)
        ready = present & (state["start"] + state["lead"] <= m + 1) & (state["end"] > m)
        fractions.append(ready.sum() / max(present.sum(), 1))
    f = float(np.mean(fractions))
    calm = monthly / (1 - f + (plan.EPISODE_WEIGHT + 1) * f)
    return calm, calm * (plan.EPISODE_WEIGHT + 1)


def oracle_scores(
    state: dict[str, np.ndarray], h: np.ndarray, g: int, seen_after: int, visible_only: bool
) -> np.ndarray:
    """Chance of leaving in the 12 months after generator month ``g``, given what the oracle sees."""
    calm, hot = _hazards_cache[id(state)]
    start, end, lead = state["start"][h], state["end"][h], state["lead"][h]
    seen = start + seen_after <= g
    if visible_only:
        seen &= state["channels"][h] != 0
    months = np.arange(g, g + 12)[None, :]
    ready = (start[:, None] + lead[:, None] <= months + 1) & (end[:, None] > months)
    k = np.where(seen, ready.sum(axis=1), 0).astype(float)
    # No episode seen: as far as the oracle knows one may still begin (at most one per client, from 6
    # months after joining) and be ready within the window: the expected ready months of such an episode,
    # averaged over its start and lead (the same for every such client: the oracle cannot tell them apart).
    rate = 1.0 - (1.0 - plan.EPISODE_RATE) ** (1 / 12)
    expected = 0.0
    for j in range(1, 13):
        for lead_months in range(plan.LEAD_MONTHS[0], plan.LEAD_MONTHS[1] + 1):
            ready_months = max(0, 12 - (j + lead_months - 1))
            expected += rate * ready_months / (plan.LEAD_MONTHS[1] - plan.LEAD_MONTHS[0] + 1)
    eligible = ~seen & (np.maximum(state["since"][h], 0) + 6 <= g + 12)
    k = k + np.where(eligible, expected, 0.0)
    return 1.0 - (1 - calm) ** (12 - k) * (1 - hot) ** k


_hazards_cache: dict[int, tuple[float, float]] = {}


def ceiling(seed: int, households: int, model_auc: float | None = None) -> dict[str, float]:
    """The oracles' AUCs on the backtest's rows, beside the model's (``model_auc`` when the caller has run
    the backtest already)."""
    spec = f"demo:{seed}:{households}"
    history = history_of(spec)
    state = hidden_state(seed, households)
    _hazards_cache[id(state)] = _hazards(state)
    builder = FeatureBuilder(history)
    grid_last = date(2026, 11, 30)  # generator month 120
    first, last = history.index_of(FIRST), history.index_of(LAST)
    offset = (grid_last.year * 12 + grid_last.month) - 120  # generator month of a date: y*12+m - offset
    ys: list[np.ndarray] = []
    scores: dict[str, list[np.ndarray]] = {"latent": [], **{f"visible_{d}m": [] for d in DELAYS}}
    no_warning = warned_begun = warned_later = 0
    for t in range(first, last + 1):
        lm = builder.at(t, 12)
        d = history.months[t]
        g = d.year * 12 + d.month - offset
        h = history.ids[lm.rows].astype(np.int64) - 1
        ys.append(lm.y.astype(float))
        scores["latent"].append(oracle_scores(state, h, g, 0, False))
        for delay in DELAYS:
            scores[f"visible_{delay}m"].append(oracle_scores(state, h, g, delay, True))
        left = lm.y == 1
        hl = h[left]
        warned = state["end"][hl] >= state["until"][hl]  # episode running when it left (planned end later)
        warned &= state["start"][hl] + state["lead"][hl] <= state["until"][hl]
        no_warning += int((~warned).sum())
        warned_begun += int((warned & (state["start"][hl] <= g)).sum())
        warned_later += int((warned & (state["start"][hl] > g)).sum())
    y = np.concatenate(ys)
    out = {name: float(auc(np.concatenate(v), y) or 0.0) for name, v in scores.items()}
    rows = max(no_warning + warned_begun + warned_later, 1)
    out.update(
        {
            "rows": float(len(y)),
            "departing_rows": float(y.sum()),
            "share_no_warning": no_warning / rows,
            "share_episode_begun": warned_begun / rows,
            "share_episode_later": warned_later / rows,
            "model": float(run(spec)["auc"]) if model_auc is None else model_auc,
        }
    )
    return out


def main() -> int:
    books = sys.argv[1:] or ["11:1000", "23:1000", "5:1000", "1:2000"]
    print(f"as of {AS_OF}; rows: the backtest's (month-ends {FIRST} - {LAST})")
    heads = " | ".join(f"visible after {d} months" for d in DELAYS)
    print(
        f"| book | rows (departing) | departing rows: no warning / episode begun / begins later | latent | {heads} | model |"
    )
    print("|---" * (5 + len(DELAYS)) + "|")
    for b in books:
        seed, households = (int(v) for v in b.split(":"))
        r = ceiling(seed, households)
        cells = " | ".join(f"{r[f'visible_{d}m']:.3f}" for d in DELAYS)
        print(
            f"| demo seed {seed}, {households:,} | {r['rows']:,.0f} ({r['departing_rows']:,.0f}) | "
            f"{r['share_no_warning']:.0%} / {r['share_episode_begun']:.0%} / {r['share_episode_later']:.0%} | "
            f"{r['latent']:.3f} | {cells} | {r['model']:.3f} |",
            flush=True,
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
