"""Landmark snapshots: every client household at a month-end, its features from the data before it and,
for training, whether it left within the horizon after it.

The features are the signals an advisor already watches (see docs/metrics.md, "Retention probability"):
flows over 3, 6 and 12 months as a share of the household's assets (joining transfers and the first six
months of a relationship are left out: they are the move in, not a signal), transfers out, withdrawals
before distribution age and age-appropriate distributions apart, outflows speeding up against the
household's own usual pace, the portfolio against the rest of the book, contact recency and its change,
time since the last review (with the shape of its gap beyond 6, 9 and 18 months, and its weight growing
with tenure), the share of investable assets moving, tenure (all client periods added
up, as the KPIs count it) and whether the household came back after leaving, age band, service requests and
overdue ones, life events, fee-rate changes and being a referrer.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from actdesk.domain.analytics.history import HouseholdHistory

SETTLING_MONTHS = 6  # flows in a relationship's first months are the move in, not a signal
RECENCY_CAP = 24  # months
DISTRIBUTION_AGE = (
    59.5  # withdrawals from here on are age-appropriate distributions (no early-withdrawal penalty)
)
REVIEW_KNOTS = (6, 9, 18)  # months without a review: the spline's knots (reviews are usually half-yearly)
HISTORY_NEEDED = 25  # month-ends a landmark's features read (t - 24 .. t): what scoring at one date must load
FEATURES = (
    "net_flow_3m",
    "net_flow_6m",
    "net_flow_12m",
    "transfers_out_12m",
    "withdrawals_12m",
    "distributions_12m",
    "outflow_jump_6m",
    "vs_market_12m",
    "months_since_contact",
    "contacts_12m",
    "no_contact_9m",
    "contact_change",
    "months_since_review",
    "no_review_12m",
    "investable_share_change",
    "tenure_years",
    "new_client",
    "returned",
    "age_75_plus",
    "age_under_55",
    "service_requests_12m",
    "service_overdue",
    "life_events_12m",
    "fee_rate_change",
    "referrer",
    # The shape of the review gap: months without a review beyond 6, 9 and 18 (a linear spline with
    # ``months_since_review``), so that a review three months late weighs more than the linear term alone
    # says and a gap of years does not weigh without end. Told by the figure (SHOWN_AS in survival.py).
    *(f"review_gap_over_{k}m" for k in REVIEW_KNOTS),
    # Months without a review times tenure (``tenure_years``, log years): a long-standing client's lapsed
    # review weighs more than a newcomer's, whose months are counted from the start of the relationship
    # (the first reviews are still being set up). Told by the figure, like the spline (SHOWN_AS).
    "review_gap_by_tenure",
)
# The simple baselines of the backtest: one signal each, the one an advisor would look at first.
BASELINE_SIGNALS = {"contact_recency": "months_since_contact", "net_flows_6m": "net_flow_6m"}


@dataclass(frozen=True)
class Landmarks:
    """Rows of (household, landmark month): features (rows x FEATURES) and the outcome where known."""

    rows: np.ndarray  # household row in the history
    month: np.ndarray  # landmark month index
    x: np.ndarray  # float32 (rows, len(FEATURES))
    y: np.ndarray  # 1 = left within the horizon; -1 = not known yet
    weight: np.ndarray | None = None  # sampling weight of each row (None: 1 each)

    @property
    def w(self) -> np.ndarray:
        return np.ones(len(self.rows)) if self.weight is None else self.weight

    def __len__(self) -> int:
        return len(self.rows)

    def column(self, name: str) -> np.ndarray:
        return self.x[:, FEATURES.index(name)]

    def outcomes(self) -> Landmarks:
        """The same rows without their features (``x`` of no columns, its memory not held): what a
        backtest keeps of the landmarks it scored."""
        return Landmarks(
            self.rows, self.month, np.zeros((len(self.rows), 0), np.float32), self.y, self.weight
        )


def _cum(a: np.ndarray, dtype: type = np.float64) -> np.ndarray:
    """Cumulative sums with a leading zero column: window (t-k, t] = c[:, t + 1] - c[:, t + 1 - k]."""
    out = np.zeros((a.shape[0], a.shape[1] + 1), dtype=dtype)
    np.cumsum(a, axis=1, out=out[:, 1:], dtype=dtype)
    return out


def _window(c: np.ndarray, t: int, k: int) -> np.ndarray:
    return np.asarray(c[:, t + 1] - c[:, max(t + 1 - k, 0)])


class FeatureBuilder:
    """Precomputes cumulative sums once, then builds any landmark's features in a few array operations."""

    def __init__(self, history: HouseholdHistory) -> None:
        # Only the running totals below are read later: the monthly amounts are not held (see
        # ``HouseholdHistory.without_monthly_sums``).
        self.h = history.without_monthly_sums()
        months = np.arange(len(history.months))
        settled = history.client & (months[None, :] - history.period_start >= SETTLING_MONTHS)
        self.year = np.array([d.year + (d.month - 0.5) / 12 for d in history.months])
        of_age = (self.year[None, :] - history.birth_year[:, None]) >= DISTRIBUTION_AGE  # NaN: not of age
        self.c_in = _cum(np.where(settled, history.inflow, 0.0))
        self.c_wd = _cum(np.where(settled & ~of_age, history.withdrawal, 0.0))
        self.c_dist = _cum(np.where(settled & of_age, history.withdrawal, 0.0))
        self.c_out = _cum(np.where(settled, history.transfer_out, 0.0))
        self.c_contacts = _cum(history.contacts, np.float32)  # counts: exact in float32
        self.c_events = _cum(history.life_events, np.float32)
        self.c_fees = _cum(history.fees)
        self.c_refs = _cum(history.referrals_made, np.float32)
        self.last_contact = _last_index(history.contacts > 0)
        self.last_review = _last_index(history.reviews > 0)
        none = np.zeros(history.client.shape)
        requests = history.service_requests if history.service_requests is not None else none
        self.c_service = _cum(requests, np.float32)
        self.overdue = history.service_overdue if history.service_overdue is not None else none

    def at(self, t: int, horizon: int | None = None) -> Landmarks:
        """Every client household at month-end ``t``; ``horizon`` months of outcome when they are known."""
        h = self.h
        rows = np.nonzero(h.client[:, t])[0]
        x = np.zeros((len(rows), len(FEATURES)), dtype=np.float32)
        col = {name: i for i, name in enumerate(FEATURES)}
        tenure = (t - h.period_start[rows, t]) / 12.0
        aum_t = h.managed[rows, t]

        def share(amount: np.ndarray, k: int) -> np.ndarray:
            base = np.maximum(h.managed[rows, max(t - k, 0)], aum_t)
            return np.where(base > 0, amount / np.where(base > 0, base, 1.0), 0.0)

        for k in (3, 6, 12):
            net = _window(self.c_in, t, k)[rows] - self._outflows(rows, t, k)
            x[:, col[f"net_flow_{k}m"]] = np.clip(share(net, k), -1.0, 1.0)
        x[:, col["transfers_out_12m"]] = np.clip(share(_window(self.c_out, t, 12)[rows], 12), 0.0, 1.0)
        x[:, col["withdrawals_12m"]] = np.clip(share(_window(self.c_wd, t, 12)[rows], 12), 0.0, 1.0)
        x[:, col["distributions_12m"]] = np.clip(share(_window(self.c_dist, t, 12)[rows], 12), 0.0, 1.0)
        if t >= 18:
            recent = self._outflows(rows, t, 6) * 2.0
            before = self._outflows(rows, t - 6, 12)
            jump = np.where(tenure >= 1.5 + SETTLING_MONTHS / 12, share(recent - before, 18), 0.0)
            x[:, col["outflow_jump_6m"]] = np.clip(jump, -1.0, 1.0)
        x[:, col["vs_market_12m"]] = self._versus_market(rows, t, tenure)
        since_contact = t - np.maximum(self.last_contact[rows, t], h.period_start[rows, t])
        x[:, col["months_since_contact"]] = np.clip(since_contact, 0, RECENCY_CAP)
        if t >= 18:
            recent = _window(self.c_contacts, t, 6)[rows] * 2.0
            before = self.c_contacts[rows, t + 1 - 6] - self.c_contacts[rows, t + 1 - 18]
            x[:, col["contact_change"]] = np.where(tenure >= 1.5, recent - before, 0.0)
        x[:, col["contacts_12m"]] = np.clip(_window(self.c_contacts, t, 12)[rows], 0, 24)
        since_review = t - np.maximum(self.last_review[rows, t], h.period_start[rows, t])
        x[:, col["months_since_review"]] = np.clip(since_review, 0, RECENCY_CAP)
        x[:, col["no_contact_9m"]] = (since_contact >= 9).astype(float)
        x[:, col["no_review_12m"]] = ((since_review >= 12) & (tenure >= 1.0)).astype(float)
        for k in REVIEW_KNOTS:
            x[:, col[f"review_gap_over_{k}m"]] = np.maximum(x[:, col["months_since_review"]] - k, 0.0)
        x[:, col["investable_share_change"]] = self._share_change(rows, t, tenure)
        earlier = self._earlier_periods(rows, t)
        total = tenure + earlier / 12.0
        x[:, col["tenure_years"]] = np.log1p(np.clip(total, 0, 40))
        x[:, col["review_gap_by_tenure"]] = x[:, col["months_since_review"]] * x[:, col["tenure_years"]]
        x[:, col["new_client"]] = (total < 1.0).astype(float)
        x[:, col["returned"]] = (earlier > 0).astype(float)
        age = self.year[t] - h.birth_year[rows]
        x[:, col["age_75_plus"]] = np.where(np.isfinite(age) & (age >= 75), 1.0, 0.0)
        x[:, col["age_under_55"]] = np.where(np.isfinite(age) & (age < 55), 1.0, 0.0)
        x[:, col["service_requests_12m"]] = np.clip(_window(self.c_service, t, 12)[rows], 0, 6)
        x[:, col["service_overdue"]] = np.clip(self.overdue[rows, t], 0, 3)
        x[:, col["life_events_12m"]] = np.clip(_window(self.c_events, t, 12)[rows], 0, 2)
        x[:, col["fee_rate_change"]] = self._fee_rate_change(rows, t, tenure)
        x[:, col["referrer"]] = (self.c_refs[rows, t + 1] > 0).astype(float)
        y: np.ndarray = np.full(len(rows), -1, dtype=np.int8)
        if horizon is not None and t + horizon < len(h.months):
            y = np.asarray(h.left[rows, t + 1 : t + horizon + 1].any(axis=1), dtype=np.int8)
        return Landmarks(rows.astype(np.int32), np.full(len(rows), t, dtype=np.int32), x, y)

    def _earlier_periods(self, rows: np.ndarray, t: int) -> np.ndarray:
        """Months spent as a client in the periods before the one holding ``t``: the time of the earlier
        periods of a household that left and came back (0 for everyone else)."""
        if self.h.earlier_months is None:
            return np.zeros(len(rows))
        return np.asarray(self.h.earlier_months[rows, t], dtype=np.float64)

    def _outflows(self, rows: np.ndarray, t: int, k: int) -> np.ndarray:
        """Withdrawals, distributions and transfers out in the ``k`` months to ``t`` (settled months only)."""
        return np.asarray(
            _window(self.c_wd, t, k)[rows]
            + _window(self.c_dist, t, k)[rows]
            + _window(self.c_out, t, k)[rows]
        )

    def _versus_market(self, rows: np.ndarray, t: int, tenure: np.ndarray) -> np.ndarray:
        """The household's 12-month investment return (flows taken out) minus the book's median return."""
        if t < 12:
            return np.zeros(len(rows))
        h = self.h
        start = h.managed[rows, t - 12]
        net = _window(self.c_in, t, 12)[rows] - self._outflows(rows, t, 12)
        ok = (start > 0) & (tenure >= 1.0 + SETTLING_MONTHS / 12)
        ret = np.where(ok, (h.managed[rows, t] - start - net) / np.where(start > 0, start, 1.0), np.nan)
        if not ok.any():
            return np.zeros(len(rows))
        market = float(np.nanmedian(ret))
        return np.where(ok, np.clip(ret - market, -0.5, 0.5), 0.0)

    def _share_change(self, rows: np.ndarray, t: int, tenure: np.ndarray) -> np.ndarray:
        """Change over 12 months of AUM / (AUM + held-away assets), where held-away assets are recorded."""
        if t < 12:
            return np.zeros(len(rows))
        h = self.h
        now_total = h.managed[rows, t] + h.held_away[rows, t]
        then_total = h.managed[rows, t - 12] + h.held_away[rows, t - 12]
        known = (h.held_away[rows, t] > 0) | (h.held_away[rows, t - 12] > 0)
        ok = known & (now_total > 0) & (then_total > 0) & (tenure >= 1.0 + SETTLING_MONTHS / 12)
        now = h.managed[rows, t] / np.where(now_total > 0, now_total, 1.0)
        then = h.managed[rows, t - 12] / np.where(then_total > 0, then_total, 1.0)
        return np.where(ok, np.clip(now - then, -1.0, 1.0), 0.0)

    def _fee_rate_change(self, rows: np.ndarray, t: int, tenure: np.ndarray) -> np.ndarray:
        """Fees of the last 12 months over the average AUM of those months, minus the same a year
        earlier, in percentage points. Over the AUM of one month-end, a year's fees read as a higher rate
        whenever the assets fell since (a market fall, a withdrawal): the whole book's "fee change" swung
        with the market, and so did every probability (docs/metrics.md, section 3, 'Drift')."""
        if t < 24:
            return np.zeros(len(rows))
        h = self.h
        recent = _window(self.c_fees, t, 12)[rows]
        before = self.c_fees[rows, t + 1 - 12] - self.c_fees[rows, t + 1 - 24]
        a_now = _mean_positive(h.managed[rows, t - 11 : t + 1])
        a_then = _mean_positive(h.managed[rows, t - 23 : t - 11])
        ok = (h.managed[rows, t] > 0) & (h.managed[rows, t - 12] > 0) & (tenure >= 2.0) & (before > 0)
        rate_now = recent / np.where(a_now > 0, a_now, 1.0)
        rate_then = before / np.where(a_then > 0, a_then, 1.0)
        return np.where(ok, np.clip((rate_now - rate_then) * 100.0, -1.0, 1.0), 0.0)


