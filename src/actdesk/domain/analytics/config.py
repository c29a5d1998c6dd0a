"""Every tunable number of the analytics in one dataclass, read from the settings section "analytics"."""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar


@dataclass
class AnalyticsConfig:
    """Defaults follow the issue and common practice-valuation conventions (see docs/metrics.md)."""

    SECTION: ClassVar[str] = "analytics"  # its section of the settings file
    segment_a_share: float = 0.2  # top 20% of client households by T12M revenue, rounded up
    segment_b_share: float = 0.3  # the next 30%
    recurring_multiple: float = 2.3  # book value = multiple x T12M recurring revenue ...
    one_off_multiple: float = 1.0  # ... + one-off revenue at 1.0
    growth_rate: float = 0.03  # g: revenue growth per retained household per year
    discount_rate: float = 0.15  # d: the buyer's required return
    horizon_years: int = 10  # NPV sums t = 1..horizon
    expense_ratio: float = (
        0.0  # 0: the NPV is discounted revenue; e.g. 0.6: discounted cash flow at 40% margin
    )
    base_retention_rate: float = 0.96  # industry client retention when the book cannot tell
    min_departures_for_model: int = 5  # kept for old settings files; see min_backtest_departures
    cox_penalizer: float = 0.3  # kept for old settings files (the Cox model is gone)
    exit_signal_lag_months: int = 1  # the KPIs' observations of former clients (not the model)
    horizon_months: int = 12  # "left within 12 months of the landmark"
    landmark_step_months: int = 3  # training landmarks every quarter-end (month-ends of the as-of's cycle)
    model_penalty: float = 1.0  # ridge penalty per 1,000 landmark rows, on standardised features
    backtest_origins: int = 7  # yearly out-of-time origins before the as-of date
    min_training_months: int = 24  # an origin needs two years of landmarks with known outcomes to learn from
    min_backtest_departures: int = 10  # fewer departures scored out of time: the model cannot be judged
    top_factors: int = 3  # factors shown with each probability
    pareto_share: float = 0.2  # "what the top 20% bring"
