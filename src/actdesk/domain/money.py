"""Exact money: Decimal in the domain, integer cents in storage. Never float."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

CENT = Decimal("0.01")
ZERO = Decimal("0.00")
MAX_AMOUNT = Decimal(10) ** 12  # a trillion: beyond any advisor's book; larger is a typing slip


def quantize(value: Decimal) -> Decimal:
    """Round to whole cents, half up, as statements do."""
    return value.quantize(CENT, rounding=ROUND_HALF_UP)


def to_cents(value: Decimal | int | str) -> int:
    amount = value if isinstance(value, Decimal) else Decimal(str(value))
    return int(quantize(amount) * 100)


def from_cents(cents: int | None) -> Decimal | None:
    if cents is None:
        return None
    return (Decimal(cents) / 100).quantize(CENT)


def parse_money(text: str) -> Decimal:
    """Parse a plain decimal amount with a dot ("1234.5", "-20"). Raises ValueError with a readable reason."""
    cleaned = text.strip()
    if not cleaned:
        raise ValueError("empty amount")
    try:
        value = Decimal(cleaned)
    except InvalidOperation:
        raise ValueError(f"not an amount: {text!r} (use digits and a dot, e.g. 1234.56)") from None
    if not value.is_finite() or abs(value) >= MAX_AMOUNT:  # 1e309 is finite, and no cent can round it
        raise ValueError(f"not an amount: {text[:60]!r} (finite, below a trillion)")
    if value != quantize(value):
        raise ValueError(f"more than two decimals: {text!r}")
    return quantize(value)