def _mean_positive(a: np.ndarray) -> np.ndarray:
    """Per row, the mean of the positive values (0 where there is none)."""
    positive = a > 0
    return np.asarray(np.where(positive, a, 0.0).sum(axis=1) / np.maximum(positive.sum(axis=1), 1))


def _last_index(flags: np.ndarray) -> np.ndarray:
    """Per cell, the latest month index <= m where ``flags`` is set (a large negative number if none)."""
    months = np.arange(flags.shape[1])
    marked = np.where(flags, months[None, :], -(10**6)).astype(np.int32)
    return np.maximum.accumulate(marked, axis=1)


def stack(parts: list[Landmarks]) -> Landmarks:
    if not parts:
        return Landmarks(
            np.zeros(0, int), np.zeros(0, int), np.zeros((0, len(FEATURES)), np.float32), np.zeros(0, np.int8)
        )
    return Landmarks(
        np.concatenate([p.rows for p in parts]),
        np.concatenate([p.month for p in parts]),
        np.vstack([p.x for p in parts]),
        np.concatenate([p.y for p in parts]),
    )


def training_set(builder: FeatureBuilder, first: int, last: int, step: int, horizon: int) -> Landmarks:
    """Landmarks at ``last``, ``last - step``, ... down to ``first``, with their outcomes (all known)."""
    parts = [builder.at(t, horizon) for t in range(last, first - 1, -step)]
    out = stack(parts)
    known = out.y >= 0
    return Landmarks(out.rows[known], out.month[known], out.x[known], out.y[known])
