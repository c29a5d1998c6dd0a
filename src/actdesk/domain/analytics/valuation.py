"""What the book is worth: a multiple of trailing revenue, and the net present value of future revenue.

NPV = sum for t = 1..N of R0 * (r * (1 + g))^t / (1 + d)^t (the issue's formula; see docs/metrics.md).
Computed in Decimal so that the figure shown is reproducible to the cent.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_FLOOR, Decimal

from actdesk.domain.analytics.config import AnalyticsConfig
from actdesk.domain.money import CENT, ZERO, quantize


@dataclass(frozen=True)
class BookValue:
    multiple: Decimal  # recurring x multiple + one-off x one-off multiple
    npv: Decimal | None  # None when there is no retention rate to use
    npv_households: Decimal | None  # each household's recurring revenue at its own probability
    retention_used: float | None  # r in the NPV
    retention_source: str  # "period" (the book's client retention) or "base_rate"
    what_if_retention_plus_1: Decimal | None  # NPV gained by one more point of retention
    recurring_multiple: float
    one_off_multiple: float
    growth_rate: float
    discount_rate: float
    horizon_years: int
    recurring_run_rate: Decimal  # current clients' trailing-12-month recurring fees: what R0 is
    expense_ratio: float  # share of revenue spent serving it (0: the NPV is of revenue, not cash flow)
    npv_basis: str  # "discounted_revenue" (expense_ratio 0) or "discounted_cash_flow"


def _d(value: float) -> Decimal:
    return Decimal(repr(float(value)))


def npv_factor(r: float, config: AnalyticsConfig) -> Decimal:
    """sum for t = 1..N of (r (1 + g) / (1 + d))^t: the NPV of one unit of revenue today."""
    q = _d(r) * (1 + _d(config.growth_rate)) / (1 + _d(config.discount_rate))
    total, term = Decimal(0), Decimal(1)
    for _t in range(config.horizon_years):
        term *= q
        total += term
    return total


def npv(r0: Decimal, r: float, config: AnalyticsConfig) -> Decimal:
    """Discounted revenue, or discounted cash flow when an expense ratio is set (revenue x (1 - ratio))."""
    margin = 1 - _d(config.expense_ratio)
    return quantize(r0 * margin * npv_factor(r, config))


def multiple_value(recurring: Decimal, one_off: Decimal, config: AnalyticsConfig) -> Decimal:
    return quantize(_exact_multiple(recurring, one_off, config))


def _exact_multiple(recurring: Decimal, one_off: Decimal, config: AnalyticsConfig) -> Decimal:
    return recurring * _d(config.recurring_multiple) + one_off * _d(config.one_off_multiple)


def apportioned_values(parts: list[tuple[Decimal, Decimal]], config: AnalyticsConfig) -> list[Decimal]:
    """The multiple valuation of each part's (recurring, one-off) revenue, in cents that add up exactly to
    the valuation of the whole (rounded once, as ``multiple_value`` of the totals is): each part is rounded
    down, and the cents left over go to the parts with the largest remainders (largest-remainder
    apportionment). Rounding each part on its own could leave the segments a cent off the book's multiple
    computed from the totals (the first tiles compute it that way, from SQL sums)."""
    exact = [_exact_multiple(r, o, config) for r, o in parts]
    whole = quantize(sum(exact, Decimal(0)))
    floors = [value.quantize(CENT, rounding=ROUND_FLOOR) for value in exact]
    left = int((whole - sum(floors, Decimal(0))) / CENT)
    by_remainder = sorted(range(len(exact)), key=lambda i: exact[i] - floors[i], reverse=True)
    for i in by_remainder[: max(left, 0)]:
        floors[i] += CENT
    return floors


def household_npv(
    recurring: dict[int, Decimal], probabilities: dict[int, float], config: AnalyticsConfig
) -> Decimal:
    """Sum over households of NPV(own recurring revenue, own 12-month retention probability). A household
    without a probability is valued at the base rate."""
    total = ZERO
    for hid, r0 in recurring.items():
        total += npv(r0, probabilities.get(hid, config.base_retention_rate), config)
    return total


def book_value(
    recurring: Decimal,
    one_off: Decimal,
    client_rate: float | None,
    config: AnalyticsConfig,
    household_recurring: dict[int, Decimal] | None = None,
    probabilities: dict[int, float] | None = None,
    multiple: Decimal | None = None,
) -> BookValue:
    """Both valuations. ``client_rate`` is the period's client retention; a book too young to have one
    (no clients at the period start) is valued at the configured base rate and says so. ``multiple``, when
    given, is the multiple valuation already added up segment by segment (so that the segments' values
    add up to it to the cent); otherwise it is computed from ``recurring`` and ``one_off``."""
    r, source = (
        (client_rate, "period") if client_rate is not None else (config.base_retention_rate, "base_rate")
    )
    value = npv(recurring, r, config)
    plus = npv(recurring, min(r + 0.01, 1.0), config) - value if r < 1.0 else ZERO
    per_household = (
        household_npv(household_recurring or {}, probabilities, config) if probabilities is not None else None
    )
    return BookValue(
        multiple=multiple if multiple is not None else multiple_value(recurring, one_off, config),
        npv=value,
        npv_households=per_household,
        retention_used=r,
        retention_source=source,
        what_if_retention_plus_1=plus,
        recurring_multiple=config.recurring_multiple,
        one_off_multiple=config.one_off_multiple,
        growth_rate=config.growth_rate,
        discount_rate=config.discount_rate,
        horizon_years=config.horizon_years,
        recurring_run_rate=quantize(recurring),
        expense_ratio=config.expense_ratio,
        npv_basis="discounted_cash_flow" if config.expense_ratio > 0 else "discounted_revenue",
    )
